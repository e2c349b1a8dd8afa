/**
 * Address formatting for emitted flows (once per flow, never per packet). Address words hold
 * the bytes in network order, most significant byte first (10.0.0.1 = 0x0a000001).
 */

export { formatIpv4, formatIpv6 } from '../../shared/ip-text';

/** 'aa:bb:cc:dd:ee:ff' from three big-endian 16-bit words, or null when all are zero (no MAC). */
export function formatMac(words: Uint16Array, offset: number): string | null {
  const a = words[offset]!;
  const b = words[offset + 1]!;
  const c = words[offset + 2]!;
  if (a === 0 && b === 0 && c === 0) return null;
  const bytes = [a >>> 8, a & 0xff, b >>> 8, b & 0xff, c >>> 8, c & 0xff];
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}
