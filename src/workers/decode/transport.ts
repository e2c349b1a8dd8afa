/**
 * Transport dispatch after the (innermost so far) IP header: TCP, UDP, ICMP/ICMPv6 and the IP
 * protocols that are tunnels (IP-in-IP, 6in4, GRE). UDP tunnels (VXLAN, GENEVE, Teredo) are
 * recognised by port in udp.ts.
 */
import type { PacketBatch } from '../../shared/packet-batch';
import { readUint16BE } from './byte-reader';
import { decodeInnerIp } from './network';
import { markTruncated } from './row-columns';
import { decodeTcp } from './tcp';
import { decodeGre } from './tunnels';
import { decodeUdp } from './udp';

/** IANA protocol numbers handled here. */
export const IpProtocol = {
  icmp: 1,
  ipInIp: 4,
  tcp: 6,
  udp: 17,
  ipv6InIp: 41,
  gre: 47,
  icmpv6: 58,
} as const;

/**
 * ICMP types whose second word starts with an identifier: echo reply 0 / request 8 (RFC 792),
 * timestamp 13/14, information 15/16, address mask 17/18 (RFC 950); ICMPv6 echo 128/129
 * (RFC 4443 4.1/4.2).
 */
const ICMP_HAS_IDENTIFIER = new Uint8Array(256);
const ICMPV6_HAS_IDENTIFIER = new Uint8Array(256);
for (const type of [0, 8, 13, 14, 15, 16, 17, 18]) ICMP_HAS_IDENTIFIER[type] = 1;
for (const type of [128, 129]) ICMPV6_HAS_IDENTIFIER[type] = 1;

/**
 * Decodes the transport header at `offset`. `end` bounds the captured bytes of this datagram;
 * `transportLength` is the length the IP header announces (payloadLength is derived from it,
 * not from the captured length). `fragmented`: a first fragment, whose payload is incomplete,
 * so tunnels are not entered.
 */
export function decodeTransport(
  bytes: Uint8Array,
  offset: number,
  end: number,
  transportLength: number,
  protocol: number,
  batch: PacketBatch,
  row: number,
  depth: number,
  fragmented: boolean,
): void {
  switch (protocol) {
    case IpProtocol.tcp:
      decodeTcp(bytes, offset, end, transportLength, batch, row);
      return;
    case IpProtocol.udp:
      decodeUdp(bytes, offset, end, transportLength, batch, row, depth, fragmented);
      return;
    case IpProtocol.icmp:
      decodeIcmp(bytes, offset, end, transportLength, batch, row, ICMP_HAS_IDENTIFIER);
      return;
    case IpProtocol.icmpv6:
      decodeIcmp(bytes, offset, end, transportLength, batch, row, ICMPV6_HAS_IDENTIFIER);
      return;
    case IpProtocol.ipInIp:
      if (!fragmented && decodeInnerIp(bytes, offset, end, 4, batch, row, depth)) return;
      break;
    case IpProtocol.ipv6InIp:
      if (!fragmented && decodeInnerIp(bytes, offset, end, 6, batch, row, depth)) return;
      break;
    case IpProtocol.gre:
      if (!fragmented && decodeGre(bytes, offset, end, batch, row, depth)) return;
      break;
  }
  batch.payloadLength[row] = transportLength;
}

/** ICMP (RFC 792) / ICMPv6 (RFC 4443 2.1): type, code, checksum, then a type-specific word. */
function decodeIcmp(
  bytes: Uint8Array,
  offset: number,
  end: number,
  transportLength: number,
  batch: PacketBatch,
  row: number,
  hasIdentifier: Uint8Array,
): void {
  const available = end - offset;
  if (available >= 2) {
    batch.icmpType[row] = bytes[offset]!;
    batch.icmpCode[row] = bytes[offset + 1]!;
  }
  if (available < 8) {
    markTruncated(batch, row);
    return;
  }
  batch.l4HeaderLength[row] = 8;
  batch.payloadLength[row] = transportLength > 8 ? transportLength - 8 : 0;
  if (hasIdentifier[bytes[offset]!] === 1) {
    const identifier = readUint16BE(bytes, offset + 4);
    batch.srcPort[row] = identifier;
    batch.dstPort[row] = identifier;
  }
}
