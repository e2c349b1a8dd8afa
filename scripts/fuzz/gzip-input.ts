/**
 * gzip inputs for the `.gz` path (RFC 1952): a window of a real capture compressed as one or
 * more concatenated members with hand-built headers (FEXTRA, FNAME, FCOMMENT, FHCRC, any level),
 * then left intact, truncated, given trailing bytes, or corrupted in the header, the deflate
 * stream or the trailer; and decompression bombs (a pcap header and megabytes of zeros, about
 * 1000:1). Intact and truncated inputs carry what they must decompress to.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { emptyCase, type FuzzCase } from './fuzz-case';
import { mutateOnce, writeValue } from './mutate-bytes';
import { below, pick, type Random } from './random';

/** RFC 1952 2.3.1 FLG bits. */
const Flag = { text: 1, headerCrc: 2, extra: 4, name: 8, comment: 16 } as const;
const HEADER_BYTES = 10;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function littleEndian32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0, true);
  return out;
}

function text(random: Random, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => 0x20 + below(random, 0x5f));
}

/** One gzip member of `data`: random optional header fields and compression level. */
export function gzipMember(data: Uint8Array, random: Random): Uint8Array {
  const flags = below(random, 32) & ~Flag.text;
  const header = Uint8Array.of(
    0x1f,
    0x8b,
    8,
    flags,
    0,
    0,
    0,
    0,
    below(random, 5) * 2,
    pick(random, [0, 3, 255]),
  );
  const parts: Uint8Array[] = [header];
  if (flags & Flag.extra) {
    // RFC 1952 2.3.1.1: subfields SI1 SI2 LEN data.
    const payload = text(random, below(random, 40));
    parts.push(
      Uint8Array.of((payload.length + 4) & 0xff, (payload.length + 4) >> 8, 0x41, 0x70, payload.length, 0),
      payload,
    );
  }
  if (flags & Flag.name) parts.push(text(random, below(random, 30)), Uint8Array.of(0));
  if (flags & Flag.comment) parts.push(text(random, below(random, 60)), Uint8Array.of(0));
  if (flags & Flag.headerCrc) {
    const crc = crc32(concat(parts));
    parts.push(Uint8Array.of(crc & 0xff, (crc >>> 8) & 0xff));
  }
  parts.push(deflateRawSync(data, { level: below(random, 10) }));
  parts.push(littleEndian32(crc32(data)), littleEndian32(data.length));
  return concat(parts);
}

/** `data` cut into 1..4 pieces, each its own member, concatenated (RFC 1952 2.2). */
function members(data: Uint8Array, random: Random): Uint8Array {
  const count = 1 + below(random, 4);
  const cuts = Array.from({ length: count - 1 }, () => below(random, data.length + 1)).sort((a, b) => a - b);
  const bounds = [0, ...cuts, data.length];
  return concat(bounds.slice(1).map((end, i) => gzipMember(data.subarray(bounds[i]!, end), random)));
}

/** A classic pcap header (little endian, µs, Ethernet): zeros after it are empty records. */
const PCAP_HEADER = Uint8Array.of(
  0xd4,
  0xc3,
  0xb2,
  0xa1,
  2,
  0,
  4,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0xff,
  0xff,
  0,
  0,
  1,
  0,
  0,
  0,
);
const bombs = new Map<number, Uint8Array>();

/** A pcap header and `mebibytes` MiB of zeros in one level-9 member (built once per size). */
export function gzipBomb(mebibytes: number): Uint8Array {
  let bomb = bombs.get(mebibytes);
  if (!bomb) {
    const data = new Uint8Array(PCAP_HEADER.length + mebibytes * 2 ** 20);
    data.set(PCAP_HEADER);
    bomb = gzipMember(data, () => 0.95);
    bombs.set(mebibytes, bomb);
  }
  return bomb;
}

/** Offset of the first deflate byte of the member at the start of `gzip` (its header's end). */
function deflateStart(gzip: Uint8Array): number {
  const flags = gzip[3] ?? 0;
  let at = HEADER_BYTES;
  if (flags & Flag.extra) at += 2 + ((gzip[at] ?? 0) | ((gzip[at + 1] ?? 0) << 8));
  for (const flag of [Flag.name, Flag.comment]) {
    if (!(flags & flag)) continue;
    while (at < gzip.length && gzip[at] !== 0) at++;
    at++;
  }
  if (flags & Flag.headerCrc) at += 2;
  return Math.min(at, gzip.length);
}

/** The header with one structural corruption: flags, method, XLEN, unterminated name, bad FHCRC, magic. */
function corruptHeader(gzip: Uint8Array, random: Random): Uint8Array {
  const out = gzip.slice();
  switch (below(random, 6)) {
    case 0:
      out[3] = below(random, 256); // reserved bits and fields that are not there
      break;
    case 1:
      out[2] = pick(random, [0, 7, 9, 255]); // CM other than deflate
      break;
    case 2:
      if (out[3]! & Flag.extra) writeValue(out, HEADER_BYTES, 2, pick(random, [0, 1, 0xffff, 0x8000]), true);
      else out[3] = out[3]! | Flag.extra;
      break;
    case 3:
      out[3] = out[3]! | Flag.name; // the deflate stream is read as a name with no NUL
      break;
    case 4:
      out[3] = out[3]! | Flag.headerCrc;
      break;
    default:
      out[below(random, 2)]! ^= 1 << below(random, 8);
  }
  return out;
}

/** A gzip case: `chunkBytes` is the size of each read from disk. */
export function generateGzip(window: Uint8Array, random: Random): FuzzCase {
  const kind = below(random, 100);
  let fuzz: FuzzCase;
  if (kind < 3) {
    // Decompression bomb, alone or followed by a member of real capture bytes.
    const bomb = gzipBomb(pick(random, [1, 4, 16]));
    fuzz = emptyCase('gzip', random() < 0.5 ? bomb : concat([bomb, gzipMember(window, random)]));
    fuzz.chunkBytes = pick(random, [65536, 1 << 20, 8 << 20]);
    return fuzz;
  }
  const gzip = members(window, random);
  if (kind < 25) {
    fuzz = { ...emptyCase('gzip', gzip), expected: window };
  } else if (kind < 45) {
    fuzz = {
      ...emptyCase('gzip', gzip.slice(0, below(random, gzip.length))),
      expected: window,
      expectPrefix: true,
    };
  } else if (kind < 55) {
    // Trailing bytes that do not start a member: at most the data (RFC 1952 leaves them undefined).
    const tail = Uint8Array.from({ length: 1 + below(random, 64) }, () => below(random, 256));
    if (tail[0] === 0x1f) tail[0] = 0;
    fuzz = { ...emptyCase('gzip', concat([gzip, tail])), expected: window, expectPrefix: true };
  } else if (kind < 75) {
    fuzz = emptyCase('gzip', corruptHeader(gzip, random));
  } else {
    // Deflate stream or trailer (CRC32, ISIZE): a few byte-level mutations after the header.
    const start = deflateStart(gzip);
    const body = gzip.subarray(start);
    let mutated = body.length > 0 ? mutateOnce(body, random, window) : body;
    for (let i = below(random, 3); i > 0 && mutated.length > 0; i--)
      mutated = mutateOnce(mutated, random, window);
    fuzz = emptyCase('gzip', concat([gzip.subarray(0, start), mutated]));
  }
  // Small reads now and then (a member header split across reads), mostly ordinary ones.
  fuzz.chunkBytes = random() < 0.1 ? 1 + below(random, 256) : 1024 + below(random, 65536);
  return fuzz;
}
