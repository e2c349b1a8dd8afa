/**
 * Worker entry for one CaptureBlock: fills the record-level columns of `batch` (time stamp,
 * offsets, lengths, interface, link type) for every packet record and hands the packet bytes
 * to the decoder. Allocation-free per packet.
 */
import type { CaptureBlock } from '../../shared/capture-block';
import type { PacketBatch } from '../../shared/packet-batch';
import type { DecodePacketFn } from '../decode-packet-fn';
import { readPcapRecords } from './read-pcap-records';
import { readPcapngRecords } from './read-pcapng-records';

/**
 * Walks `block`'s records and, for each packet record, fills row `batch.count` (record-level
 * columns), calls `decode(block.bytes, dataStart, capturedLength, linkType, batch, row)` and
 * increments `batch.count`. Non-packet pcapng blocks are skipped. `batch` must have room for
 * `block.packetCount` rows; rows beyond its capacity are not written.
 */
export function readBlockRecords(block: CaptureBlock, batch: PacketBatch, decode: DecodePacketFn): void {
  if (block.format === 'pcap') readPcapRecords(block, batch, decode);
  else readPcapngRecords(block, batch, decode);
}
