/**
 * Parent side of the fuzzer: one worker thread (one CPU core) runs ranges of cases; the parent
 * watches the worker's heartbeat for a case running longer than the timeout (a hang: the worker
 * is terminated), catches the worker dying of its heap cap (out of memory), saves every failing
 * input to the regressions folder and restarts the worker after the failing case.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FUZZ_TARGETS, generateCase, type FuzzCase, type FuzzTarget } from './fuzz-case';
import { Heartbeat, type FromWorker, type ToWorker, type WorkerSetup } from './fuzz-messages';
import { loadSeedCorpus } from './fuzz-seeds';
import { regressionFileName } from './regression-file';

export interface FuzzOptions {
  seed: number;
  /** Stop after this many cases (Infinity: only the time bound). */
  cases: number;
  /** Stop after this many seconds (Infinity: only the case bound). */
  seconds: number;
  seedDirs: string[];
  outDir: string;
  timeoutMs: number;
  memoryMb: number;
  maxCaptureBytes: number;
  /** Cases per message to the worker (the time bound is checked between them). */
  rangeSize: number;
  /** Start at this case index (to resume a run). */
  firstCase: number;
  targetModule?: string;
  onProgress?: (summary: FuzzSummary) => void;
}

export type FailureKind = 'crash' | 'hang' | 'out-of-memory';

export interface FuzzFailureReport {
  kind: FailureKind;
  index: number;
  target: FuzzTarget;
  message: string;
  file: string | undefined;
}

export interface FuzzSummary {
  seed: number;
  firstCase: number;
  cases: number;
  byTarget: Record<FuzzTarget, number>;
  failures: FuzzFailureReport[];
  elapsedMs: number;
  casesPerSecond: number;
  digest: number;
  peakWorkerHeapMb: number;
}

/** Distinct failures kept per run; later ones with the same signature are counted only. */
const MAX_SAVED = 50;

type RangeOutcome =
  | { type: 'done'; end: number; counts: Record<FuzzTarget, number>; digest: number; heapUsedBytes: number }
  | { type: 'died'; kind: 'hang' | 'out-of-memory' | 'crash'; index: number; message: string };

export class FuzzRunner {
  readonly #options: FuzzOptions;
  readonly #heartbeat = new SharedArrayBuffer(8);
  readonly #beats = new Int32Array(this.#heartbeat);
  readonly #signatures = new Set<string>();
  #worker: Worker | undefined;
  #listener: ((message: FromWorker) => void) | undefined;
  #corpus: ReturnType<typeof loadSeedCorpus> | undefined;
  readonly #summary: FuzzSummary;
  readonly #started = performance.now();

  constructor(options: FuzzOptions) {
    this.#options = options;
    this.#summary = {
      seed: options.seed,
      firstCase: options.firstCase,
      cases: 0,
      byTarget: { packet: 0, protocol: 0, capture: 0, assemble: 0, gzip: 0 },
      failures: [],
      elapsedMs: 0,
      casesPerSecond: 0,
      digest: 0x811c9dc5,
      peakWorkerHeapMb: 0,
    };
  }

  async run(): Promise<FuzzSummary> {
    const { cases, seconds, rangeSize } = this.#options;
    const deadline = this.#started + seconds * 1000;
    const last = this.#options.firstCase + cases;
    let index = this.#options.firstCase;
    try {
      while (index < last && performance.now() < deadline) {
        const end = Math.min(last, index + rangeSize);
        const outcome = await this.#runRange(index, end);
        if (outcome.type === 'done') {
          this.#summary.cases += end - index;
          for (const target of FUZZ_TARGETS)
            this.#summary.byTarget[target] += outcome.counts[target];
          this.#summary.digest = outcome.digest;
          this.#summary.peakWorkerHeapMb = Math.max(
            this.#summary.peakWorkerHeapMb,
            outcome.heapUsedBytes / 2 ** 20,
          );
          index = end;
        } else {
          // The worker is gone; the cases before the failing one ran, the failing one is saved.
          this.#summary.cases += outcome.index - index + 1;
          this.#record(outcome.kind, this.#regenerate(outcome.index), outcome.index, outcome.message);
          await this.#stopWorker();
          index = outcome.index + 1;
        }
        this.#update();
        this.#options.onProgress?.(this.#summary);
      }
    } finally {
      await this.#stopWorker();
    }
    this.#update();
    return this.#summary;
  }

  #update(): void {
    this.#summary.elapsedMs = Math.round(performance.now() - this.#started);
    this.#summary.casesPerSecond = Math.round(
      (this.#summary.cases * 1000) / Math.max(1, this.#summary.elapsedMs),
    );
  }

  #regenerate(index: number): FuzzCase {
    this.#corpus ??= loadSeedCorpus(this.#options.seedDirs);
    return generateCase(this.#corpus, this.#options.seed, index, {
      maxCaptureBytes: this.#options.maxCaptureBytes,
    });
  }

  #record(kind: FailureKind, fuzz: FuzzCase, index: number, message: string): void {
    // Same kind, target, message shape and throwing line: the same bug.
    const lines = message.split('\n');
    const signature = `${kind}:${fuzz.target}:${(lines[0]! + (lines[1] ?? '')).replace(/\d+/g, 'N')}`;
    let file: string | undefined;
    if (!this.#signatures.has(signature) && this.#signatures.size < MAX_SAVED) {
      this.#signatures.add(signature);
      mkdirSync(this.#options.outDir, { recursive: true });
      file = path.join(this.#options.outDir, regressionFileName(fuzz));
      writeFileSync(file, fuzz.bytes);
    }
    this.#summary.failures.push({ kind, index, target: fuzz.target, message: message.split('\n')[0]!, file });
  }

  async #startWorker(): Promise<Worker> {
    const { seed, seedDirs, maxCaptureBytes, memoryMb, targetModule } = this.#options;
    const here = path.dirname(fileURLToPath(import.meta.url));
    const setup: WorkerSetup = {
      seed,
      seedDirs,
      maxCaptureBytes,
      heartbeat: this.#heartbeat,
      ...(targetModule ? { targetModule } : {}),
    };
    const execArgv = process.execArgv.join(' ').includes('tsx')
      ? process.execArgv
      : [...process.execArgv, '--import', 'tsx'];
    const worker = new Worker(path.join(here, 'fuzz-worker-entry.mjs'), {
      workerData: setup,
      execArgv,
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 32 },
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (message: FromWorker) =>
        message.type === 'ready' ? resolve() : reject(new Error(`unexpected ${message.type}`)),
      );
      worker.once('error', reject);
    });
    worker.on('message', (message: FromWorker) => this.#listener?.(message));
    this.#worker = worker;
    return worker;
  }

  async #stopWorker(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
  }

  async #runRange(start: number, end: number): Promise<RangeOutcome> {
    const worker = this.#worker ?? (await this.#startWorker());
    Atomics.store(this.#beats, Heartbeat.running, 0);
    return new Promise<RangeOutcome>((resolve) => {
      let lastIndex = -1;
      let since = performance.now();
      const finish = (outcome: RangeOutcome): void => {
        clearInterval(watch);
        worker.off('error', onError);
        worker.off('exit', onExit);
        this.#listener = undefined;
        resolve(outcome);
      };
      const current = (): number => Math.max(start, Atomics.load(this.#beats, Heartbeat.index));
      const watch = setInterval(
        () => {
          const index = Atomics.load(this.#beats, Heartbeat.index);
          if (index !== lastIndex || Atomics.load(this.#beats, Heartbeat.running) === 0) {
            lastIndex = index;
            since = performance.now();
          } else if (performance.now() - since > this.#options.timeoutMs) {
            finish({
              type: 'died',
              kind: 'hang',
              index: current(),
              message: `case ran over ${this.#options.timeoutMs} ms`,
            });
          }
        },
        Math.min(100, this.#options.timeoutMs / 4),
      );
      const onError = (error: Error & { code?: string }): void => {
        const kind = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'crash';
        finish({
          type: 'died',
          kind,
          index: current(),
          message: `${error.code ?? error.name}: ${error.message}`,
        });
      };
      const onExit = (code: number): void =>
        finish({ type: 'died', kind: 'crash', index: current(), message: `worker exited with code ${code}` });
      worker.on('error', onError);
      worker.on('exit', onExit);
      this.#listener = (message) => {
        if (message.type === 'failure')
          this.#record('crash', message.fuzz, message.index, message.error.stack || message.error.message);
        else if (message.type === 'done') finish(message);
      };
      const message: ToWorker = { type: 'run', start, end, digest: this.#summary.digest };
      worker.postMessage(message);
    });
  }
}
