/**
 * Helpers for hand-built test packets: hex text to bytes, and decoding one packet placed in the
 * middle of a larger buffer whose other bytes are garbage, so any read outside
 * `[start, start + length)` shows up as a wrong value.
 */
import { createPacketBatch, type PacketBatch, type PacketMeta } from '../../../src/shared/packet-batch';
import { decodePacket } from '../../../src/workers/decode/decode-packet';

/** Bytes from hex text; whitespace and '|' (field separators for the reader) are ignored. */
export function hex(text: string): Uint8Array {
  const digits = text.replace(/[\s|]/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(digits)) throw new Error(`bad hex: ${text}`);
  return Uint8Array.from(digits.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

/** ASCII bytes of `text`. */
export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (character) => character.charCodeAt(0));
}

/** Concatenation of byte arrays and hex strings. */
export function bytes(...parts: (Uint8Array | string)[]): Uint8Array {
  const arrays = parts.map((part) => (typeof part === 'string' ? hex(part) : part));
  const result = new Uint8Array(arrays.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of arrays) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

export interface DecodedRow {
  batch: PacketBatch;
  row: number;
  meta: PacketMeta | undefined;
  srcMac: number[];
  dstMac: number[];
  srcAddr: number[];
  dstAddr: number[];
}

/**
 * Decodes `packet` as row 1 of a fresh batch, with `garbage` bytes before and after it in the
 * buffer. `frameLength` defaults to the packet length (nothing cut by the snap length).
 */
export function decodeBytes(
  packet: Uint8Array,
  linkType: number,
  frameLength = packet.length,
  garbage = 0xee,
): DecodedRow {
  const buffer = new Uint8Array(packet.length + 64).fill(garbage);
  buffer.set(packet, 29);
  const batch = createPacketBatch(3, 1);
  const row = 1;
  batch.linkType[row] = linkType;
  batch.frameLength[row] = frameLength;
  batch.capturedLength[row] = packet.length;
  decodePacket(buffer, 29, packet.length, linkType, batch, row);
  batch.count = 3;
  const words = (column: Uint16Array | Uint32Array, width: number): number[] =>
    Array.from(column.subarray(row * width, row * width + width));
  return {
    batch,
    row,
    meta: batch.metaIndex[row]! >= 0 ? batch.meta[batch.metaIndex[row]!] : undefined,
    srcMac: words(batch.srcMac, 3),
    dstMac: words(batch.dstMac, 3),
    srcAddr: words(batch.srcAddr, 4),
    dstAddr: words(batch.dstAddr, 4),
  };
}

/** A row as a plain object of every typed column (for whole-row comparisons). */
export function rowSnapshot(batch: PacketBatch, row: number): Record<string, number[]> {
  const snapshot: Record<string, number[]> = {};
  for (const [name, column] of Object.entries(batch)) {
    if (!ArrayBuffer.isView(column) || name === 'tsSec') continue;
    const typed = column as unknown as {
      length: number;
      subarray(start: number, end: number): ArrayLike<number>;
    };
    const width = typed.length / 3;
    snapshot[name] = Array.from(typed.subarray(row * width, row * width + width));
  }
  snapshot.meta = [batch.metaIndex[row]! >= 0 ? 1 : 0];
  return snapshot;
}

/** Common headers (bytes computed by hand; see each comment). */
export const MAC_DST = '00 11 22 33 44 55'; // words 0x0011 0x2233 0x4455
export const MAC_SRC = '66 77 88 99 aa bb'; // words 0x6677 0x8899 0xaabb
/** IPv4 10.0.0.1 -> 10.0.0.2, IHL 5, total length 40, id 0x1234, DF, TTL 64, protocol 6. */
export const IPV4_TCP = '45 00 0028 1234 4000 40 06 0000 0a000001 0a000002';
/** TCP 12345 -> 80, seq 1, ack 0, data offset 5, SYN, window 29200. */
export const TCP_SYN = '3039 0050 00000001 00000000 50 02 7210 0000 0000';
/** 10.0.0.1 and 10.0.0.2 as network-order words. */
export const ADDRESS_1 = [0x0a000001, 0, 0, 0];
export const ADDRESS_2 = [0x0a000002, 0, 0, 0];

const word = (value: number): string => value.toString(16).padStart(4, '0');

/** Raw IPv4 (10.0.0.1 -> 10.0.0.2) + UDP packet around `payload`, lengths computed. */
export function udpPacket(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  return bytes(
    `45 00 ${word(28 + payload.length)} 0001 0000 40 11 0000 0a000001 0a000002`,
    `${word(srcPort)} ${word(dstPort)} ${word(8 + payload.length)} 0000`,
    payload,
  );
}

/** Raw IPv4 (10.0.0.1 -> 10.0.0.2) + TCP (PSH|ACK, data offset 5) packet around `payload`. */
export function tcpPacket(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  return bytes(
    `45 00 ${word(40 + payload.length)} 0001 4000 40 06 0000 0a000001 0a000002`,
    `${word(srcPort)} ${word(dstPort)} 00000001 00000001 50 18 ffff 0000 0000`,
    payload,
  );
}
