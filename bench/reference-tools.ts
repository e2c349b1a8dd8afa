/**
 * The reference tools flowlab is compared with, timed over the same capture:
 *   tshark -q -r FILE -z conv,tcp -z conv,udp   (conversation tables, output discarded)
 *   argus -r FILE -w OUT.argus                  (argus-server flow records, file deleted afterwards)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BigCapture } from './big-capture';
import type { Measurement } from './measurement';
import { runTimed } from './timed-run';
import type { TimedRun } from './timed-run';
import { registerTemporary, releaseTemporary } from './temporary-files';

const TSHARK_BYTES_PER_PACKET = 900;

/** First line of each tool's version output, for the results file; throws when a tool is missing. */
export function referenceToolVersions(): Record<string, string> {
  const probes: Record<string, [string, string[]]> = {
    tshark: ['tshark', ['--version']],
    argus: ['argus', ['-h']],
    capinfos: ['capinfos', ['-v']],
  };
  const versions: Record<string, string> = {};
  for (const [name, [command, args]] of Object.entries(probes)) {
    const result = spawnSync(command, args, { encoding: 'utf8' });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      throw new Error(`Expected ${command} on PATH (or pass --skip-tools), found nothing`);
    }
    const text = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
    versions[name] =
      text
        .split('\n')
        .find((line) => line.trim() !== '')
        ?.trim() ?? 'unknown';
  }
  return versions;
}

/**
 * tshark keeps per-packet state, so its RSS grows with the packet count: 4501 MiB for the 1G
 * capture's 5.37 M packets here (~880 bytes a packet). On the 4G capture that is ~18 GB; rather
 * than let the OOM killer pick a process on a shared machine, skip tshark when the estimate
 * exceeds 3/4 of MemAvailable. Returns the reason, or undefined to run it.
 */
export function tsharkSkipReason(capture: BigCapture): string | undefined {
  const estimated = capture.packets * TSHARK_BYTES_PER_PACKET;
  const available = memAvailableBytes();
  if (available === undefined || estimated <= available * 0.75) return undefined;
  const gib = (bytes: number) => `${(bytes / (1 << 30)).toFixed(1)} GiB`;
  return `tshark would need about ${gib(estimated)} RSS for ${capture.packets} packets, ${gib(available)} available`;
}

function memAvailableBytes(): number | undefined {
  if (!existsSync('/proc/meminfo')) return undefined;
  const match = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  return match ? Number(match[1]) * 1024 : undefined;
}

export async function runTshark(workDir: string, capture: BigCapture): Promise<Measurement> {
  mkdirSync(workDir, { recursive: true });
  const args = ['-q', '-r', capture.path, '-z', 'conv,tcp', '-z', 'conv,udp'];
  const run = await runTimed('tshark', args, { workDir, cwd: workDir, keepStdout: false });
  return toMeasurement('tshark', capture, run, {});
}

export async function runArgus(workDir: string, capture: BigCapture): Promise<Measurement> {
  mkdirSync(workDir, { recursive: true });
  const output = path.join(workDir, `argus-${process.pid}-${capture.label}.argus`);
  registerTemporary([output]);
  rmSync(output, { force: true });
  try {
    const run = await runTimed('argus', ['-r', capture.path, '-w', output], {
      workDir,
      cwd: workDir,
      keepStdout: false,
    });
    const outputBytes = existsSync(output) ? statSync(output).size : 0;
    const measurement = toMeasurement('argus', capture, run, { outputBytes });
    if (measurement.ok && outputBytes === 0) {
      measurement.ok = false;
      measurement.error = `Expected argus to write flow records to ${output}, found an empty file`;
    }
    return measurement;
  } finally {
    rmSync(output, { force: true });
    releaseTemporary([output]);
  }
}

function toMeasurement(
  tool: 'tshark' | 'argus',
  capture: BigCapture,
  run: TimedRun,
  details: Record<string, unknown>,
): Measurement {
  const measurement: Measurement = {
    tool,
    label: capture.label,
    fileBytes: capture.sizeBytes,
    packets: capture.packets,
    wallSeconds: run.wallSeconds,
    peakRssMB: run.peakRssMB,
    ok: run.exitCode === 0,
    details,
  };
  if (!measurement.ok) measurement.error = `exit ${run.exitCode}: ${run.stderrTail.split('\n').at(-1) ?? ''}`;
  return measurement;
}
