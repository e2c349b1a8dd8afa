/**
 * Ethernet II / IEEE 802.3 framing and the ethertype dispatch shared by every link layer that
 * carries an ethertype (Linux SLL, Cisco HDLC, GRE, VXLAN inner frames): 802.1Q/802.1ad/QinQ
 * tags, PPPoE sessions, MPLS, LLC/SNAP, ARP, IPv4, IPv6.
 */
import type { PacketBatch } from '../../shared/packet-batch';
import { readUint16BE } from './byte-reader';
import { decodeArp } from './arp';
import { decodeIpByVersion, decodeIpv4, decodeIpv6 } from './network';
import { decodePppProtocol } from './ppp';
import { markNonIp, markTruncated, writeMac } from './row-columns';

/** Ethertypes (IEEE Registration Authority). */
export const EtherType = {
  ipv4: 0x0800,
  arp: 0x0806,
  /** RFC 903 Reverse ARP: same packet layout as ARP. */
  rarp: 0x8035,
  vlan: 0x8100,
  ipv6: 0x86dd,
  mplsUnicast: 0x8847,
  mplsMulticast: 0x8848,
  pppoeSession: 0x8864,
  /** IEEE 802.1ad service tag. */
  qinq: 0x88a8,
  /** Pre-standard QinQ tags (vlan.qinq_ethertype in Wireshark). */
  qinqLegacy: 0x9100,
  qinqLegacy2: 0x9200,
  /** Transparent Ethernet bridging (GRE, NVGRE, GENEVE). */
  transparentEthernet: 0x6558,
} as const;

/** Most VLAN tags or MPLS labels followed before giving up (real stacks have 1-3). */
const MAX_STACKED_HEADERS = 8;

/** IEEE 802.3 clause 3.2.6: values up to 1500 in the type field are a length (802.3 + LLC). */
const MAX_8023_LENGTH = 1500;

/** True for the ethertypes of 802.1Q, 802.1ad and pre-standard QinQ tags. */
function isVlanTag(type: number): boolean {
  return (
    type === EtherType.vlan ||
    type === EtherType.qinq ||
    type === EtherType.qinqLegacy ||
    type === EtherType.qinqLegacy2
  );
}

/** Decodes an Ethernet frame captured at the link (LINKTYPE_ETHERNET): MACs, outer VLAN, payload. */
export function decodeEthernet(
  bytes: Uint8Array,
  start: number,
  end: number,
  batch: PacketBatch,
  row: number,
): void {
  const available = end - start;
  if (available >= 6) writeMac(batch.dstMac, row, bytes, start);
  if (available >= 12) writeMac(batch.srcMac, row, bytes, start + 6);
  if (available < 14) {
    markTruncated(batch, row);
    return;
  }
  decodeEtherType(bytes, start + 14, end, readUint16BE(bytes, start + 12), batch, row);
}

/**
 * Decodes the payload at `offset` of a link header whose type field is `etherType`. Writes the
 * outermost VLAN id. Used for the capture's own link layer only (tunnelled inner frames go
 * through `findEthernetIp`, which writes nothing).
 */
export function decodeEtherType(
  bytes: Uint8Array,
  offset: number,
  end: number,
  etherType: number,
  batch: PacketBatch,
  row: number,
): void {
  let type = etherType;
  let position = offset;
  for (let tags = 0; tags < MAX_STACKED_HEADERS && isVlanTag(type); tags++) {
    // IEEE 802.1Q 9.6: TCI (PCP 3 bits, DEI 1, VID 12) then the next type.
    if (end - position < 4) {
      markTruncated(batch, row);
      return;
    }
    if (tags === 0) batch.vlanId[row] = readUint16BE(bytes, position) & 0x0fff;
    type = readUint16BE(bytes, position + 2);
    position += 4;
  }
  switch (type) {
    case EtherType.ipv4:
      decodeIpv4(bytes, position, end, batch, row, 0);
      return;
    case EtherType.ipv6:
      decodeIpv6(bytes, position, end, batch, row, 0);
      return;
    case EtherType.arp:
    case EtherType.rarp:
      decodeArp(bytes, position, end, batch, row);
      return;
    case EtherType.pppoeSession:
      decodePppoeSession(bytes, position, end, batch, row);
      return;
    case EtherType.mplsUnicast:
    case EtherType.mplsMulticast:
      decodeMpls(bytes, position, end, batch, row);
      return;
    default:
      if (type <= MAX_8023_LENGTH) decodeLlc(bytes, position, Math.min(end, position + type), batch, row);
      else markNonIp(batch, row);
  }
}

/** RFC 2516 4: PPPoE session header (ver/type, code, session id, length) then the PPP protocol. */
function decodePppoeSession(
  bytes: Uint8Array,
  offset: number,
  end: number,
  batch: PacketBatch,
  row: number,
): void {
  if (end - offset < 8) {
    markTruncated(batch, row);
    return;
  }
  const sessionEnd = Math.min(end, offset + 6 + readUint16BE(bytes, offset + 4));
  decodePppProtocol(bytes, offset + 8, sessionEnd, readUint16BE(bytes, offset + 6), batch, row, 0);
}

/** RFC 3032 2.1: label stack entries (label 20, TC 3, S 1, TTL 8); IP follows the bottom (S) entry. */
function decodeMpls(bytes: Uint8Array, offset: number, end: number, batch: PacketBatch, row: number): void {
  let position = offset;
  for (let labels = 0; labels < MAX_STACKED_HEADERS; labels++) {
    if (end - position < 4) {
      markTruncated(batch, row);
      return;
    }
    const bottom = (bytes[position + 2]! & 0x01) !== 0;
    position += 4;
    if (bottom) {
      // RFC 4385 3: a first nibble of 0 is a pseudowire control word, not IP.
      if (position < end && (bytes[position]! >> 4 === 4 || bytes[position]! >> 4 === 6))
        decodeIpByVersion(bytes, position, end, batch, row, 0);
      else markNonIp(batch, row);
      return;
    }
  }
  markNonIp(batch, row);
}

/**
 * IEEE 802.2 LLC: only SNAP (DSAP/SSAP 0xAA, control 0x03; RFC 1042) with an ethertype of the
 * encapsulated protocol can carry IP; STP, CDP (SNAP OUI 00000c), NetBIOS, IPX are non-IP.
 */
function decodeLlc(bytes: Uint8Array, offset: number, end: number, batch: PacketBatch, row: number): void {
  if (end - offset < 3) {
    markTruncated(batch, row);
    return;
  }
  const isSnap = bytes[offset] === 0xaa && bytes[offset + 1] === 0xaa && bytes[offset + 2] === 0x03;
  if (!isSnap) {
    markNonIp(batch, row);
    return;
  }
  if (end - offset < 8) {
    markTruncated(batch, row);
    return;
  }
  const ouiIsEthertype = bytes[offset + 3] === 0 && bytes[offset + 4] === 0 && bytes[offset + 5] === 0;
  const type = readUint16BE(bytes, offset + 6);
  if (ouiIsEthertype && (type === EtherType.ipv4 || type === EtherType.ipv6 || type === EtherType.arp))
    decodeEtherType(bytes, offset + 8, end, type, batch, row);
  else markNonIp(batch, row);
}

/**
 * For a tunnelled Ethernet frame at `offset` (VXLAN, GRE 0x6558, ERSPAN): skips MACs and VLAN
 * tags and returns the offset of an IPv4/IPv6 header, or -1 when the frame carries no IP (or is
 * cut before it). Writes nothing: the capture's own link layer keeps the MAC/VLAN columns.
 */
export function findEthernetIp(bytes: Uint8Array, offset: number, end: number): number {
  let position = offset + 14;
  if (position > end) return -1;
  let type = readUint16BE(bytes, position - 2);
  for (let tags = 0; tags < MAX_STACKED_HEADERS && isVlanTag(type); tags++) {
    if (position + 4 > end) return -1;
    type = readUint16BE(bytes, position + 2);
    position += 4;
  }
  return type === EtherType.ipv4 || type === EtherType.ipv6 ? position : -1;
}
