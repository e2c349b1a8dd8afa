/**
 * `npm run bench`: times `flowlab ingest` against tshark and argus on large classic pcaps built
 * from ../shared/pcaps (see bench/README.md). It measures and prints; it does not pass or fail on
 * speed, but exits non-zero when a tool fails or flowlab's result disagrees with the capture.
 */
import { createReadStream, existsSync, mkdirSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseBenchOptions, USAGE } from './bench-options';
import type { BenchOptions } from './bench-options';
import { capturePath, ensureBigCapture, formatGiB } from './big-capture';
import type { BigCapture } from './big-capture';
import { ensureCliBuilt, runFlowlab } from './flowlab-run';
import type { Measurement } from './measurement';
import { referenceToolVersions, runArgus, runTshark, tsharkSkipReason } from './reference-tools';
import { checkScaling, evaluateBar, formatBar, formatScaling, formatTable } from './report';
import { removePendingTemporaries } from './temporary-files';
import { GNU_TIME, stopRunning } from './timed-run';

async function main(): Promise<number> {
  let options: BenchOptions | undefined;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  process.once('SIGINT', onInterrupt);
  if (!existsSync(GNU_TIME))
    throw new Error(`Expected GNU time at ${GNU_TIME} (Debian package "time"), found nothing`);
  const versions = options.skipTools ? {} : referenceToolVersions();
  const workDir = path.join(options.cacheDir, 'work');
  mkdirSync(workDir, { recursive: true });
  reportDiskSpace(options);

  const measurements: Measurement[] = [];
  const captures: BigCapture[] = [];
  const skipped: { tool: string; label: string; reason: string }[] = [];
  const cliError = buildCli(options.repoRoot);
  const startedAt = new Date();
  for (const size of options.sizes) {
    const capture = ensureBigCapture(options, size);
    captures.push(capture);
    await warmPageCache(capture);
    const tools: (() => Promise<Measurement>)[] = [
      async () =>
        cliError
          ? failedFlowlab(capture, cliError)
          : runFlowlab(options.repoRoot, workDir, capture, options.workers),
    ];
    if (!options.skipTools) {
      const reason = tsharkSkipReason(capture);
      if (reason) {
        console.log(`tshark ${capture.label}: skipped: ${reason}`);
        skipped.push({ tool: 'tshark', label: capture.label, reason });
      } else {
        tools.push(() => runTshark(workDir, capture));
      }
      tools.push(() => runArgus(workDir, capture));
    }
    for (const runTool of tools) {
      // Other work on a shared machine skews timings: keep the load next to each number.
      const loadAverage = Math.round(os.loadavg()[0]! * 100) / 100;
      const measurement = { ...(await runTool()), loadAverage };
      printRun(measurement);
      measurements.push(measurement);
    }
  }

  const bar = evaluateBar(measurements);
  const scaling = checkScaling(measurements, captures);
  console.log(`\n${formatTable(measurements)}`);
  for (const skip of skipped) console.log(`  ${skip.tool} ${skip.label} skipped: ${skip.reason}`);
  console.log('');
  console.log(
    'MB/s = 10^6 bytes of capture file per wall second; packets/s over the same wall time; RSS from GNU time %M.',
  );
  console.log(`\n${formatBar(bar)}\n\n${formatScaling(scaling, captures)}\n`);

  const results = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    host: hostInfo(),
    toolVersions: versions,
    options: {
      sizes: options.sizes.map((size) => size.label),
      skipTools: options.skipTools,
      workers: options.workers ?? null,
    },
    captures,
    measurements,
    skipped,
    bar,
    flowScaling: scaling,
  };
  const resultsDir = path.join(options.cacheDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const stamped = path.join(resultsDir, `ingest-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  for (const file of [path.join(resultsDir, 'latest.json'), stamped])
    writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`results: ${path.join(resultsDir, 'latest.json')} (also ${path.basename(stamped)})`);

  const failed = measurements.filter((m) => !m.ok);
  if (failed.length)
    console.error(
      `bench: ${failed.length} run(s) failed: ${failed.map((m) => `${m.tool} ${m.label}`).join(', ')}`,
    );
  return failed.length ? 1 : 0;
}

/** A broken CLI build is reported as a failed flowlab run; tshark and argus are still timed. */
function buildCli(repoRoot: string): string | undefined {
  try {
    ensureCliBuilt(repoRoot);
    return undefined;
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    return (error as Error).message;
  }
}

function failedFlowlab(capture: BigCapture, error: string): Measurement {
  const base = { label: capture.label, fileBytes: capture.sizeBytes, packets: capture.packets };
  return { tool: 'flowlab', ...base, wallSeconds: 0, peakRssMB: 0, ok: false, error };
}

/** Every tool then reads the capture from the page cache, so the first one does not pay for the disk. */
async function warmPageCache(capture: BigCapture): Promise<void> {
  const started = performance.now();
  const stream = createReadStream(capture.path, { highWaterMark: 8 << 20 });
  for await (const chunk of stream) void chunk;
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `capture ${capture.label}: page-cache warm-up read ${seconds.toFixed(1)} s (${(capture.sizeBytes / 1e6 / seconds).toFixed(0)} MB/s)`,
  );
}

function printRun(m: Measurement): void {
  const what = `${m.tool} ${m.label}:`.padEnd(14);
  if (!m.ok) {
    console.log(`${what} FAILED after ${m.wallSeconds.toFixed(2)} s: ${m.error ?? ''}`);
    return;
  }
  const flows = m.flows !== undefined ? `, ${m.flows} flows` : '';
  const load = m.loadAverage !== undefined ? ` (load average before: ${m.loadAverage})` : '';
  const stall = m.details?.maxEventLoopDelayMs;
  const loop = typeof stall === 'number' ? `, longest main-loop stall ${stall} ms` : '';
  console.log(`${what} ${m.wallSeconds.toFixed(2)} s, peak RSS ${m.peakRssMB.toFixed(0)} MiB${flows}${loop}${load}`);
}

/** Missing captures plus room for the largest case and argus output (the case can be several GB). */
function reportDiskSpace(options: BenchOptions): void {
  const stats = statfsSync(options.cacheDir);
  const free = stats.bavail * stats.bsize;
  const missing = options.sizes.filter((size) => !existsSync(capturePath(options.cacheDir, size)));
  const largest = Math.max(...options.sizes.map((size) => size.bytes));
  const wanted = missing.reduce((sum, size) => sum + size.bytes * 1.05, 0) + largest * 1.5;
  console.log(`cache: ${options.cacheDir} (${formatGiB(free)} free, roughly ${formatGiB(wanted)} wanted)`);
  if (free < wanted)
    console.warn(`bench: warning: ${formatGiB(free)} free in ${options.cacheDir} may not be enough`);
}

function hostInfo() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / (1 << 30)) * 10) / 10,
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
  };
}

/** Ctrl-C: stop the timed command, then delete the multi-GB temporaries, exit like a shell would. */
function onInterrupt(): void {
  console.error('\nbench: interrupted; stopping the timed command and removing temporary files');
  void stopRunning().finally(() => {
    removePendingTemporaries();
    process.exit(130);
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    removePendingTemporaries();
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
