/**
 * Address formatting for emitted flows (once per flow, never per packet). Address words hold
 * the bytes in network order, most significant byte first (10.0.0.1 = 0x0a000001).
 */

export { formatIpv4, formatIpv6 } from '../../shared/ip-text';

/** Two lowercase hex digits per byte value, built once. */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, '0'),
);

/** 'aa:bb:cc:dd:ee:ff' from three big-endian 16-bit words, or null when all are zero (no MAC). */
export function formatMac(words: Uint16Array, offset: number): string | null {
  const a = words[offset]!;
  const b = words[offset + 1]!;
  const c = words[offset + 2]!;
  if (a === 0 && b === 0 && c === 0) return null;
  return (
    HEX_BYTE[a >>> 8]! +
    ':' +
    HEX_BYTE[a & 0xff]! +
    ':' +
    HEX_BYTE[b >>> 8]! +
    ':' +
    HEX_BYTE[b & 0xff]! +
    ':' +
    HEX_BYTE[c >>> 8]! +
    ':' +
    HEX_BYTE[c & 0xff]!
  );
}
