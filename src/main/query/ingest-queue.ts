/**
 * ingest.start / ingest.cancel: one ingest at a time (requests queue up), progress and
 * capture changes forwarded as events, cancellation through an AbortController. A cancelled
 * ingest is not a failure: the captures finished before it are returned.
 */
import type { IngestResult, IngestSettings } from '../../shared/api-types';
import { ErrorCode, FlowlabError, isCancellationError } from '../../shared/errors';
import type { FlowlabService } from '../service/flowlab-service';
import type { ApiEventSink } from './api-event-sink';
import { stringField } from './request-checks';
import { orderIndexesSettled } from './order-index';

const SETTING_NAMES = ['workers', 'blockBytes', 'idleTimeoutSeconds', 'activeTimeoutSeconds'] as const;

export class IngestQueue {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly controllers = new Set<AbortController>();

  constructor(
    private readonly service: FlowlabService,
    private readonly events: ApiEventSink,
  ) {}

  /** Queues the files; resolves with a result per ingested file once all are done. */
  start(request: { paths: string[]; settings?: IngestSettings }): Promise<IngestResult[]> {
    const paths = checkPaths(request?.paths);
    const settings = checkSettings(request?.settings);
    const controller = new AbortController();
    this.controllers.add(controller);
    const run = this.chain.then(() => this.run(paths, settings, controller.signal));
    this.chain = run.catch(() => undefined);
    return run.finally(() => this.controllers.delete(controller));
  }

  /** Cancels the running ingest and every queued one. */
  cancel(): void {
    for (const controller of this.controllers) controller.abort();
  }

  /**
   * Resolves when nothing is queued or running (after cancel(), for a clean shutdown), the
   * grid's background order-index builds included: they run on connections of their own, which
   * would keep the case's DuckDB instance open after the service closed it.
   */
  idle(): Promise<void> {
    return this.chain.then(() => orderIndexesSettled(this.service.store));
  }

  private async run(paths: string[], settings: IngestSettings, signal: AbortSignal): Promise<IngestResult[]> {
    const results: IngestResult[] = [];
    const failures: { path: string; error: unknown }[] = [];
    for (const filePath of paths) {
      if (signal.aborted) break;
      let captureId: number | undefined;
      try {
        const result = await this.service.ingest(filePath, {
          ...settings,
          signal,
          onProgress: (progress) => {
            if (captureId !== progress.captureId) {
              captureId = progress.captureId;
              this.events.emit('captures.changed', { captureId });
            }
            this.events.emit('ingest.progress', progress);
          },
        });
        results.push(result);
        this.events.emit('captures.changed', { captureId: result.capture.id });
      } catch (error) {
        this.events.emit('captures.changed', { captureId: captureId ?? 0 });
        if (isCancellationError(error)) break;
        failures.push({ path: filePath, error });
      }
    }
    if (failures.length) {
      const first = failures[0]!.error;
      const code = first instanceof FlowlabError ? first.code : ErrorCode.io;
      const reasons = failures.map(
        ({ path, error }) =>
          `${path}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
      throw new FlowlabError(
        code,
        `Could not ingest ${failures.length} of ${paths.length} file(s): ${reasons.join('; ')}`,
        { cause: first },
      );
    }
    return results;
  }
}

function checkPaths(paths: unknown): string[] {
  if (!Array.isArray(paths) || paths.length === 0 || paths.length > 1000) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected paths to be a list of 1 to 1000 file paths, found ${JSON.stringify(paths)?.slice(0, 80)}`,
    );
  }
  return paths.map((value, index) => {
    const text = stringField(value, `paths[${index}]`, 4096);
    if (text.includes('\0'))
      throw new FlowlabError(ErrorCode.invalidArgument, `Expected paths[${index}] without NUL characters`);
    return text;
  });
}

function checkSettings(settings: unknown): IngestSettings {
  if (settings === undefined || settings === null) return {};
  if (typeof settings !== 'object' || Array.isArray(settings)) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected settings to be an object, found ${JSON.stringify(settings)?.slice(0, 80)}`,
    );
  }
  const checked: IngestSettings = {};
  for (const name of SETTING_NAMES) {
    const value = (settings as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new FlowlabError(
        ErrorCode.invalidArgument,
        `Expected settings.${name} to be a number >= 0, found ${JSON.stringify(value)}`,
      );
    }
    checked[name] = value;
  }
  return checked;
}
