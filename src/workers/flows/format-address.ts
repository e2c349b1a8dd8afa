/**
 * Address formatting for emitted flows (once per flow, never per packet). Address words hold
 * the bytes in network order, most significant byte first (10.0.0.1 = 0x0a000001).
 */

/** Dotted-quad IPv4 (RFC 791 / inet_ntoa style). */
export function formatIpv4(word: number): string {
  return `${word >>> 24}.${(word >>> 16) & 0xff}.${(word >>> 8) & 0xff}.${word & 0xff}`;
}

/**
 * IPv6 text in the RFC 5952 canonical form: lowercase hex without leading zeros (4.1, 4.3),
 * the longest run of two or more zero groups compressed to '::', the first on a tie (4.2), and
 * IPv4-mapped addresses (::ffff:0:0/96) with a dotted-quad tail (5).
 */
export function formatIpv6(words: Uint32Array, offset: number): string {
  const w0 = words[offset]!;
  const w1 = words[offset + 1]!;
  const w2 = words[offset + 2]!;
  const w3 = words[offset + 3]!;
  if (w0 === 0 && w1 === 0 && w2 === 0xffff) return `::ffff:${formatIpv4(w3)}`;
  const groups = [
    w0 >>> 16,
    w0 & 0xffff,
    w1 >>> 16,
    w1 & 0xffff,
    w2 >>> 16,
    w2 & 0xffff,
    w3 >>> 16,
    w3 & 0xffff,
  ];
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string =>
    groups
      .slice(from, to)
      .map((group) => group.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** 'aa:bb:cc:dd:ee:ff' from three big-endian 16-bit words, or null when all are zero (no MAC). */
export function formatMac(words: Uint16Array, offset: number): string | null {
  const a = words[offset]!;
  const b = words[offset + 1]!;
  const c = words[offset + 2]!;
  if (a === 0 && b === 0 && c === 0) return null;
  const bytes = [a >>> 8, a & 0xff, b >>> 8, b & 0xff, c >>> 8, c & 0xff];
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}
