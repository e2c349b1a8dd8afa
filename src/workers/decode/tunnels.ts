/**
 * Tunnels whose inner IP packet replaces the outer one in the row (flows are keyed by inner
 * addresses, like tshark's conversations): GRE (RFC 2784/2890, PPTP's enhanced GRE RFC 2637,
 * ERSPAN II/III), VXLAN (RFC 7348), GENEVE (RFC 8926), Teredo (RFC 4380). Each returns false
 * when the payload is not a decodable inner IP packet, leaving the outer description in place.
 */
import type { PacketBatch } from '../../shared/packet-batch';
import { readUint16BE } from './byte-reader';
import { EtherType, findEthernetIp } from './ethernet';
import { decodeInnerIp } from './network';
import { PppProtocol, readPppHeader } from './ppp';

/** IANA-assigned UDP ports of UDP tunnels. */
export const TunnelPort = { vxlan: 4789, geneve: 6081, teredo: 3544 } as const;

const GRE_CHECKSUM = 0x8000;
const GRE_ROUTING = 0x4000;
const GRE_KEY = 0x2000;
const GRE_SEQUENCE = 0x1000;
/** RFC 2637 4.1: acknowledgment number present (enhanced GRE, version 1). */
const GRE_ACK = 0x0080;
/** GRE protocol types beyond the ethertypes: ERSPAN II, ERSPAN III, PPP (PPTP). */
const GRE_ERSPAN_2 = 0x88be;
const GRE_ERSPAN_3 = 0x22eb;
const GRE_PPP = 0x880b;

/** Decodes the payload of a GRE header at `offset`. */
export function decodeGre(
  bytes: Uint8Array,
  offset: number,
  end: number,
  batch: PacketBatch,
  row: number,
  depth: number,
): boolean {
  if (end - offset < 4) return false;
  const flags = readUint16BE(bytes, offset);
  const protocol = readUint16BE(bytes, offset + 2);
  const version = flags & 0x07;
  let position = offset + 4;
  if (version === 0) {
    // RFC 1701/2784: checksum+offset word when C (or R), then key (RFC 2890 2.1), then sequence.
    if ((flags & GRE_ROUTING) !== 0) return false; // RFC 1701 source routing: obsolete, not followed
    if ((flags & GRE_CHECKSUM) !== 0) position += 4;
    if ((flags & GRE_KEY) !== 0) position += 4;
    if ((flags & GRE_SEQUENCE) !== 0) position += 4;
  } else if (version === 1) {
    // RFC 2637 4.1: key field holds payload length and call id; sequence and ack optional.
    if (protocol !== GRE_PPP) return false;
    position += 4;
    if ((flags & GRE_SEQUENCE) !== 0) position += 4;
    if ((flags & GRE_ACK) !== 0) position += 4;
  } else {
    return false;
  }
  if (position >= end) return false;
  switch (protocol) {
    case EtherType.ipv4:
      return decodeInnerIp(bytes, position, end, 4, batch, row, depth);
    case EtherType.ipv6:
      return decodeInnerIp(bytes, position, end, 6, batch, row, depth);
    case EtherType.transparentEthernet:
      return decodeInnerEthernet(bytes, position, end, batch, row, depth);
    case GRE_ERSPAN_2:
      // ERSPAN type II has an 8-byte header (sequence bit set); type I has none.
      return decodeInnerEthernet(
        bytes,
        (flags & GRE_SEQUENCE) !== 0 ? position + 8 : position,
        end,
        batch,
        row,
        depth,
      );
    case GRE_ERSPAN_3: {
      // ERSPAN type III: 12-byte header, plus an 8-byte platform subheader when O (last bit) is set.
      if (position + 12 > end) return false;
      const subheader = (bytes[position + 11]! & 0x01) !== 0 ? 8 : 0;
      return decodeInnerEthernet(bytes, position + 12 + subheader, end, batch, row, depth);
    }
    case GRE_PPP: {
      const header = readPppHeader(bytes, position, end);
      if (header < 0) return false;
      const pppProtocol = header & 0xffff;
      const version = pppProtocol === PppProtocol.ipv4 ? 4 : pppProtocol === PppProtocol.ipv6 ? 6 : -1;
      return version > 0 && decodeInnerIp(bytes, position + (header >>> 16), end, version, batch, row, depth);
    }
    default:
      return false;
  }
}

function decodeInnerEthernet(
  bytes: Uint8Array,
  offset: number,
  end: number,
  batch: PacketBatch,
  row: number,
  depth: number,
): boolean {
  const ipOffset = findEthernetIp(bytes, offset, end);
  return ipOffset >= 0 && decodeInnerIp(bytes, ipOffset, end, 0, batch, row, depth);
}

/** RFC 7348 5: flags (I bit 0x08 = valid VNI), reserved, VNI, reserved; then an Ethernet frame. */
export function decodeVxlan(
  bytes: Uint8Array,
  offset: number,
  end: number,
  batch: PacketBatch,
  row: number,
  depth: number,
): boolean {
  if (end - offset < 8 || (bytes[offset]! & 0x08) === 0) return false;
  return decodeInnerEthernet(bytes, offset + 8, end, batch, row, depth);
}

/** RFC 8926 3.1: version(2) option length(6, 4-byte words), flags, protocol type, VNI; then options. */
export function decodeGeneve(
  bytes: Uint8Array,
  offset: number,
  end: number,
  batch: PacketBatch,
  row: number,
  depth: number,
): boolean {
  if (end - offset < 8 || bytes[offset]! >> 6 !== 0) return false;
  const payload = offset + 8 + (bytes[offset]! & 0x3f) * 4;
  const protocol = readUint16BE(bytes, offset + 2);
  if (protocol === EtherType.transparentEthernet)
    return decodeInnerEthernet(bytes, payload, end, batch, row, depth);
  if (protocol === EtherType.ipv4) return decodeInnerIp(bytes, payload, end, 4, batch, row, depth);
  if (protocol === EtherType.ipv6) return decodeInnerIp(bytes, payload, end, 6, batch, row, depth);
  return false;
}

/**
 * RFC 4380 5.1.1: optional authentication indicator (0x0001, id and auth lengths, id, auth,
 * 8-byte nonce, confirmation byte) and origin indication (0x0000, port, address: 8 bytes), then IPv6.
 */
export function decodeTeredo(
  bytes: Uint8Array,
  offset: number,
  end: number,
  batch: PacketBatch,
  row: number,
  depth: number,
): boolean {
  let position = offset;
  if (position + 4 <= end && bytes[position] === 0x00 && bytes[position + 1] === 0x01) {
    position += 4 + bytes[position + 2]! + bytes[position + 3]! + 9;
  }
  if (position + 2 <= end && bytes[position] === 0x00 && bytes[position + 1] === 0x00) position += 8;
  return decodeInnerIp(bytes, position, end, 6, batch, row, depth);
}
