/**
 * Times `flowlab ingest FILE --db CASE --json` and checks its JSON against the CLI contract
 * (src/main/cli/flowlab.ts) and the capture's known packet count. It runs the launcher users run
 * (`npx flowlab`: packages/flowlab-cli/bin/flowlab.cjs, which starts out/cli/flowlab.js with the
 * malloc setting of README's "Memory"), so the peak RSS measured is theirs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BigCapture } from './big-capture';
import type { Measurement } from './measurement';
import { runTimed } from './timed-run';
import { registerTemporary, releaseTemporary } from './temporary-files';

const CLI = 'out/cli/flowlab.js';
const LAUNCHER = 'packages/flowlab-cli/bin/flowlab.cjs';
/** What the CLI bundle is built from (scripts/build-cli.mjs bundles main + shared, and the workers). */
const CLI_SOURCES = ['src/main', 'src/workers', 'src/shared', 'scripts/build-cli.mjs'];

interface IngestJson {
  captures: {
    id: number;
    path: string;
    format: string | null;
    linkTypes: number[];
    packets: number;
    bytes: number;
    flows: number;
    warnings: string[];
  }[];
  errors?: { path: string; error: string }[];
  elapsedMs: number;
  peakRssMB: number;
  maxEventLoopDelayMs?: number;
}

/** Runs `npm run build:cli` when out/cli/flowlab.js is missing or older than any of its sources. */
export function ensureCliBuilt(repoRoot: string): void {
  const cli = path.join(repoRoot, CLI);
  const built = existsSync(cli) ? statSync(cli).mtimeMs : 0;
  const newest = Math.max(...CLI_SOURCES.map((source) => newestMtime(path.join(repoRoot, source))));
  if (built >= newest) return;
  console.log(
    `flowlab: ${existsSync(cli) ? `${CLI} is older than src` : `${CLI} is missing`}; running npm run build:cli`,
  );
  const result = spawnSync('npm', ['run', 'build:cli'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.error || result.status !== 0) {
    throw new Error(`npm run build:cli failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
  if (!existsSync(cli)) throw new Error(`Expected npm run build:cli to produce ${CLI}, found nothing`);
}

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** The case goes under the cache dir: it can be several GB, more than a small /tmp holds. */
export async function runFlowlab(
  repoRoot: string,
  workDir: string,
  capture: BigCapture,
  workers: number | undefined,
): Promise<Measurement> {
  mkdirSync(workDir, { recursive: true });
  const casePath = path.join(workDir, `case-${process.pid}-${capture.label}.duckdb`);
  const caseFiles = [casePath, `${casePath}.wal`, `${casePath}.tmp`];
  registerTemporary(caseFiles);
  removeAll(caseFiles);
  const args = [
    'ingest',
    capture.path,
    '--db',
    casePath,
    '--json',
    ...(workers ? ['--workers', String(workers)] : []),
  ];
  const base = {
    tool: 'flowlab' as const,
    label: capture.label,
    fileBytes: capture.sizeBytes,
    packets: capture.packets,
  };
  try {
    const run = await runTimed(path.join(repoRoot, LAUNCHER), args, { workDir, cwd: repoRoot, keepStdout: true });
    const caseBytes = caseFiles.reduce((sum, file) => sum + sizeOnDisk(file), 0);
    const common = {
      ...base,
      wallSeconds: run.wallSeconds,
      peakRssMB: run.peakRssMB,
      details: { caseBytes },
    };
    if (run.exitCode !== 0) {
      return { ...common, ok: false, error: `exit ${run.exitCode}: ${lastLine(run.stderrTail)}` };
    }
    const parsed = parseIngestJson(run.stdout, capture);
    if ('error' in parsed) return { ...common, ok: false, error: parsed.error };
    const result = parsed.result;
    const only = result.captures[0]!;
    return {
      ...common,
      ok: true,
      flows: only.flows,
      details: {
        caseBytes,
        selfReportedElapsedMs: result.elapsedMs,
        selfReportedPeakRssMB: result.peakRssMB,
        maxEventLoopDelayMs: result.maxEventLoopDelayMs,
        format: only.format,
        linkTypes: only.linkTypes,
        bytes: only.bytes,
        warnings: only.warnings.length,
        firstWarnings: only.warnings.slice(0, 3),
      },
    };
  } finally {
    removeAll(caseFiles);
    releaseTemporary(caseFiles);
  }
}

/** Inconsistent output is a failure: the benchmark must not print numbers for a wrong ingest. */
function parseIngestJson(stdout: string, capture: BigCapture): { result: IngestJson } | { error: string } {
  let result: IngestJson;
  try {
    result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as IngestJson;
  } catch {
    return { error: `Expected one JSON object on stdout, got ${JSON.stringify(stdout.slice(0, 200))}` };
  }
  if (result.errors?.length) return { error: `flowlab reported errors: ${JSON.stringify(result.errors)}` };
  if (!Array.isArray(result.captures) || result.captures.length !== 1) {
    return {
      error: `Expected exactly 1 capture in the JSON, got ${JSON.stringify(result.captures)?.slice(0, 200)}`,
    };
  }
  const only = result.captures[0]!;
  if (only.packets !== capture.packets) {
    return {
      error: `Expected ${capture.packets} packets (make-big-capture.py, capinfos), flowlab reported ${only.packets}`,
    };
  }
  if (!Number.isInteger(only.flows) || only.flows <= 0) {
    return { error: `Expected a positive flow count, flowlab reported ${JSON.stringify(only.flows)}` };
  }
  if (typeof result.elapsedMs !== 'number' || typeof result.peakRssMB !== 'number') {
    return {
      error: `Expected numeric elapsedMs and peakRssMB, got ${JSON.stringify([result.elapsedMs, result.peakRssMB])}`,
    };
  }
  return { result };
}

function sizeOnDisk(file: string): number {
  if (!existsSync(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(file).reduce((sum, entry) => sum + sizeOnDisk(path.join(file, entry)), 0);
}

function removeAll(files: string[]): void {
  for (const file of files) rmSync(file, { recursive: true, force: true });
}

function lastLine(text: string): string {
  return text.split('\n').at(-1) ?? '';
}
