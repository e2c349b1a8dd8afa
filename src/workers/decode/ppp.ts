/**
 * PPP (RFC 1661) as captured on PPP links (LINKTYPE_PPP 9, LINKTYPE_PPP_HDLC 50), inside PPPoE
 * and PPTP's enhanced GRE, and Cisco HDLC (LINKTYPE_C_HDLC 104).
 */
import type { PacketBatch } from '../../shared/packet-batch';
import { readUint16BE } from './byte-reader';
import { decodeEtherType } from './ethernet';
import { decodeIpv4, decodeIpv6 } from './network';
import { markNonIp, markTruncated } from './row-columns';

/** RFC 1332 / RFC 5072 PPP protocol numbers of IPv4 and IPv6 datagrams. */
export const PppProtocol = { ipv4: 0x0021, ipv6: 0x0057 } as const;

/** Cisco HDLC address bytes (unicast, broadcast). */
const CHDLC_UNICAST = 0x0f;
const CHDLC_BROADCAST = 0x8f;

/**
 * Parses the PPP header at `offset`: optional HDLC address/control (RFC 1662 3.1: 0xff 0x03)
 * and the protocol field, one byte when compressed (RFC 1661 6.5: an odd first byte). Returns
 * `headerLength << 16 | protocol`, or -1 when the header is cut short.
 */
export function readPppHeader(bytes: Uint8Array, offset: number, end: number): number {
  let position = offset;
  if (position + 2 <= end && bytes[position] === 0xff && bytes[position + 1] === 0x03) position += 2;
  if (position >= end) return -1;
  if ((bytes[position]! & 0x01) !== 0) return ((position + 1 - offset) << 16) | bytes[position]!;
  if (position + 2 > end) return -1;
  return ((position + 2 - offset) << 16) | readUint16BE(bytes, position);
}

/** Decodes a PPP frame (LINKTYPE_PPP, LINKTYPE_PPP_HDLC); PPP_HDLC may also carry Cisco HDLC. */
export function decodePpp(
  bytes: Uint8Array,
  start: number,
  end: number,
  batch: PacketBatch,
  row: number,
  hdlcLink: boolean,
): void {
  if (hdlcLink && start < end && (bytes[start] === CHDLC_UNICAST || bytes[start] === CHDLC_BROADCAST)) {
    decodeCiscoHdlc(bytes, start, end, batch, row);
    return;
  }
  const header = readPppHeader(bytes, start, end);
  if (header < 0) {
    markTruncated(batch, row);
    return;
  }
  decodePppProtocol(bytes, start + (header >>> 16), end, header & 0xffff, batch, row, 0);
}

/** Decodes the PPP information field at `offset` carrying `protocol`. */
export function decodePppProtocol(
  bytes: Uint8Array,
  offset: number,
  end: number,
  protocol: number,
  batch: PacketBatch,
  row: number,
  depth: number,
): void {
  if (protocol === PppProtocol.ipv4) decodeIpv4(bytes, offset, end, batch, row, depth);
  else if (protocol === PppProtocol.ipv6) decodeIpv6(bytes, offset, end, batch, row, depth);
  else markNonIp(batch, row); // LCP, IPCP, IPv6CP, CHAP, ... (RFC 1661 12)
}

/** Cisco SLARP keepalives use 0x8035, which is RARP as an ethertype. */
const CHDLC_SLARP = 0x8035;

/** Cisco HDLC: address, control, then an ethertype (SLARP and CDP 0x2000 are non-IP). */
export function decodeCiscoHdlc(
  bytes: Uint8Array,
  start: number,
  end: number,
  batch: PacketBatch,
  row: number,
): void {
  if (end - start < 4) {
    markTruncated(batch, row);
    return;
  }
  const protocol = readUint16BE(bytes, start + 2);
  if (protocol === CHDLC_SLARP) markNonIp(batch, row);
  else decodeEtherType(bytes, start + 4, end, protocol, batch, row);
}
