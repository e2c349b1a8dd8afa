/**
 * The backend API: one object used by the Electron IPC handlers, the browser-mode server and
 * the CLI. Plain Node only (no electron import).
 */
import { rm, stat } from 'node:fs/promises';
import { FLOW_COLUMN_NAMES } from '../../shared/flow-schema';
import type { CaptureInfo, IngestProgress, IngestResult, IngestSettings } from '../../shared/api-types';
import { CaseStore } from '../store/case-store';
import { ingestCapture } from '../ingest/ingest-capture';
import { WorkerPools } from '../ingest/worker-pools';
import { buildAllCapturesAggregates, buildMissingHostAggregates } from '../query/host-aggregates';
import { exportDiskFullError, ingestDiskFullError, isDiskFullError, markFailedIngest } from './disk-full';
import { LabelDb } from '../labels/label-db';
import { buildMissingDetectSummaries } from '../detect/detect-summaries';

export interface ServiceOptions {
  /** Decode worker threads (default: CPU count). */
  workers?: number;
}

export interface IngestRequest extends IngestSettings {
  signal?: AbortSignal;
  onProgress?: (progress: IngestProgress) => void;
  /** Minimum milliseconds between progress events (default 250). */
  progressIntervalMs?: number;
  /** Milliseconds between commits that make partial results queryable (default 1000). */
  flushIntervalMs?: number;
  /** Rows a later commit waits for (see ingestCapture's DEFAULT_COMMIT_ROWS). */
  commitRows?: number;
}

export class FlowlabService {
  private pools: WorkerPools | undefined;

  private constructor(
    readonly store: CaseStore,
    private readonly options: ServiceOptions,
  ) {}

  static async open(casePath: string, options: ServiceOptions = {}): Promise<FlowlabService> {
    return new FlowlabService(await CaseStore.open(casePath), options);
  }

  private workerPools(workers?: number): WorkerPools {
    const wanted = workers ?? this.options.workers;
    if (this.pools && wanted !== undefined && this.pools.decodeThreads !== wanted) {
      void this.pools.close();
      this.pools = undefined;
    }
    return (this.pools ??= new WorkerPools(wanted));
  }

  private ingestQueue: Promise<unknown> = Promise.resolve();

  /**
   * Ingests one capture into the case (a capture already present is returned, not duplicated).
   * Calls made at once run one after another: ingests share the store's connection (its
   * transactions) and the worker pools.
   */
  ingest(filePath: string, request: IngestRequest = {}): Promise<IngestResult> {
    const run = this.ingestQueue.then(() => this.ingestNow(filePath, request));
    this.ingestQueue = run.catch(() => undefined);
    return run;
  }

  private async ingestNow(filePath: string, request: IngestRequest): Promise<IngestResult> {
    try {
      const result = await ingestCapture(this.store, this.workerPools(request.workers), filePath, request);
      // Per-capture host aggregates for fast hosts.page/hosts.graph (also any capture of an
      // older case that has none yet); set-based, after the flows are final.
      await buildMissingHostAggregates(this.store);
      // Detection summaries (issue #5): per-capture groups of the slow detectors (repeated-seq and
      // bursts from the packet index, beacons, DNS, ARP), once per capture (detect-summaries.ts).
      await buildMissingDetectSummaries(this.store);
      return result;
    } catch (error) {
      if (!isDiskFullError(error)) throw error;
      const failure = ingestDiskFullError(this.store.path, filePath, error);
      await markFailedIngest(this.store, filePath, failure.message);
      throw failure;
    }
  }

  listCaptures(): Promise<CaptureInfo[]> {
    return this.store.listCaptures();
  }

  /** Removes a capture with its flows and packets (the capture file itself is left alone). */
  async removeCapture(captureId: number): Promise<void> {
    await this.store.deleteCapture(captureId);
    // The case-wide host aggregates summed the removed capture: rebuild them from the others.
    await buildAllCapturesAggregates(this.store);
  }

  /** The case file this service has open. */
  get casePath(): string {
    return this.store.path;
  }

  /**
   * Flows as plain rows. `where` is a raw SQL condition: it is accepted from the local CLI only
   * (the UI sends validated filter expressions, never SQL).
   */
  async flowRows(query: {
    where?: string;
    limit?: number;
    columns?: readonly string[];
  }): Promise<Record<string, unknown>[]> {
    return this.store.rows(this.flowSql(query));
  }

  /** Writes flows as CSV with a header to `outPath` through DuckDB's COPY. */
  async exportFlowsCsv(
    outPath: string,
    query: { where?: string; limit?: number; columns?: readonly string[] },
  ): Promise<void> {
    try {
      await this.store.run(
        `COPY (${this.flowSql(query)}) TO '${outPath.replaceAll("'", "''")}' (FORMAT csv, HEADER true)`,
      );
    } catch (error) {
      if (!isDiskFullError(error)) throw error;
      if ((await stat(outPath).catch(() => undefined))?.isFile()) await rm(outPath, { force: true });
      throw exportDiskFullError(outPath, error);
    }
  }

  private flowSql(query: { where?: string; limit?: number; columns?: readonly string[] }): string {
    const columns = query.columns ?? FLOW_COLUMN_NAMES;
    for (const column of columns) {
      if (!FLOW_COLUMN_NAMES.includes(column))
        throw new Error(`Unknown flow column ${JSON.stringify(column)}`);
    }
    const where = query.where?.trim() ? ` WHERE (${query.where})` : '';
    const limit = query.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(query.limit))}` : '';
    return `SELECT ${columns.join(', ')} FROM flows${where} ORDER BY flow_id${limit}`;
  }

  async close(): Promise<void> {
    await this.pools?.close();
    this.pools = undefined;
    // The labeling connection too: DuckDB keeps the file locked while any connection is open.
    await LabelDb.close(this.store);
    this.store.close();
  }
}
