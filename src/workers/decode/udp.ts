/** UDP header (RFC 768) and the UDP-port tunnels: VXLAN, GENEVE, Teredo. */
import type { PacketBatch } from '../../shared/packet-batch';
import { readUint16BE } from './byte-reader';
import { decodeApplication } from './application';
import { markTruncated } from './row-columns';
import { decodeGeneve, decodeTeredo, decodeVxlan, TunnelPort } from './tunnels';

/** Decodes the UDP header at `offset`, an enclosed tunnel, or the payload's signature and metadata. */
export function decodeUdp(
  bytes: Uint8Array,
  offset: number,
  end: number,
  transportLength: number,
  batch: PacketBatch,
  row: number,
  depth: number,
  fragmented: boolean,
): void {
  const available = end - offset;
  if (available >= 4) {
    batch.srcPort[row] = readUint16BE(bytes, offset);
    batch.dstPort[row] = readUint16BE(bytes, offset + 2);
  }
  if (available < 8) {
    markTruncated(batch, row);
    return;
  }
  const srcPort = readUint16BE(bytes, offset);
  const dstPort = readUint16BE(bytes, offset + 2);
  batch.l4HeaderLength[row] = 8;
  batch.payloadLength[row] = transportLength > 8 ? transportLength - 8 : 0;
  // The UDP length bounds the payload when shorter than the IP datagram (trailing padding).
  const udpLength = readUint16BE(bytes, offset + 4);
  const payloadEnd = udpLength >= 8 && offset + udpLength < end ? offset + udpLength : end;
  const payloadOffset = offset + 8;
  if (payloadOffset >= payloadEnd) return;
  if (!fragmented) {
    if (dstPort === TunnelPort.vxlan && decodeVxlan(bytes, payloadOffset, payloadEnd, batch, row, depth))
      return;
    if (dstPort === TunnelPort.geneve && decodeGeneve(bytes, payloadOffset, payloadEnd, batch, row, depth))
      return;
    if (
      (srcPort === TunnelPort.teredo || dstPort === TunnelPort.teredo) &&
      decodeTeredo(bytes, payloadOffset, payloadEnd, batch, row, depth)
    )
      return;
  }
  decodeApplication(bytes, payloadOffset, payloadEnd, false, srcPort, dstPort, batch, row);
}
