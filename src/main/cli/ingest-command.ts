/** `flowlab ingest`: ingest captures into a case, with a progress bar on a TTY. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { CaptureInfo, IngestProgress } from '../../shared/api-types';
import { FlowlabService } from '../service/flowlab-service';
import { numberOption, UsageError } from './usage-error';
import type { ParsedArgs } from './usage-error';

export async function runIngest(args: ParsedArgs): Promise<number> {
  const db = args.values.db;
  if (typeof db !== 'string') throw new UsageError('ingest needs --db <case.duckdb>');
  if (args.positionals.length === 0) throw new UsageError('ingest needs at least one capture file');
  const workers = numberOption(args, 'workers', 1);
  const blockBytes = numberOption(args, 'block-bytes', 1);
  const idleTimeoutSeconds = numberOption(args, 'idle-timeout');
  const activeTimeoutSeconds = numberOption(args, 'active-timeout');
  const json = args.values.json === true;
  const started = performance.now();
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);

  const service = await FlowlabService.open(db, workers !== undefined ? { workers } : {});
  // How long the main thread's event loop was ever blocked during the ingest: the Electron main
  // process runs the same ingest code, where a blocked loop is a frozen window.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const captures: CaptureInfo[] = [];
  const errors: { path: string; error: string }[] = [];
  const bar = process.stderr.isTTY && !json ? new ProgressBar() : undefined;
  try {
    for (const file of args.positionals) {
      try {
        const result = await service.ingest(file, {
          ...(workers !== undefined ? { workers } : {}),
          ...(blockBytes !== undefined ? { blockBytes } : {}),
          ...(idleTimeoutSeconds !== undefined ? { idleTimeoutSeconds } : {}),
          ...(activeTimeoutSeconds !== undefined ? { activeTimeoutSeconds } : {}),
          signal: controller.signal,
          ...(bar ? { onProgress: (progress: IngestProgress) => bar.update(file, progress) } : {}),
        });
        bar?.clear();
        captures.push(result.capture);
        if (!json) printCapture(result.capture, result.alreadyPresent);
      } catch (error) {
        bar?.clear();
        if (controller.signal.aborted) throw error;
        const message = (error as Error).message.split('\n')[0]!;
        errors.push({ path: file, error: message });
        process.stderr.write(`flowlab: ${file}: ${message}\n`);
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    loopDelay.disable();
    await service.close();
  }
  if (json) {
    const peakRssMB = Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
    const output = {
      captures: captures.map((capture) => ({
        id: capture.id,
        path: capture.path,
        format: capture.format,
        linkTypes: capture.linkTypes,
        packets: capture.packets,
        bytes: capture.bytes,
        flows: capture.flows,
        warnings: capture.warnings,
      })),
      ...(errors.length ? { errors } : {}),
      elapsedMs: Math.round(performance.now() - started),
      peakRssMB,
      // Beyond the contract: the longest main-thread event-loop stall (ms), 10 ms resolution.
      maxEventLoopDelayMs: Math.round(loopDelay.max / 1e6),
    };
    process.stdout.write(JSON.stringify(output) + '\n');
  }
  return errors.length ? 1 : 0;
}

function printCapture(capture: CaptureInfo, alreadyPresent: boolean): void {
  const note = alreadyPresent ? ' (already in the case)' : '';
  process.stdout.write(
    `capture ${capture.id}: ${capture.path}${note}\n  ${capture.format ?? '?'}, link types ${capture.linkTypes.join(',')}, ` +
      `${capture.packets} packets, ${capture.bytes} bytes, ${capture.flows} flows\n`,
  );
  for (const warning of capture.warnings) process.stdout.write(`  warning: ${warning}\n`);
}

/** One-line progress bar on stderr: percent, MB/s, packets/s, ETA. */
class ProgressBar {
  private shown = false;
  update(file: string, progress: IngestProgress): void {
    const fraction = progress.totalBytes > 0 ? Math.min(1, progress.bytesRead / progress.totalBytes) : 0;
    const width = 24;
    const filled = Math.round(fraction * width);
    const eta = progress.etaMs === null ? '?' : `${Math.ceil(progress.etaMs / 1000)}s`;
    const line =
      `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
      `${(progress.bytesPerSecond / 1e6).toFixed(0)} MB/s ${(progress.packetsPerSecond / 1e3).toFixed(0)}k pkt/s ` +
      `${progress.flows} flows ETA ${eta} ${file}`;
    process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 120) - 1)}\x1b[K`);
    this.shown = true;
  }
  clear(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}
