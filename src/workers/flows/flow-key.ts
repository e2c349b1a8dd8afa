import type { PacketColumns } from './packet-columns';

/**
 * Canonical bidirectional flow keys as 10 x 32-bit words, so a key lives in a typed array and
 * is compared word by word (no strings per packet):
 *   [0] ipVersion | protocol << 8 | vlanId << 16
 *   [1] portA << 16 | portB
 *   [2..5] address of endpoint A (4 words, IPv4 uses the first)
 *   [6..9] address of endpoint B
 * Endpoint A is the lower of the two (address words compared in order, then the port), so both
 * directions of a conversation produce the same key.
 */
export const KEY_WORDS = 10;

/**
 * Writes the canonical key of packet `row` into `key[0..KEY_WORDS)` using the given ports
 * (the caller substitutes the datagram's ports for non-first IP fragments). Returns true when
 * the packet's sender is endpoint A.
 */
export function buildFlowKey(
  batch: PacketColumns,
  row: number,
  srcPort: number,
  dstPort: number,
  key: Uint32Array,
): boolean {
  const src = batch.srcAddr;
  const dst = batch.dstAddr;
  const base = row * 4;
  // Lexicographic comparison of (address words, port); ties (src == dst) make the sender A.
  let order = 0;
  for (let i = 0; i < 4 && order === 0; i++) {
    const s = src[base + i]!;
    const d = dst[base + i]!;
    if (s !== d) order = s < d ? -1 : 1;
  }
  if (order === 0 && srcPort !== dstPort) order = srcPort < dstPort ? -1 : 1;
  const senderIsA = order <= 0;
  key[0] = (batch.ipVersion[row]! | (batch.protocol[row]! << 8) | (batch.vlanId[row]! << 16)) >>> 0;
  if (senderIsA) {
    key[1] = ((srcPort << 16) | dstPort) >>> 0;
    for (let i = 0; i < 4; i++) {
      key[2 + i] = src[base + i]!;
      key[6 + i] = dst[base + i]!;
    }
  } else {
    key[1] = ((dstPort << 16) | srcPort) >>> 0;
    for (let i = 0; i < 4; i++) {
      key[2 + i] = dst[base + i]!;
      key[6 + i] = src[base + i]!;
    }
  }
  return senderIsA;
}

/**
 * 32-bit hash of `words[offset .. offset + KEY_WORDS)`: the MurmurHash3_x86_32 block mix and
 * finaliser (Austin Appleby, smhasher `MurmurHash3.cpp`), with a fixed seed so table layouts
 * are reproducible.
 */
export function hashKey(words: Uint32Array, offset: number): number {
  let h = 0x9747b28c;
  for (let i = 0; i < KEY_WORDS; i++) {
    let k = Math.imul(words[offset + i]!, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= KEY_WORDS * 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Whether `a[aOffset..+KEY_WORDS)` equals `b[bOffset..+KEY_WORDS)`. */
export function keysEqual(a: Uint32Array, aOffset: number, b: Uint32Array, bOffset: number): boolean {
  for (let i = 0; i < KEY_WORDS; i++) {
    if (a[aOffset + i] !== b[bOffset + i]) return false;
  }
  return true;
}
