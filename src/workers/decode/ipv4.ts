/** IPv4 header (RFC 791 3.1), including options, fragments and TSO zero total lengths. */
import { FragmentFlag, type PacketBatch } from '../../shared/packet-batch';
import { readUint16BE, readUint32BE } from './byte-reader';
import { markTruncated, wireLength } from './row-columns';
import { decodeTransport } from './transport';

/** Decodes the IPv4 header at `offset` and, unless this is a non-first fragment, its transport. */
export function decodeIpv4(
  bytes: Uint8Array,
  offset: number,
  end: number,
  batch: PacketBatch,
  row: number,
  depth: number,
): void {
  if (end - offset < 20 || bytes[offset]! >> 4 !== 4) {
    // Fixed header cut short, or not IPv4 at all behind an IPv4 ethertype/family.
    markTruncated(batch, row);
    return;
  }
  const headerLength = (bytes[offset]! & 0x0f) * 4;
  const totalLength = readUint16BE(bytes, offset + 2);
  const flagsAndOffset = readUint16BE(bytes, offset + 6);
  const protocol = bytes[offset + 9]!;
  // Flags (RFC 791 3.1): bit 0 reserved, bit 1 DF, bit 2 MF -> column bit 1 = DF, bit 0 = MF.
  const flags = flagsAndOffset >> 13;
  const fragmentOffset = (flagsAndOffset & 0x1fff) * 8;
  batch.ipVersion[row] = 4;
  batch.protocol[row] = protocol;
  batch.srcAddr[row * 4] = readUint32BE(bytes, offset + 12);
  batch.dstAddr[row * 4] = readUint32BE(bytes, offset + 16);
  batch.ttl[row] = bytes[offset + 8]!;
  batch.ipId[row] = readUint16BE(bytes, offset + 4);
  batch.ipFlags[row] = flags & 0x03;
  batch.fragmentOffset[row] = fragmentOffset;
  batch.ipLength[row] = totalLength;
  batch.ipHeaderLength[row] = headerLength;
  const isFragment = (flags & 0x01) !== 0 || fragmentOffset > 0;
  if (isFragment)
    batch.fragment[row] =
      fragmentOffset === 0 ? FragmentFlag.isFragment | FragmentFlag.first : FragmentFlag.isFragment;

  // A total length of 0 is what TCP segmentation offload leaves in locally sent packets: the
  // datagram is then the rest of the frame on the wire (as Wireshark's ip.tso_support). A total
  // length beyond the frame on the wire is bogus: the frame bounds the datagram (as Wireshark).
  const onWire = wireLength(offset, end);
  const datagramLength = totalLength === 0 || totalLength > onWire ? onWire : totalLength;
  if (headerLength < 20 || datagramLength < headerLength || end - offset < headerLength) {
    // IHL below 5 or above the total length is bogus; options cut by the snap length.
    markTruncated(batch, row);
    return;
  }
  const transportLength = datagramLength - headerLength;
  if (fragmentOffset > 0) {
    // Non-first fragment: no transport header here; the fragment's own payload only.
    batch.payloadLength[row] = transportLength;
    return;
  }
  const transportEnd = Math.min(end, offset + datagramLength);
  decodeTransport(
    bytes,
    offset + headerLength,
    transportEnd,
    transportLength,
    protocol,
    batch,
    row,
    depth,
    isFragment,
  );
}
