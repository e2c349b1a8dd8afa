/**
 * Canonical text of IP addresses, the one form the store writes and filters compare against:
 * dotted quad for IPv4; RFC 5952 for IPv6 (lowercase hex without leading zeros (4.1, 4.3), the
 * longest run of two or more zero groups compressed to '::', the first on a tie (4.2), and
 * IPv4-mapped addresses (::ffff:0:0/96) with a dotted-quad tail (5)).
 */

/** Dotted-quad IPv4 from a 32-bit value, most significant byte first (10.0.0.1 = 0x0a000001). */
export function formatIpv4(word: number): string {
  return `${word >>> 24}.${(word >>> 16) & 0xff}.${(word >>> 8) & 0xff}.${word & 0xff}`;
}

/** RFC 5952 text of an IPv6 address given as four 32-bit words (network order) at `offset`. */
export function formatIpv6(words: ArrayLike<number>, offset = 0): string {
  const w0 = words[offset]! >>> 0;
  const w1 = words[offset + 1]! >>> 0;
  const w2 = words[offset + 2]! >>> 0;
  const w3 = words[offset + 3]! >>> 0;
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
