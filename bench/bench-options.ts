/** Command line and paths of `npm run bench` (bench/ingest-bench.ts). */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export interface CaptureSize {
  /** As given on the command line, upper-cased: `1G`, `500M`. Names the cached file. */
  label: string;
  /** Target size handed to make-big-capture.py; the file ends up a little larger (whole copies). */
  bytes: number;
}

export interface BenchOptions {
  sizes: CaptureSize[];
  skipTools: boolean;
  workers: number | undefined;
  repoRoot: string;
  cacheDir: string;
}

export const USAGE = `Usage: npm run bench -- [--sizes 1G,4G] [--skip-tools] [--workers N]
  --sizes       comma-separated capture sizes (K/M/G suffix, powers of 1024); default 1G,4G
  --skip-tools  time only flowlab, not tshark and argus
  --workers     passed to \`flowlab ingest --workers\` (default: flowlab's own, the CPU count)
Environment: FLOWLAB_BENCH_CACHE  cache folder (default ~/.cache/flowlab-bench), outside the repo`;

/** bench/ lives at the repo root; every path is resolved from there, never from the cwd. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Same units as make-big-capture.py's parse_size: K, M, G are powers of 1024. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(text.trim());
  if (!match) throw new Error(`Expected a size such as 500M or 1G, got ${JSON.stringify(text)}`);
  const unit = { '': 1, K: 1 << 10, M: 1 << 20, G: 1 << 30 }[match[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < 1 << 20) throw new Error(`Expected a size of at least 1M, got ${JSON.stringify(text)}`);
  return bytes;
}

/** Returns undefined when --help was asked for (the caller prints USAGE). */
export function parseBenchOptions(argv: string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      sizes: { type: 'string', default: '1G,4G' },
      'skip-tools': { type: 'boolean', default: false },
      workers: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  const labels = [...new Set(values.sizes.split(',').map((text) => text.trim().toUpperCase()))].filter(
    Boolean,
  );
  if (labels.length === 0) throw new Error('Expected at least one size in --sizes, got none');
  const sizes = labels.map((label) => ({ label, bytes: parseSize(label) })).sort((a, b) => a.bytes - b.bytes);
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1) {
      throw new Error(`Expected --workers to be an integer >= 1, got ${JSON.stringify(values.workers)}`);
    }
  }
  return { sizes, skipTools: values['skip-tools'], workers, repoRoot, cacheDir: resolveCacheDir() };
}

/** The cache holds several GB, so it must not land inside the repo (git status, editors, watchers). */
function resolveCacheDir(): string {
  const fromEnv = process.env.FLOWLAB_BENCH_CACHE;
  const dir = path.resolve(fromEnv ? fromEnv : path.join(os.homedir(), '.cache', 'flowlab-bench'));
  const relative = path.relative(repoRoot, dir);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new Error(
      `Expected the bench cache outside the repo ${repoRoot}, got ${dir} (FLOWLAB_BENCH_CACHE)`,
    );
  }
  return dir;
}
