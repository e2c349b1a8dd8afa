/**
 * Running export and carve jobs: each owns an AbortController and reports throttled progress
 * (and its end) as 'export.progress' events. A cancellation ends as 'cancelled', not 'failed'.
 */
import { isCancellationError } from '../../shared/errors';
import type { ExportProgress } from '../../shared/export-types';
import type { ApiEventSink } from '../query/api-event-sink';

export class ExportJobs {
  private nextId = 1;
  private readonly running = new Map<number, AbortController>();

  constructor(
    private readonly events: ApiEventSink,
    private readonly progressIntervalMs = 250,
  ) {}

  /** Runs `work` as a job; resolves with its result (plus the job id) or rejects with its error. */
  async run<T>(kind: ExportProgress['kind'], work: (signal: AbortSignal, onProgress: (fraction: number) => void, jobId: number) => Promise<T>): Promise<T> {
    const jobId = this.nextId++;
    const controller = new AbortController();
    this.running.set(jobId, controller);
    let last = 0;
    const emit = (state: ExportProgress['state'], fraction: number, message?: string) =>
      this.events.emit('export.progress', { jobId, kind, fraction, state, ...(message ? { message } : {}) });
    emit('running', 0);
    try {
      const result = await work(
        controller.signal,
        (fraction) => {
          const now = Date.now();
          if (now - last < this.progressIntervalMs) return;
          last = now;
          emit('running', fraction);
        },
        jobId,
      );
      emit('done', 1);
      return result;
    } catch (error) {
      if (isCancellationError(error) || controller.signal.aborted) emit('cancelled', 0);
      else emit('failed', 0, error instanceof Error ? error.message.split('\n')[0] : String(error));
      throw error;
    } finally {
      this.running.delete(jobId);
    }
  }

  /** Cancels one job, or every job when `jobId` is undefined. */
  cancel(jobId?: number): void {
    for (const [id, controller] of this.running) if (jobId === undefined || id === jobId) controller.abort();
  }
}
