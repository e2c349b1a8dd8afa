/**
 * The piscina pools of the ingest engine: a decode pool (one thread per core) and a one-thread
 * flow-assembly pool. Workers are reached only through their file names (STYLE.md layers).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';

type WorkerName = 'decode-worker' | 'assemble-worker';

/**
 * Built bundles (out/cli, out/main) have their workers in ../workers/*.js; running from source
 * (tsx, vitest) the workers are src/workers/*.ts, loaded through tsx.
 */
export function workerFile(name: WorkerName): { filename: string; typescript: boolean } {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return locateWorkerFile(name, here, [
    path.join(here, '../workers', `${name}.js`),
    path.join(here, 'workers', `${name}.js`),
    path.join(here, '../../workers', `${name}.ts`),
  ]);
}

/** The first of `candidates` (built .js bundles first, then the .ts source) that exists. */
export function locateWorkerFile(
  name: string,
  here: string,
  candidates: readonly string[],
): { filename: string; typescript: boolean } {
  for (const filename of candidates) {
    if (existsSync(filename)) return { filename, typescript: filename.endsWith('.ts') };
  }
  throw new Error(
    `Worker ${name} not found next to ${here}; build it (\`npm install\` for the CLI, \`npm run build\` for the desktop app)`,
  );
}

/** A piscina pool's execArgv for a TypeScript worker: this process's, plus tsx when it lacks it. */
export function tsxExecArgv(typescript: boolean): string[] | undefined {
  if (!typescript || process.execArgv.join(' ').includes('tsx')) return undefined;
  return [...process.execArgv, '--import', 'tsx'];
}

function createPool(name: WorkerName, threads: number): Piscina {
  const { filename, typescript } = workerFile(name);
  const execArgv = tsxExecArgv(typescript);
  return new Piscina({
    filename,
    minThreads: threads,
    maxThreads: threads,
    // The assembler keeps per-job state: its thread must never be recycled while idle.
    idleTimeout: Number.POSITIVE_INFINITY,
    ...(execArgv ? { execArgv } : {}),
  });
}

export class WorkerPools {
  readonly decode: Piscina;
  readonly assemble: Piscina;
  readonly decodeThreads: number;

  constructor(decodeThreads = defaultWorkerCount()) {
    this.decodeThreads = Math.max(1, Math.floor(decodeThreads));
    this.decode = createPool('decode-worker', this.decodeThreads);
    this.assemble = createPool('assemble-worker', 1);
  }

  async close(): Promise<void> {
    await Promise.all([this.decode.close(), this.assemble.close()]);
  }
}

export function defaultWorkerCount(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}
