/**
 * Small writers for one row of a PacketBatch, shared by the per-protocol decoders. Nothing here
 * allocates: they only store into the typed-array columns.
 */
import { DecodeStatus, type PacketBatch } from '../../shared/packet-batch';

/** Per-packet scratch state (one object for the module's lifetime, reused for every packet). */
export const packetScratch = {
  /** End of the packet's captured bytes in the buffer. */
  capturedEnd: 0,
  /** On-wire bytes beyond the captured ones (frameLength - capturedLength). */
  uncapturedBytes: 0,
};

/**
 * Bytes on the wire from `offset` to `end`: when `end` is the end of the captured bytes, the
 * bytes the snap length cut off count too. Bounds lengths that headers claim (IP total length
 * larger than the frame, TSO zero lengths) without ever reading uncaptured bytes.
 */
export function wireLength(offset: number, end: number): number {
  return end - offset + (end >= packetScratch.capturedEnd ? packetScratch.uncapturedBytes : 0);
}

/** Marks the row as cut short (snap length or a bogus length field); what was written stays. */
export function markTruncated(batch: PacketBatch, row: number): void {
  batch.decodeStatus[row] = DecodeStatus.truncated;
}

/** Marks the row as a decoded link layer that carries no IP (ARP, LLDP, CDP, ...). */
export function markNonIp(batch: PacketBatch, row: number): void {
  batch.decodeStatus[row] = DecodeStatus.nonIp;
}

/** Stores a 6-byte MAC at `offset` as three big-endian 16-bit words. */
export function writeMac(column: Uint16Array, row: number, bytes: Uint8Array, offset: number): void {
  const base = row * 3;
  column[base] = (bytes[offset]! << 8) | bytes[offset + 1]!;
  column[base + 1] = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
  column[base + 2] = (bytes[offset + 4]! << 8) | bytes[offset + 5]!;
}

/**
 * Clears the network and transport columns of a row before an inner (tunnelled) IP header is
 * decoded over the outer one, so no outer value (ports, ipId, TCP fields) leaks into the inner
 * packet's description. Link-layer columns (MACs, VLAN) are kept: they describe the capture link.
 */
export function resetNetworkColumns(batch: PacketBatch, row: number): void {
  const base = row * 4;
  batch.ipVersion[row] = 0;
  batch.protocol[row] = 0;
  batch.srcAddr.fill(0, base, base + 4);
  batch.dstAddr.fill(0, base, base + 4);
  batch.ttl[row] = 0;
  batch.ipId[row] = 0;
  batch.ipFlags[row] = 0;
  batch.fragmentOffset[row] = 0;
  batch.fragment[row] = 0;
  batch.ipLength[row] = 0;
  batch.ipHeaderLength[row] = 0;
  batch.srcPort[row] = 0;
  batch.dstPort[row] = 0;
  batch.l4HeaderLength[row] = 0;
  batch.payloadLength[row] = 0;
  batch.tcpFlags[row] = 0;
  batch.tcpSeq[row] = 0;
  batch.tcpAck[row] = 0;
  batch.tcpWindow[row] = 0;
  batch.tcpMss[row] = 0;
  batch.icmpType[row] = 0;
  batch.icmpCode[row] = 0;
  batch.appSignature[row] = 0;
}
