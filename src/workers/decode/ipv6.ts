/** IPv6 header (RFC 8200 3) and its extension-header chain (RFC 8200 4). */
import { FragmentFlag, type PacketBatch } from '../../shared/packet-batch';
import { readUint16BE, readUint32BE } from './byte-reader';
import { markTruncated, wireLength } from './row-columns';
import { decodeTransport } from './transport';

/** Next-header values of extension headers. */
const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AUTHENTICATION = 51;
const DESTINATION_OPTIONS = 60;
/** RFC 6275 Mobility, RFC 7401 HIP, RFC 5533 Shim6: same (length + 1) * 8 layout. */
const MOBILITY = 135;
const HIP = 139;
const SHIM6 = 140;

/** Longest extension-header chain followed (RFC 8200 allows each at most once or twice). */
const MAX_EXTENSION_HEADERS = 16;

/** Decodes the IPv6 header at `offset`, its extension headers and, unless a non-first fragment, the transport. */
export function decodeIpv6(
  bytes: Uint8Array,
  offset: number,
  end: number,
  batch: PacketBatch,
  row: number,
  depth: number,
): void {
  if (end - offset < 40 || bytes[offset]! >> 4 !== 6) {
    markTruncated(batch, row);
    return;
  }
  const payloadLength = readUint16BE(bytes, offset + 4);
  const base = row * 4;
  batch.ipVersion[row] = 6;
  batch.ttl[row] = bytes[offset + 7]!;
  for (let word = 0; word < 4; word++) {
    batch.srcAddr[base + word] = readUint32BE(bytes, offset + 8 + word * 4);
    batch.dstAddr[base + word] = readUint32BE(bytes, offset + 24 + word * 4);
  }
  batch.ipLength[row] = payloadLength + 40;
  // Payload length 0: a jumbogram (RFC 2675) or TSO; the datagram is the rest of the frame. A
  // payload length beyond the frame on the wire is bogus: the frame bounds the datagram.
  const onWire = wireLength(offset, end);
  const datagramLength = payloadLength === 0 || payloadLength + 40 > onWire ? onWire : payloadLength + 40;
  const datagramEnd = Math.min(end, offset + datagramLength);

  let nextHeader = bytes[offset + 6]!;
  let position = offset + 40;
  let isFragment = false;
  let laterFragment = false;
  let cut = false;
  for (let count = 0; count < MAX_EXTENSION_HEADERS && !laterFragment; count++) {
    let headerLength: number;
    if (
      nextHeader === HOP_BY_HOP ||
      nextHeader === ROUTING ||
      nextHeader === DESTINATION_OPTIONS ||
      nextHeader === MOBILITY ||
      nextHeader === HIP ||
      nextHeader === SHIM6
    ) {
      // RFC 8200 4.3: next header(1), length in 8-octet units not counting the first 8.
      if (position + 2 > datagramEnd) {
        cut = true;
        break;
      }
      headerLength = (bytes[position + 1]! + 1) * 8;
    } else if (nextHeader === AUTHENTICATION) {
      // RFC 4302 2.2: payload length in 4-octet units, minus 2.
      if (position + 2 > datagramEnd) {
        cut = true;
        break;
      }
      headerLength = (bytes[position + 1]! + 2) * 4;
    } else if (nextHeader === FRAGMENT) {
      // RFC 8200 4.5: next header, reserved, offset(13 bits, 8-octet units) res(2) M(1), identification.
      if (position + 8 > datagramEnd) {
        cut = true;
        break;
      }
      const offsetAndFlags = readUint16BE(bytes, position + 2);
      const fragmentOffset = offsetAndFlags & 0xfff8;
      batch.ipId[row] = readUint32BE(bytes, position + 4);
      batch.ipFlags[row] = offsetAndFlags & 0x01;
      batch.fragmentOffset[row] = fragmentOffset;
      isFragment = true;
      laterFragment = fragmentOffset > 0;
      batch.fragment[row] = laterFragment
        ? FragmentFlag.isFragment
        : FragmentFlag.isFragment | FragmentFlag.first;
      headerLength = 8;
    } else {
      break; // upper-layer protocol (ESP 50 and No Next Header 59 end the chain too)
    }
    nextHeader = bytes[position]!;
    position += headerLength;
  }
  batch.protocol[row] = nextHeader;
  if (cut || position > datagramEnd) {
    batch.ipHeaderLength[row] = Math.min(position, datagramEnd) - offset;
    markTruncated(batch, row);
    return;
  }
  const headerLength = position - offset;
  batch.ipHeaderLength[row] = headerLength;
  const transportLength = datagramLength > headerLength ? datagramLength - headerLength : 0;
  if (laterFragment) {
    batch.payloadLength[row] = transportLength;
    return;
  }
  decodeTransport(bytes, position, datagramEnd, transportLength, nextHeader, batch, row, depth, isFragment);
}
