/** Messages between the fuzzer's parent (fuzz-runner.ts) and its worker thread (fuzz-worker.ts). */
import type { FuzzCase, FuzzTarget } from './fuzz-case';

/** Slots of the shared Int32Array the worker updates around every case. */
export const Heartbeat = { index: 0, running: 1 } as const;

export interface WorkerSetup {
  seed: number;
  seedDirs: string[];
  maxCaptureBytes: number;
  heartbeat: SharedArrayBuffer;
  /** Test hook: a module exporting `runCase(fuzz)` used instead of the real targets. */
  targetModule?: string;
}

export interface ToWorker {
  type: 'run';
  start: number;
  end: number;
  /** Running digest of the cases before `start`. */
  digest: number;
}

export type FromWorker =
  | { type: 'ready'; packets: number; captures: number }
  | {
      type: 'failure';
      index: number;
      error: { name: string; message: string; stack: string };
      fuzz: FuzzCase;
    }
  | { type: 'done'; end: number; counts: Record<FuzzTarget, number>; digest: number; heapUsedBytes: number };
