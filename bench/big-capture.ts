/**
 * The benchmark captures: built once with ../shared/tools/make-big-capture.py and cached outside
 * the repo, with a sidecar JSON holding what the generator reported and capinfos' packet count.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { BenchOptions, CaptureSize } from './bench-options';
import { registerTemporary, releaseTemporary } from './temporary-files';

/** Bump when the sidecar layout or the way captures are built changes: old caches are rebuilt. */
const SIDECAR_VERSION = 1;

export interface InputFile {
  name: string;
  sizeBytes: number;
}

export interface BigCapture {
  version: number;
  label: string;
  targetBytes: number;
  path: string;
  sizeBytes: number;
  /** Packets written, as reported by make-big-capture.py; checked against capinfos when available. */
  packets: number;
  capinfosPackets: number | null;
  /** Copies of the input traffic: flows(out) = copies x flows(in) per the generator's docstring. */
  copies: number;
  packetsPerCopy: number;
  /** Inputs that had Ethernet packets (classic pcap output keeps only linktype 1). */
  usedInputs: number;
  inputs: InputFile[];
  buildSeconds: number;
}

/** `../shared/pcaps/*.pcap*` relative to the repo root: regular files only, sorted like a shell glob. */
export function listInputs(repoRoot: string): { dir: string; files: InputFile[] } {
  const dir = path.resolve(repoRoot, '..', 'shared', 'pcaps');
  if (!existsSync(dir)) throw new Error(`Expected the capture corpus at ${dir}, found nothing`);
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && /^[^.].*\.pcap/.test(entry.name))
    .map((entry) => ({ name: entry.name, sizeBytes: statSync(path.join(dir, entry.name)).size }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (files.length === 0) throw new Error(`Expected *.pcap* files in ${dir}, found none`);
  return { dir, files };
}

export function capturePath(cacheDir: string, size: CaptureSize): string {
  return path.join(cacheDir, `flowlab-bench-${size.label}.pcap`);
}

/** Reuses the cached capture when its sidecar matches the size on disk, the target and the inputs. */
export function ensureBigCapture(options: BenchOptions, size: CaptureSize): BigCapture {
  const inputs = listInputs(options.repoRoot);
  const file = capturePath(options.cacheDir, size);
  const sidecarFile = `${file}.json`;
  const cached = readSidecar(sidecarFile);
  if (cached && isReusable(cached, file, size, inputs.files)) {
    console.log(`capture ${size.label}: reusing ${file} (${formatGiB(cached.sizeBytes)})`);
    return cached;
  }
  mkdirSync(options.cacheDir, { recursive: true });
  const built = build(options.repoRoot, inputs, file, size);
  writeFileSync(sidecarFile, JSON.stringify(built, null, 2) + '\n');
  return built;
}

function readSidecar(sidecarFile: string): BigCapture | undefined {
  if (!existsSync(sidecarFile)) return undefined;
  try {
    return JSON.parse(readFileSync(sidecarFile, 'utf8')) as BigCapture;
  } catch {
    return undefined;
  }
}

function isReusable(cached: BigCapture, file: string, size: CaptureSize, inputs: InputFile[]): boolean {
  if (cached.version !== SIDECAR_VERSION || cached.targetBytes !== size.bytes || !existsSync(file))
    return false;
  if (statSync(file).size !== cached.sizeBytes || cached.sizeBytes < size.bytes) return false;
  return JSON.stringify(cached.inputs) === JSON.stringify(inputs);
}

function build(
  repoRoot: string,
  inputs: { dir: string; files: InputFile[] },
  file: string,
  size: CaptureSize,
): BigCapture {
  const script = path.resolve(repoRoot, '..', 'shared', 'tools', 'make-big-capture.py');
  const partial = `${file}.partial`;
  console.log(`capture ${size.label}: building ${file} from ${inputs.files.length} inputs (once; cached)`);
  registerTemporary([partial]);
  const started = performance.now();
  const args = [
    script,
    '--out',
    partial,
    '--size',
    size.label,
    ...inputs.files.map((input) => path.join(inputs.dir, input.name)),
  ];
  const result = spawnSync('python3', args, {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const buildSeconds = Math.round((performance.now() - started) / 100) / 10;
  if (result.error || result.status !== 0) {
    rmSync(partial, { force: true });
    const reason =
      result.error?.message ?? `exit ${result.status}: ${(result.stderr ?? '').trim().split('\n').at(-1)}`;
    throw new Error(`make-big-capture.py failed for ${size.label}: ${reason}`);
  }
  // "wrote FILE: 137615043 bytes, 671676 packets, 3 copies of 223892 packets from 87 inputs"
  const match = /: (\d+) bytes, (\d+) packets, (\d+) copies of (\d+) packets from (\d+) inputs/.exec(
    result.stdout,
  );
  if (!match) {
    rmSync(partial, { force: true });
    throw new Error(
      `Expected a "wrote ..." summary from make-big-capture.py, got ${JSON.stringify(result.stdout.trim())}`,
    );
  }
  const [sizeBytes, packets, copies, packetsPerCopy, usedInputs] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const onDisk = statSync(partial).size;
  if (onDisk !== sizeBytes)
    throw new Error(`Expected ${partial} to hold ${sizeBytes} bytes, found ${onDisk}`);
  renameSync(partial, file);
  releaseTemporary([partial]);
  const capinfosPackets = countWithCapinfos(file);
  if (capinfosPackets !== null && capinfosPackets !== packets) {
    throw new Error(
      `Expected capinfos to count ${packets} packets in ${file} (generator), got ${capinfosPackets}`,
    );
  }
  console.log(
    `capture ${size.label}: ${formatGiB(sizeBytes)}, ${packets} packets, ${copies} copies of ${packetsPerCopy} packets ` +
      `from ${usedInputs} Ethernet inputs, built in ${buildSeconds} s` +
      (capinfosPackets === null
        ? ' (capinfos not found: packet count not cross-checked)'
        : ', capinfos agrees'),
  );
  return {
    version: SIDECAR_VERSION,
    label: size.label,
    targetBytes: size.bytes,
    path: file,
    sizeBytes,
    packets,
    capinfosPackets,
    copies,
    packetsPerCopy,
    usedInputs,
    inputs: inputs.files,
    buildSeconds,
  };
}

/** `capinfos -c -M` (machine-readable table, no header): "<file>\t<packets>". Null when not installed. */
function countWithCapinfos(file: string): number | null {
  const result = spawnSync('capinfos', ['-T', '-r', '-c', '-M', file], { encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return null;
  const count = Number(result.stdout?.trim().split('\t').at(-1));
  if (result.status !== 0 || !Number.isInteger(count)) {
    throw new Error(`capinfos failed on ${file}: ${(result.stderr || result.stdout || '').trim()}`);
  }
  return count;
}

export function formatGiB(bytes: number): string {
  return `${(bytes / (1 << 30)).toFixed(2)} GiB`;
}
