/**
 * `npm run fuzz -- [--cases N] [--seconds S] [--seed X] [--first-case I] [--corpus DIR ...]
 *  [--out DIR] [--timeout-ms T] [--memory-mb M] [--max-capture-bytes B] [--json]`
 *
 * Mutates the real captures of test/fixtures (and ../shared/pcaps when present) and their
 * packets, and runs them through the framer, the record readers, every decoder, the flow
 * assembler (mutated decoded batches) and the gzip input path on one worker thread. Failing inputs go to test/fixtures/fuzz-regressions (replayed by
 * test/scripts/fuzz/fuzz-regressions.test.ts). Exits 1 when a case failed. Without --cases or
 * --seconds it runs 60 seconds.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUZZ_TARGETS } from './fuzz-case';
import { FuzzRunner, type FuzzOptions, type FuzzSummary } from './fuzz-runner';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function parseFuzzArguments(args: readonly string[]): FuzzOptions & { json: boolean } {
  const options: FuzzOptions & { json: boolean } = {
    seed: 1,
    cases: Number.POSITIVE_INFINITY,
    seconds: Number.POSITIVE_INFINITY,
    seedDirs: [],
    outDir: path.join(root, 'test/fixtures/fuzz-regressions'),
    timeoutMs: 5000,
    memoryMb: 512,
    maxCaptureBytes: 32768,
    rangeSize: 2000,
    firstCase: 0,
    json: false,
  };
  const numbers: Record<string, keyof FuzzOptions> = {
    '--cases': 'cases',
    '--seconds': 'seconds',
    '--seed': 'seed',
    '--first-case': 'firstCase',
    '--timeout-ms': 'timeoutMs',
    '--memory-mb': 'memoryMb',
    '--max-capture-bytes': 'maxCaptureBytes',
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') options.json = true;
    else if (arg === '--corpus' || arg === '--out' || arg === '--target-module') {
      const value = args[++i];
      if (!value) throw new Error(`${arg} needs a value`);
      if (arg === '--corpus') options.seedDirs.push(path.resolve(value));
      else if (arg === '--out') options.outDir = path.resolve(value);
      else options.targetModule = path.resolve(value);
    } else if (arg in numbers) {
      const value = Number(args[++i]);
      if (!Number.isFinite(value) || value < 0) throw new Error(`${arg} needs a number >= 0, got ${args[i]}`);
      (options as unknown as Record<string, number>)[numbers[arg]!] = Math.floor(value);
    } else throw new Error(`Unknown argument ${arg}`);
  }
  if (options.seedDirs.length === 0)
    options.seedDirs = ['test/fixtures/pcaps', 'test/fixtures/malformed', '../shared/pcaps'].map((dir) =>
      path.join(root, dir),
    );
  if (!Number.isFinite(options.cases) && !Number.isFinite(options.seconds)) options.seconds = 60;
  return options;
}

function line(summary: FuzzSummary): string {
  const failures = summary.failures.length;
  return `fuzz: ${summary.cases} cases (${FUZZ_TARGETS.map((target) => `${target} ${summary.byTarget[target]}`).join(', ')}), ${failures} failures, ${summary.casesPerSecond} cases/s, worker heap peak ${summary.peakWorkerHeapMb.toFixed(0)} MiB`;
}

async function main(): Promise<void> {
  const options = parseFuzzArguments(process.argv.slice(2));
  let lastPrint = 0;
  options.onProgress = (summary) => {
    if (options.json || summary.elapsedMs - lastPrint < 10_000) return;
    lastPrint = summary.elapsedMs;
    process.stderr.write(`${line(summary)}\n`);
  };
  const summary = await new FuzzRunner(options).run();
  if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    process.stdout.write(
      `${line(summary)}; seed ${summary.seed}, cases ${summary.firstCase}..${summary.firstCase + summary.cases - 1}, digest ${summary.digest.toString(16)}\n`,
    );
    for (const failure of summary.failures)
      process.stdout.write(
        `  ${failure.kind} at case ${failure.index} (${failure.target}): ${failure.message}${failure.file ? ` -> ${path.relative(process.cwd(), failure.file)}` : ''}\n`,
      );
  }
  process.exitCode = summary.failures.length > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`fuzz: ${(error as Error).message}\n`);
    process.exitCode = 2;
  });
}
