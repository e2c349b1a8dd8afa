/**
 * The classifier jobs of one case: the worker pool, running jobs (each with its abort controller
 * and an id for progress events), and the operations the API handlers and the CLI share.
 */
import type {
  ImportResult,
  MlProgress,
  ModelSummary,
  PredictResult,
  TrainRequest,
} from '../../shared/ml-types';
import type { CaseStore } from '../store/case-store';
import { importCicCsv } from './import-csv';
import { MlPool } from './ml-pool';
import { predictCapture } from './predict-capture';
import { trainModel } from './train-model';

export class MlEngine {
  private pool: MlPool | undefined;
  private readonly jobs = new Map<number, AbortController>();
  private nextJobId = 1;

  constructor(
    private readonly store: CaseStore,
    private readonly onProgress: (progress: MlProgress) => void = () => undefined,
    /** Worker threads: training uses one; prediction keeps two blocks in flight. */
    private readonly threads = 2,
  ) {}

  private workers(): MlPool {
    return (this.pool ??= new MlPool(this.threads));
  }

  async importFiles(paths: readonly string[]): Promise<ImportResult[]> {
    const results: ImportResult[] = [];
    for (const filePath of paths) results.push(await importCicCsv(this.store, filePath));
    return results;
  }

  train(request: TrainRequest, signal?: AbortSignal): Promise<ModelSummary> {
    return this.job(signal, (jobSignal, report) =>
      trainModel(this.store, this.workers(), request, { signal: jobSignal, onProgress: report }),
    );
  }

  predict(request: { modelId: number; captureId: number }, signal?: AbortSignal): Promise<PredictResult> {
    return this.job(signal, (jobSignal, report) =>
      predictCapture(this.store, this.workers(), request, { signal: jobSignal, onProgress: report }),
    );
  }

  /** Cancels every running job (they end with a cancellation error, not a failure). */
  cancelAll(): void {
    for (const controller of this.jobs.values()) controller.abort();
  }

  get running(): number {
    return this.jobs.size;
  }

  async close(): Promise<void> {
    this.cancelAll();
    await this.pool?.close();
    this.pool = undefined;
  }

  private async job<T>(
    outer: AbortSignal | undefined,
    work: (signal: AbortSignal, report: (progress: Omit<MlProgress, 'jobId'>) => void) => Promise<T>,
  ): Promise<T> {
    const jobId = this.nextJobId++;
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort();
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    this.jobs.set(jobId, controller);
    let last = 0;
    const report = (progress: Omit<MlProgress, 'jobId'>) => {
      const now = Date.now();
      // Throttled: at most ~5 events a second, but phase changes always go out.
      if (progress.fraction < 1 && progress.fraction > 0 && now - last < 200) return;
      last = now;
      this.onProgress({ jobId, ...progress });
    };
    try {
      return await work(controller.signal, report);
    } finally {
      this.jobs.delete(jobId);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }
}
