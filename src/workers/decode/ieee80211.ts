/**
 * IEEE 802.11 data frames, bare (LINKTYPE_IEEE802_11, 105) or behind a radiotap header
 * (LINKTYPE_IEEE802_11_RADIOTAP, 127): MAC addresses by the To/From DS bits, then the
 * LLC/SNAP ethertype (RFC 1042) of unprotected data frames. Management, control, protected
 * (encrypted) and null-data frames are non-IP.
 */
import type { PacketBatch } from '../../shared/packet-batch';
import { readUint16 } from './byte-reader';
import { decodeEtherType } from './ethernet';
import { markNonIp, markTruncated, writeMac } from './row-columns';

/** Radiotap "present" bits used here (radiotap.org/fields/defined): TSFT (0), Flags (1), Ext (31). */
const PRESENT_TSFT = 0x1;
const PRESENT_FLAGS = 0x2;
const PRESENT_EXTENDED = 0x80000000;
/** Radiotap Flags field: the frame includes the 4-byte FCS at its end. */
const FLAG_FCS_AT_END = 0x10;

/** Decodes a radiotap header (radiotap.org: version 0, pad, length LE, present words) and its 802.11 frame. */
export function decodeRadiotap(
  bytes: Uint8Array,
  start: number,
  end: number,
  batch: PacketBatch,
  row: number,
): void {
  if (end - start < 8 || bytes[start] !== 0) {
    markTruncated(batch, row);
    return;
  }
  const length = readUint16(bytes, start + 2, true);
  if (length < 8 || start + length > end) {
    markTruncated(batch, row);
    return;
  }
  const present = readUint16(bytes, start + 4, true) | (readUint16(bytes, start + 6, true) << 16);
  let fields = start + 8;
  // Extended present bitmaps: each word with bit 31 set is followed by another word.
  let word = present;
  while ((word & PRESENT_EXTENDED) !== 0 && fields + 4 <= start + length) {
    word = readUint16(bytes, fields, true) | (readUint16(bytes, fields + 2, true) << 16);
    fields += 4;
  }
  let frameEnd = end;
  if ((present & PRESENT_FLAGS) !== 0) {
    // Fields are aligned to their natural size from the header start; TSFT is 8 bytes.
    let position = fields;
    if ((present & PRESENT_TSFT) !== 0) position = start + (((position - start + 7) & ~7) + 8);
    if (position < start + length && (bytes[position]! & FLAG_FCS_AT_END) !== 0) frameEnd -= 4;
  }
  decodeIeee80211(bytes, start + length, frameEnd, batch, row);
}

/** Decodes an 802.11 MAC frame (IEEE 802.11-2020 9.2/9.3.2): data frames carry LLC/SNAP. */
export function decodeIeee80211(
  bytes: Uint8Array,
  start: number,
  end: number,
  batch: PacketBatch,
  row: number,
): void {
  if (end - start < 24) {
    markTruncated(batch, row);
    return;
  }
  const frameControl = bytes[start]!;
  const flags = bytes[start + 1]!;
  const type = (frameControl >> 2) & 0x3;
  const subtype = (frameControl >> 4) & 0xf;
  const toDs = (flags & 0x01) !== 0;
  const fromDs = (flags & 0x02) !== 0;
  // Addresses (9.3.2.1 Table 9-30): DA/SA depend on the DS bits.
  const address1 = start + 4;
  const address2 = start + 10;
  const address3 = start + 16;
  const address4 = start + 24;
  const wds = toDs && fromDs;
  if (wds && end - start < 30) {
    markTruncated(batch, row);
    return;
  }
  writeMac(batch.dstMac, row, bytes, toDs ? address3 : address1);
  writeMac(batch.srcMac, row, bytes, wds ? address4 : fromDs ? address3 : address2);
  // Only data frames (type 2) with a body (not null-data subtypes, bit 2) and not protected (bit 6).
  if (type !== 2 || (subtype & 0x4) !== 0 || (flags & 0x40) !== 0) {
    markNonIp(batch, row);
    return;
  }
  let header = wds ? 30 : 24;
  if ((subtype & 0x8) !== 0) {
    header += 2; // QoS Control
    if ((flags & 0x80) !== 0) header += 4; // +HTC: HT Control present in QoS data with Order set
  }
  const llc = start + header;
  // RFC 1042 / 802.1H SNAP: AA AA 03, OUI 00-00-00 or 00-00-F8, then the ethertype.
  if (
    end - llc < 8 ||
    bytes[llc] !== 0xaa ||
    bytes[llc + 1] !== 0xaa ||
    bytes[llc + 2] !== 0x03 ||
    bytes[llc + 3] !== 0x00 ||
    bytes[llc + 4] !== 0x00 ||
    (bytes[llc + 5] !== 0x00 && bytes[llc + 5] !== 0xf8)
  ) {
    if (end - llc < 8) markTruncated(batch, row);
    else markNonIp(batch, row);
    return;
  }
  decodeEtherType(bytes, llc + 8, end, (bytes[llc + 6]! << 8) | bytes[llc + 7]!, batch, row);
}
