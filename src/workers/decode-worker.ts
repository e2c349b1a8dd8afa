/**
 * Piscina worker: decodes one CaptureBlock into a PacketBatch. Blocks are independent, so any
 * number of these run in parallel; the orchestrator restores block order afterwards.
 */
import { createPacketBatch, packetBatchTransferList } from '../shared/packet-batch';
import type { DecodeResult, DecodeTask } from '../shared/worker-messages';
import { readBlockRecords } from './capture/read-block';
import { decodePacket, isDecodedLinkType } from './decode/decode-packet';
import { withTransfer } from './transfer';

export default function decodeBlock(block: DecodeTask): DecodeResult {
  const batch = createPacketBatch(block.packetCount, block.firstPacketNumber);
  readBlockRecords(block, batch, decodePacket);
  const undecoded = new Set<number>();
  let previous = -1;
  for (let i = 0; i < batch.count; i++) {
    const linkType = batch.linkType[i]!;
    if (linkType !== previous) {
      previous = linkType;
      if (!isDecodedLinkType(linkType)) undecoded.add(linkType);
    }
  }
  const result: DecodeResult = { sequence: block.sequence, batch, undecodedLinkTypes: [...undecoded] };
  return withTransfer(result, packetBatchTransferList(batch));
}
