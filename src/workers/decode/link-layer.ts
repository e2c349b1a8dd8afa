/**
 * Link-layer dispatch by LINKTYPE_ number (https://www.tcpdump.org/linktypes.html) and the
 * small link headers that only prefix an ethertype or an IP packet: Linux cooked v1/v2, BSD
 * loopback, NFLOG, raw IP.
 */
import { DecodeStatus, type PacketBatch } from '../../shared/packet-batch';
import { readUint16, readUint16BE, readUint32 } from './byte-reader';
import { decodeEthernet, decodeEtherType } from './ethernet';
import { decodeIpByVersion, decodeIpv4, decodeIpv6 } from './network';
import { decodeIeee80211, decodeRadiotap } from './ieee80211';
import { decodeCiscoHdlc, decodePpp } from './ppp';
import { markNonIp, markTruncated, writeMac } from './row-columns';

/** LINKTYPE_ values decoded here. */
export const LinkType = {
  null: 0,
  ethernet: 1,
  ppp: 9,
  /** DLT_RAW on most platforms. */
  raw12: 12,
  /** DLT_RAW on OpenBSD. */
  raw14: 14,
  pppHdlc: 50,
  raw: 101,
  ciscoHdlc: 104,
  ieee80211: 105,
  loop: 108,
  linuxSll: 113,
  ieee80211Radiotap: 127,
  ipv4: 228,
  ipv6: 229,
  nflog: 239,
  linuxSll2: 276,
} as const;

/**
 * pcap 4.1 LinkType field: bits 0-15 link type, 16-25 reserved, 26-31 FCS information
 * (draft-ietf-opsawg-pcap). Keep the link type proper so FCS-annotated Ethernet decodes.
 */
export function normalizeLinkType(linkType: number): number {
  return linkType & 0x03ffffff;
}

/** True for the link types `decodeLinkLayer` understands. */
export function isKnownLinkType(linkType: number): boolean {
  switch (linkType) {
    case LinkType.null:
    case LinkType.ethernet:
    case LinkType.ppp:
    case LinkType.raw12:
    case LinkType.raw14:
    case LinkType.pppHdlc:
    case LinkType.raw:
    case LinkType.ciscoHdlc:
    case LinkType.loop:
    case LinkType.linuxSll:
    case LinkType.ipv4:
    case LinkType.ipv6:
    case LinkType.nflog:
    case LinkType.linuxSll2:
    case LinkType.ieee80211:
    case LinkType.ieee80211Radiotap:
      return true;
    default:
      return false;
  }
}

/** Decodes the captured bytes `[start, end)` of one packet of the given (normalized) link type. */
export function decodeLinkLayer(
  bytes: Uint8Array,
  start: number,
  end: number,
  linkType: number,
  batch: PacketBatch,
  row: number,
): void {
  switch (linkType) {
    case LinkType.ethernet:
      decodeEthernet(bytes, start, end, batch, row);
      return;
    case LinkType.linuxSll:
      decodeLinuxSll(bytes, start, end, batch, row);
      return;
    case LinkType.linuxSll2:
      decodeLinuxSll2(bytes, start, end, batch, row);
      return;
    case LinkType.raw:
    case LinkType.raw12:
    case LinkType.raw14:
      decodeIpByVersion(bytes, start, end, batch, row, 0);
      return;
    case LinkType.ipv4:
      decodeIpv4(bytes, start, end, batch, row, 0);
      return;
    case LinkType.ipv6:
      decodeIpv6(bytes, start, end, batch, row, 0);
      return;
    case LinkType.null:
      decodeLoopback(bytes, start, end, batch, row, true);
      return;
    case LinkType.loop:
      decodeLoopback(bytes, start, end, batch, row, false);
      return;
    case LinkType.nflog:
      decodeNflog(bytes, start, end, batch, row);
      return;
    case LinkType.ppp:
    case LinkType.pppHdlc:
      decodePpp(bytes, start, end, batch, row, linkType === LinkType.pppHdlc);
      return;
    case LinkType.ciscoHdlc:
      decodeCiscoHdlc(bytes, start, end, batch, row);
      return;
    case LinkType.ieee80211:
      decodeIeee80211(bytes, start, end, batch, row);
      return;
    case LinkType.ieee80211Radiotap:
      decodeRadiotap(bytes, start, end, batch, row);
      return;
    default:
      batch.decodeStatus[row] = DecodeStatus.unsupportedLinkType;
  }
}

/** ARPHRD_NETLINK: SLL protocol field is a netlink family, not an ethertype. */
const ARPHRD_NETLINK = 824;

/**
 * Linux "cooked" SLL protocol values below 0x0600 that are not ethertypes (linux/if_ether.h:
 * ETH_P_802_3 1, ETH_P_AX25 2, ETH_P_ALL 3, ETH_P_802_2 4, ..., CAN 0x0c, CANFD 0x0d).
 * They carry no IP that Flowlab decodes.
 */
function decodeSllProtocol(
  bytes: Uint8Array,
  offset: number,
  end: number,
  protocol: number,
  hardwareType: number,
  batch: PacketBatch,
  row: number,
): void {
  if (hardwareType === ARPHRD_NETLINK || protocol < 0x0600) {
    markNonIp(batch, row);
    return;
  }
  decodeEtherType(bytes, offset, end, protocol, batch, row);
}

/** LINKTYPE_LINUX_SLL (113): 16-byte header; the sender address is the link-layer source. */
function decodeLinuxSll(
  bytes: Uint8Array,
  start: number,
  end: number,
  batch: PacketBatch,
  row: number,
): void {
  if (end - start < 16) {
    markTruncated(batch, row);
    return;
  }
  // packet type(2) ARPHRD type(2) address length(2) address(8) protocol(2)
  const hardwareType = readUint16BE(bytes, start + 2);
  if (readUint16BE(bytes, start + 4) === 6) writeMac(batch.srcMac, row, bytes, start + 6);
  decodeSllProtocol(bytes, start + 16, end, readUint16BE(bytes, start + 14), hardwareType, batch, row);
}

/** LINKTYPE_LINUX_SLL2 (276): 20-byte header with the protocol first. */
function decodeLinuxSll2(
  bytes: Uint8Array,
  start: number,
  end: number,
  batch: PacketBatch,
  row: number,
): void {
  if (end - start < 20) {
    markTruncated(batch, row);
    return;
  }
  // protocol(2) reserved(2) interface index(4) ARPHRD type(2) packet type(1) address length(1) address(8)
  const hardwareType = readUint16BE(bytes, start + 8);
  if (bytes[start + 11] === 6) writeMac(batch.srcMac, row, bytes, start + 12);
  decodeSllProtocol(bytes, start + 20, end, readUint16BE(bytes, start), hardwareType, batch, row);
}

/** BSD address families in DLT_NULL/DLT_LOOP headers: AF_INET, and AF_INET6 of NetBSD/OpenBSD, FreeBSD, Darwin. */
function loopbackFamilyVersion(family: number): number {
  if (family === 2) return 4;
  if (family === 24 || family === 28 || family === 30) return 6;
  return 0;
}

/**
 * LINKTYPE_NULL (0): a 4-byte address family in the capturing host's byte order, so both
 * orders are tried, plus the variants Wireshark's packet-null.c accepts: PPP in HDLC framing
 * (ff 03), IRIX's 16-bit family in the first two bytes, and old Linux libpcap's 2 bytes + an
 * ethertype. LINKTYPE_LOOP (108): the family in network order only.
 */
function decodeLoopback(
  bytes: Uint8Array,
  start: number,
  end: number,
  batch: PacketBatch,
  row: number,
  hostOrder: boolean,
): void {
  if (end - start < 4) {
    markTruncated(batch, row);
    return;
  }
  let version = loopbackFamilyVersion(readUint32(bytes, start, false));
  if (hostOrder && version === 0) {
    if (bytes[start] === 0xff && bytes[start + 1] === 0x03) {
      decodePpp(bytes, start, end, batch, row, true);
      return;
    }
    version = loopbackFamilyVersion(readUint32(bytes, start, true));
    if (version === 0 && bytes[start + 2] === 0 && bytes[start + 3] === 0) {
      version =
        loopbackFamilyVersion(readUint16(bytes, start, false)) ||
        loopbackFamilyVersion(readUint16(bytes, start, true));
    }
    if (version === 0 && readUint16BE(bytes, start + 2) >= 0x0600) {
      decodeEtherType(bytes, start + 4, end, readUint16BE(bytes, start + 2), batch, row);
      return;
    }
  }
  if (version === 4) decodeIpv4(bytes, start + 4, end, batch, row, 0);
  else if (version === 6) decodeIpv6(bytes, start + 4, end, batch, row, 0);
  else markNonIp(batch, row);
}

/** NFULA_PAYLOAD (linux/netfilter/nfnetlink_log.h): the logged packet, starting at its IP header. */
const NFULA_PAYLOAD = 9;
/** Netlink attribute type flags (NLA_F_NESTED, NLA_F_NET_BYTEORDER) masked off the type. */
const NLA_TYPE_MASK = 0x3fff;

/**
 * LINKTYPE_NFLOG (239): 4-byte nfgenmsg (family, version, resource id), then netlink TLVs whose
 * length and type are little-endian (host order of the capturing Linux box), each padded to 4.
 */
function decodeNflog(bytes: Uint8Array, start: number, end: number, batch: PacketBatch, row: number): void {
  if (end - start < 4) {
    markTruncated(batch, row);
    return;
  }
  const family = bytes[start]!;
  let offset = start + 4;
  while (offset + 4 <= end) {
    const tlvLength = readUint16(bytes, offset, true);
    const tlvType = readUint16(bytes, offset + 2, true) & NLA_TYPE_MASK;
    if (tlvLength < 4) break;
    if (tlvType === NFULA_PAYLOAD) {
      const payloadEnd = Math.min(end, offset + tlvLength);
      // AF_INET 2, AF_INET6 10 (Linux); anything else: trust the IP version nibble.
      if (family === 2) decodeIpv4(bytes, offset + 4, payloadEnd, batch, row, 0);
      else if (family === 10) decodeIpv6(bytes, offset + 4, payloadEnd, batch, row, 0);
      else decodeIpByVersion(bytes, offset + 4, payloadEnd, batch, row, 0);
      return;
    }
    offset += (tlvLength + 3) & ~3;
  }
  // No payload TLV within the captured bytes: either cut short or a log entry without packet.
  if (offset === end) markNonIp(batch, row);
  else markTruncated(batch, row);
}
