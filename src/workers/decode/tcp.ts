/** TCP header (RFC 9293 3.1) and the MSS option (RFC 9293 3.2, kind 2). */
import type { PacketBatch } from '../../shared/packet-batch';
import { readUint16BE, readUint32BE } from './byte-reader';
import { decodeApplication } from './application';
import { markTruncated } from './row-columns';

const OPTION_END = 0;
const OPTION_NOP = 1;
const OPTION_MSS = 2;

/** Decodes the TCP header at `offset`, then the payload's signature and metadata. */
export function decodeTcp(
  bytes: Uint8Array,
  offset: number,
  end: number,
  transportLength: number,
  batch: PacketBatch,
  row: number,
): void {
  const available = end - offset;
  if (available < 4) {
    markTruncated(batch, row);
    return;
  }
  const srcPort = readUint16BE(bytes, offset);
  const dstPort = readUint16BE(bytes, offset + 2);
  batch.srcPort[row] = srcPort;
  batch.dstPort[row] = dstPort;
  if (available < 20) {
    markTruncated(batch, row);
    return;
  }
  batch.tcpSeq[row] = readUint32BE(bytes, offset + 4);
  batch.tcpAck[row] = readUint32BE(bytes, offset + 8);
  batch.tcpFlags[row] = bytes[offset + 13]!;
  batch.tcpWindow[row] = readUint16BE(bytes, offset + 14);
  const headerLength = (bytes[offset + 12]! >> 4) * 4;
  if (headerLength < 20) {
    markTruncated(batch, row); // data offset below 5 words is bogus
    return;
  }
  batch.l4HeaderLength[row] = headerLength;
  batch.payloadLength[row] = transportLength > headerLength ? transportLength - headerLength : 0;

  // Options: kind, length, value; END stops, NOP is one byte (RFC 9293 3.1 "Options").
  const optionsEnd = Math.min(end, offset + headerLength);
  let position = offset + 20;
  while (position < optionsEnd) {
    const kind = bytes[position]!;
    if (kind === OPTION_END) break;
    if (kind === OPTION_NOP) {
      position++;
      continue;
    }
    if (position + 1 >= optionsEnd) break;
    const length = bytes[position + 1]!;
    if (length < 2) break;
    if (kind === OPTION_MSS && length === 4 && position + 4 <= optionsEnd)
      batch.tcpMss[row] = readUint16BE(bytes, position + 2);
    position += length;
  }
  if (offset + headerLength > end) {
    markTruncated(batch, row);
    return;
  }
  const payloadOffset = offset + headerLength;
  if (payloadOffset < end) decodeApplication(bytes, payloadOffset, end, true, srcPort, dstPort, batch, row);
}
