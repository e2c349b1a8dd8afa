/**
 * Piscina worker: decodes one CaptureBlock into a PacketBatch. Blocks are independent, so any
 * number of these run in parallel; the orchestrator restores block order afterwards.
 */
import { DecodeStatus, createPacketBatch, packetBatchTransferList } from '../shared/packet-batch';
import type { DecodeResult, DecodeTask } from '../shared/worker-messages';
import { readBlockRecords } from './capture/read-block';
import { decodePacket } from './decode/decode-packet';
import { withTransfer } from './transfer';

export default function decodeBlock(block: DecodeTask): DecodeResult {
  const batch = createPacketBatch(block.packetCount, block.firstPacketNumber);
  readBlockRecords(block, batch, decodePacket);
  const undecoded = new Set<number>();
  for (let i = 0; i < batch.count; i++) {
    if (batch.decodeStatus[i] === DecodeStatus.unsupportedLinkType) undecoded.add(batch.linkType[i]!);
  }
  // The block's buffer goes back to the orchestrator, which copies a later block into it.
  const bytes = block.bytes.buffer as ArrayBuffer;
  const result: DecodeResult = { sequence: block.sequence, batch, undecodedLinkTypes: [...undecoded], bytes };
  return withTransfer(result, [...packetBatchTransferList(batch), bytes]);
}
