/**
 * Structure-aware mutations of a whole capture: a window of whole records (with the headers
 * they need) is cut from a seed file, then length fields are corrupted (pcap incl_len/orig_len,
 * pcapng block total length and its trailing copy, EPB captured length, interface ids, IDB link
 * type and snap length, SHB byte-order magic and version), records are reordered, dropped or
 * duplicated, blocks are spliced in from other captures (other byte orders too), and the file is
 * truncated at or near a record boundary. Structure-blind mutations (mutate-bytes.ts) are mixed in.
 */
import { captureUnits, isPacketUnit, type CaptureUnit, type SeedCapture } from './capture-units';
import { mutateOnce, splice, writeValue } from './mutate-bytes';
import { below, pick, type Random } from './random';

const LENGTH_VALUES = [
  0, 1, 4, 11, 12, 16, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0, 65535, 65536, 262145,
];

/** Header units before `start` followed by whole units from `start` up to about `maxBytes`. */
export function captureWindow(seed: SeedCapture, random: Random, maxBytes: number): Uint8Array {
  const { bytes, units } = seed;
  if (units.length === 0) return bytes.slice(0, Math.min(bytes.length, maxBytes));
  const start = below(random, units.length);
  const parts: CaptureUnit[] = [];
  let size = 0;
  for (let i = 0; i < start; i++) {
    const unit = units[i]!;
    if (!isPacketUnit(bytes, unit) && unit.kind !== 'block' && size + unit.length <= maxBytes) {
      parts.push(unit);
      size += unit.length;
    }
  }
  for (let i = start; i < units.length && size < maxBytes; i++) {
    parts.push(units[i]!);
    size += units[i]!.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const unit of parts) {
    out.set(bytes.subarray(unit.offset, unit.offset + unit.length), at);
    at += unit.length;
  }
  return out;
}

/** Offsets of the length-like fields of `unit` (4-byte unless noted in `width`). */
function fieldsOf(bytes: Uint8Array, unit: CaptureUnit): { at: number; width: number }[] {
  const o = unit.offset;
  switch (unit.kind) {
    case 'fileHeader':
      return [4, 6, 16, 20].map((d) => ({ at: o + d, width: d < 8 ? 2 : 4 }));
    case 'record':
      return [
        { at: o + 8, width: 4 },
        { at: o + 12, width: 4 },
        { at: o + 4, width: 4 },
      ];
    case 'section':
      return [4, 8, 12, 16, 20, unit.length - 4].map((d) => ({ at: o + d, width: d === 12 ? 2 : 4 }));
    case 'interface':
      return [
        { at: o + 4, width: 4 },
        { at: o + 8, width: 2 },
        { at: o + 12, width: 4 },
        { at: o + 16, width: 2 },
        { at: o + 18, width: 2 },
        { at: o + unit.length - 4, width: 4 },
      ];
    default: {
      const fields = [
        { at: o + 4, width: 4 },
        { at: o + unit.length - 4, width: 4 },
      ];
      if (isPacketUnit(bytes, unit))
        for (const d of [8, 20, 24, 28, 30]) fields.push({ at: o + d, width: d >= 28 ? 2 : 4 });
      return fields;
    }
  }
}

function corruptField(bytes: Uint8Array, units: CaptureUnit[], random: Random): Uint8Array {
  const out = bytes.slice();
  const unit = pick(random, units);
  const field = pick(random, fieldsOf(out, unit));
  let value: number;
  if (random() < 0.5) value = pick(random, LENGTH_VALUES);
  else {
    const view = new DataView(out.buffer);
    const current =
      field.at + field.width > out.length
        ? 0
        : field.width === 2
          ? view.getUint16(field.at, unit.littleEndian)
          : view.getUint32(field.at, unit.littleEndian);
    value = (current + below(random, 17) - 8) >>> 0;
  }
  writeValue(out, field.at, field.width, value, random() < 0.9 ? unit.littleEndian : !unit.littleEndian);
  return out;
}

function unitBytes(bytes: Uint8Array, unit: CaptureUnit): Uint8Array {
  return bytes.subarray(unit.offset, unit.offset + unit.length);
}

function boundary(units: CaptureUnit[], random: Random, total: number): number {
  if (units.length === 0 || random() < 0.1) return total;
  return pick(random, units).offset;
}

/** One structure-aware mutation (falls back to a blind one when the bytes have no structure). */
function mutateStructure(bytes: Uint8Array, random: Random, donor: SeedCapture): Uint8Array {
  const parsed = captureUnits('', bytes);
  const units = parsed?.units ?? [];
  const body = units.filter((unit) => unit.kind !== 'fileHeader');
  if (body.length === 0) return mutateOnce(bytes, random, donor.bytes);
  switch (below(random, 8)) {
    case 0:
    case 1:
      return corruptField(bytes, units, random);
    case 2: {
      // Reorder: move one record or block elsewhere.
      const unit = pick(random, body);
      const without = splice(bytes, unit.offset, unit.length, new Uint8Array(0));
      const at = Math.min(without.length, boundary(body, random, without.length));
      return splice(without, at, 0, unitBytes(bytes, unit));
    }
    case 3: {
      const unit = pick(random, body);
      return splice(bytes, unit.offset, unit.length, new Uint8Array(0));
    }
    case 4: {
      const unit = pick(random, body);
      return splice(bytes, boundary(body, random, bytes.length), 0, unitBytes(bytes, unit).slice());
    }
    case 5: {
      // pcapng splicing: a block (SHB, IDB, EPB, ...) of another capture, maybe another byte order.
      const donorUnits = donor.units.filter((unit) => unit.kind !== 'fileHeader');
      if (donorUnits.length === 0) return mutateOnce(bytes, random, donor.bytes);
      const unit = pick(random, donorUnits);
      return splice(bytes, boundary(body, random, bytes.length), 0, unitBytes(donor.bytes, unit));
    }
    case 6: {
      const at = boundary(body, random, bytes.length) + below(random, 33) - 16;
      return bytes.slice(0, Math.max(0, Math.min(bytes.length, at)));
    }
    default: {
      // Blind damage inside one record's header region.
      const unit = pick(random, body);
      const out = bytes.slice();
      const span = Math.min(unit.length, 40);
      const flips = 1 + below(random, 4);
      for (let i = 0; i < flips; i++) out[unit.offset + below(random, span)]! ^= 1 << below(random, 8);
      return out;
    }
  }
}

/** A mutated window of `seed`: one to four mutations, mostly structure-aware. */
export function mutateCapture(
  seed: SeedCapture,
  donor: SeedCapture,
  random: Random,
  maxBytes: number,
): Uint8Array {
  let out = captureWindow(seed, random, maxBytes);
  const count = 1 + below(random, 4);
  for (let i = 0; i < count; i++) {
    out = random() < 0.7 ? mutateStructure(out, random, donor) : mutateOnce(out, random, donor.bytes);
  }
  return out;
}
