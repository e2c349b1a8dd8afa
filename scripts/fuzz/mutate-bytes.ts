/**
 * Structure-blind mutations of a byte string (AFL/libFuzzer style): bit flips, random and
 * "interesting" bytes and 16/32-bit values (0, -1, boundaries, lengths one off) in both byte
 * orders, truncation, insertion, deletion, duplication of ranges and splicing with another
 * input. Every function returns a new array; the seed is never modified.
 */
import { below, pick, type Random } from './random';

const INTERESTING_8 = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x40, 0x20, 0x10];
const INTERESTING_16 = [0, 1, 0x7fff, 0x8000, 0xffff, 0x0100, 0x00ff, 1500, 9000, 0x3fff];
const INTERESTING_32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x00010000, 0x0000ffff, 0x40000000, 262144];

/** `bytes` with `length` bytes at `at` replaced by `insert`. */
export function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

/** Writes `value` as `width` bytes (1, 2 or 4) at `at` in either byte order, if it fits. */
export function writeValue(
  bytes: Uint8Array,
  at: number,
  width: number,
  value: number,
  little: boolean,
): void {
  if (at < 0 || at + width > bytes.length) return;
  for (let i = 0; i < width; i++) {
    const shift = 8 * (little ? i : width - 1 - i);
    bytes[at + i] = (value >>> shift) & 0xff;
  }
}

function randomBytes(random: Random, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = below(random, 256);
  return out;
}

/** Near a 16/32-bit value already present: the value +- a little (off-by-one lengths). */
function nudged(bytes: Uint8Array, at: number, width: number, random: Random): number {
  let value = 0;
  for (let i = 0; i < width; i++) value = value * 256 + (bytes[at + i] ?? 0);
  return (value + below(random, 33) - 16) >>> 0;
}

/** Applies one random structure-blind mutation to a copy of `bytes`. */
export function mutateOnce(bytes: Uint8Array, random: Random, other: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const at = below(random, out.length);
  switch (below(random, 11)) {
    case 0: {
      const flips = 1 + below(random, 8);
      for (let i = 0; i < flips && out.length > 0; i++)
        out[below(random, out.length)]! ^= 1 << below(random, 8);
      return out;
    }
    case 1:
      if (out.length > 0) out[at] = below(random, 256);
      return out;
    case 2:
      if (out.length > 0) out[at] = pick(random, INTERESTING_8);
      return out;
    case 3:
      writeValue(out, at, 2, pick(random, INTERESTING_16), random() < 0.5);
      return out;
    case 4:
      writeValue(out, at, 4, pick(random, INTERESTING_32), random() < 0.5);
      return out;
    case 5: {
      const width = random() < 0.5 ? 2 : 4;
      writeValue(out, at, width, nudged(out, at, width, random), false);
      return out;
    }
    case 6:
      return out.subarray(0, below(random, out.length + 1));
    case 7:
      return splice(out, at, 0, randomBytes(random, 1 + below(random, 32)));
    case 8:
      return splice(out, at, Math.min(out.length - at, 1 + below(random, 32)), new Uint8Array(0));
    case 9: {
      const from = below(random, out.length);
      const length = Math.min(out.length - from, 1 + below(random, 64));
      return splice(out, at, 0, out.slice(from, from + length));
    }
    default: {
      const from = below(random, other.length);
      return splice(out, at, out.length - at, other.subarray(from, from + below(random, 512)));
    }
  }
}

/** One to `max` stacked mutations. */
export function mutateBytes(bytes: Uint8Array, random: Random, other: Uint8Array, max = 4): Uint8Array {
  let out = bytes;
  const count = 1 + below(random, max);
  for (let i = 0; i < count; i++) out = mutateOnce(out, random, other);
  return out === bytes ? bytes.slice() : out;
}
