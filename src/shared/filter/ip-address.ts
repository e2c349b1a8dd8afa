/**
 * IP address literals for the filter language and the host views: parsing (RFC 4291 2.2 text
 * forms), the RFC 5952 canonical IPv6 text the store uses, CIDR ranges and address scopes.
 */

/** A parsed address: version and its value as an unsigned integer (32 or 128 bits). */
import { formatIpv4, formatIpv6 } from '../ip-text';
export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

/** An address range `network/prefix` as inclusive integer bounds. */
export interface CidrRange {
  version: 4 | 6;
  prefix: number;
  first: bigint;
  last: bigint;
}

const IPV4_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Dotted-quad IPv4 (each octet 0..255, no leading '+' or spaces), or undefined. */
export function parseIpv4(text: string): number | undefined {
  const match = IPV4_PATTERN.exec(text);
  if (!match) return undefined;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(match[i]);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** IPv6 text (RFC 4291 2.2: full, '::'-compressed, or with a dotted-quad tail) as 8 groups, or undefined. */
export function parseIpv6Groups(text: string): number[] | undefined {
  if (text.length < 2 || text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseSide = (side: string, allowIpv4Tail: boolean): number[] | undefined => {
    if (side === '') return [];
    const parts = side.split(':');
    const groups: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (allowIpv4Tail && i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (v4 === undefined) return undefined;
        groups.push(v4 >>> 16, v4 & 0xffff);
      } else if (IPV6_GROUP.test(part)) {
        groups.push(parseInt(part, 16));
      } else return undefined;
    }
    return groups;
  };
  if (halves.length === 1) {
    const groups = parseSide(text, true);
    return groups && groups.length === 8 ? groups : undefined;
  }
  const head = parseSide(halves[0]!, false);
  const tail = parseSide(halves[1]!, true);
  if (!head || !tail || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** Parses an IPv4 or IPv6 address literal, or undefined. */
export function parseIpAddress(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { version: 4, value: BigInt(v4) };
  const groups = parseIpv6Groups(text);
  if (!groups) return undefined;
  return { version: 6, value: groups.reduce((sum, group) => (sum << 16n) | BigInt(group), 0n) };
}

/**
 * The canonical text of an address, as the store writes it: dotted quad for IPv4; RFC 5952 for
 * IPv6 (lowercase, no leading zeros, longest zero run of 2+ groups as '::', first on a tie,
 * IPv4-mapped ::ffff:a.b.c.d with a dotted tail).
 */
export function canonicalIpText(address: IpAddress): string {
  if (address.version === 4) return formatIpv4(Number(address.value));
  const words = [96n, 64n, 32n, 0n].map((shift) => Number((address.value >> shift) & 0xffffffffn));
  return formatIpv6(words);
}

/** Canonical text of an address literal, or the input unchanged when it is not an address. */
export function normalizeIpText(text: string): string {
  const address = parseIpAddress(text);
  return address ? canonicalIpText(address) : text;
}

/** Parses `address/prefix` (host bits may be set: 10.1.2.3/8 means 10.0.0.0/8), or undefined. */
export function parseCidr(text: string): CidrRange | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpAddress(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!address || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const bits = address.version === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const first = (address.value >> hostBits) << hostBits;
  const last = first | ((1n << hostBits) - 1n);
  return { version: address.version, prefix, first, last };
}

function inRange(address: IpAddress, cidr: string): boolean {
  const range = parseCidr(cidr)!;
  return range.version === address.version && address.value >= range.first && address.value <= range.last;
}

/** Ranges that are not public Internet addresses (RFC 1918, 6598, 1122, 3927, 5771, 4193, 4291). */
export const NON_PUBLIC_RANGES = [
  '0.0.0.0/8', // "this network" (RFC 1122 3.2.1.3)
  '10.0.0.0/8', // RFC 1918
  '100.64.0.0/10', // shared address space / CGNAT (RFC 6598)
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local (RFC 3927)
  '172.16.0.0/12', // RFC 1918
  '192.168.0.0/16', // RFC 1918
  '224.0.0.0/4', // multicast (RFC 5771)
  '255.255.255.255/32', // limited broadcast
  '::/128', // unspecified
  '::1/128', // loopback
  'fc00::/7', // unique local (RFC 4193)
  'fe80::/10', // link-local
  'ff00::/8', // multicast
];

/**
 * True for a public address ("external"): not private (RFC 1918), shared (RFC 6598),
 * loopback, link-local, unique-local (ULA), multicast, broadcast or unspecified. IPv4-mapped
 * IPv6 addresses are judged by their IPv4 part. Text that is not an address is not external.
 */
export function isExternalAddress(text: string): boolean {
  let address = parseIpAddress(text);
  if (!address) return false;
  if (address.version === 6 && address.value >> 32n === 0xffffn)
    address = { version: 4, value: address.value & 0xffffffffn };
  return !NON_PUBLIC_RANGES.some((range) => inRange(address, range));
}
