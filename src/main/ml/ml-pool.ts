/**
 * The piscina pool of the classifier worker (src/workers/ml/ml-worker.ts), reached only through
 * its file name (STYLE.md layers). Threads start on demand and end when idle, so a case that
 * never trains holds no thread.
 */
import { locateWorkerFile, tsxExecArgv } from '../ingest/worker-pools';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type {
  PredictTask,
  PredictTaskResult,
  TrainTask,
  TrainTaskResult,
} from '../../shared/ml/worker-messages';

/** Built bundles have the worker in ../workers/ml (out/cli) or workers/ml (out/main); sources in src/workers/ml. */
function workerFile(): { filename: string; typescript: boolean } {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return locateWorkerFile('ml-worker', here, [
    path.join(here, '../workers/ml/ml-worker.js'),
    path.join(here, 'workers/ml/ml-worker.js'),
    path.join(here, '../../workers/ml/ml-worker.ts'),
  ]);
}

export class MlPool {
  private readonly pool: Piscina;

  constructor(readonly threads = 1) {
    const { filename, typescript } = workerFile();
    const execArgv = tsxExecArgv(typescript);
    this.pool = new Piscina({
      filename,
      minThreads: 0,
      maxThreads: Math.max(1, threads),
      idleTimeout: 10_000,
      ...(execArgv ? { execArgv } : {}),
    });
  }

  /** Trains in a worker; `signal` ends the worker thread (a cancellation, not a failure). */
  train(task: TrainTask, transfer: Transferable[], signal?: AbortSignal): Promise<TrainTaskResult> {
    return this.pool.run(task, {
      transferList: transfer as never,
      ...(signal ? { signal } : {}),
    }) as Promise<TrainTaskResult>;
  }

  predict(task: PredictTask, signal?: AbortSignal): Promise<PredictTaskResult> {
    return this.pool.run(task, {
      transferList: [task.x.buffer] as never,
      ...(signal ? { signal } : {}),
    }) as Promise<PredictTaskResult>;
  }

  close(): Promise<void> {
    return this.pool.close({ force: true });
  }
}
