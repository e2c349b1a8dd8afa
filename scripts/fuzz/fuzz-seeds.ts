/**
 * Seed inputs of the fuzzer: the real captures of test/fixtures (and of the shared corpus when
 * present), read once per worker. Each capture gives whole-file seeds (cut into windows of
 * whole records by the mutators) and packet seeds (one per record, with its link type).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { captureUnits, isPacketUnit, type SeedCapture } from './capture-units';

export interface SeedPacket {
  linkType: number;
  bytes: Uint8Array;
}

export interface SeedCorpus {
  captures: SeedCapture[];
  packets: SeedPacket[];
}

/** Files of `dirs` (not recursive), sorted, so the corpus and thus every case is reproducible. */
export function seedFiles(dirs: readonly string[]): string[] {
  const files: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (statSync(file).isFile() && !/\.(tsv|md|txt)$/i.test(name)) files.push(file);
    }
  }
  return files;
}

function packetsOf(seed: SeedCapture): SeedPacket[] {
  const { bytes, units } = seed;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const packets: SeedPacket[] = [];
  let linkTypes: number[] = [];
  for (const unit of units) {
    const le = unit.littleEndian;
    if (unit.kind === 'fileHeader') linkTypes = [view.getUint32(20, le) & 0xffff];
    else if (unit.kind === 'section') linkTypes = [];
    else if (unit.kind === 'interface') linkTypes.push(view.getUint16(unit.offset + 8, le));
    else if (isPacketUnit(bytes, unit)) {
      const type = unit.kind === 'record' ? 0 : view.getUint32(unit.offset, le);
      let start: number;
      let length: number;
      let linkType: number | undefined;
      if (unit.kind === 'record') {
        start = unit.offset + 16;
        length = unit.length - 16;
        linkType = linkTypes[0];
      } else if (type === 3) {
        start = unit.offset + 12;
        length = unit.length - 16;
        linkType = linkTypes[0];
      } else {
        const id = type === 6 ? view.getUint32(unit.offset + 8, le) : view.getUint16(unit.offset + 8, le);
        start = unit.offset + 28;
        length = Math.min(view.getUint32(unit.offset + 20, le), unit.length - 32);
        linkType = linkTypes[id];
      }
      if (linkType !== undefined && length > 0)
        packets.push({ linkType, bytes: bytes.subarray(start, start + length) });
    }
  }
  return packets;
}

/**
 * A plain Uint8Array over a Buffer's bytes: Buffer#slice returns a view, not a copy, so the
 * mutators (which copy with slice) would otherwise write into the seeds.
 */
export function plainBytes(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Reads every capture of `dirs` (gzip is decompressed; other files are skipped). */
export function loadSeedCorpus(dirs: readonly string[]): SeedCorpus {
  const captures: SeedCapture[] = [];
  const packets: SeedPacket[] = [];
  for (const file of seedFiles(dirs)) {
    let bytes = plainBytes(readFileSync(file));
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        bytes = plainBytes(gunzipSync(bytes));
      } catch {
        continue;
      }
    }
    const seed = captureUnits(path.basename(file), bytes);
    if (!seed) continue;
    captures.push(seed);
    packets.push(...packetsOf(seed));
  }
  if (captures.length === 0 || packets.length === 0)
    throw new Error(`No seed captures in ${dirs.join(', ')}`);
  return { captures, packets };
}
