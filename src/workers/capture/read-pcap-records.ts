/**
 * Record-level columns of a classic pcap block (pcap-savefile(5); draft-ietf-opsawg-pcap 5):
 * every record is ts_sec(4) ts_usec|ts_nsec(4) incl_len(4) orig_len(4) + incl_len bytes.
 */
import type { CaptureBlock } from '../../shared/capture-block';
import type { PacketBatch } from '../../shared/packet-batch';
import type { DecodePacketFn } from '../decode-packet-fn';

const RECORD_HEADER_LENGTH = 16;
const NANOSECONDS_PER_SECOND = 1e9;

/** Fills one batch row per record of `block` (a pcap block) and decodes each packet. */
export function readPcapRecords(block: CaptureBlock, batch: PacketBatch, decode: DecodePacketFn): void {
  const { bytes, littleEndian } = block;
  const context = block.pcap!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fractionScale = context.nanoseconds ? 1 : 1000;
  const order = context.lengthFieldOrder;
  const linkType = context.linkType;
  // Columns in locals: one property lookup per block, not per packet.
  const { tsSec, tsNsec, fileOffset, recordLength: recordLengths, interfaceId, linkType: linkTypes } = batch;
  const { frameLength: frameLengths, capturedLength: capturedLengths, dataOffset } = batch;
  const baseOffset = block.baseOffset;
  const capacity = tsSec.length;
  let row = batch.count;
  let pos = 0;
  while (pos + RECORD_HEADER_LENGTH <= bytes.length && row < capacity) {
    let capturedLength = view.getUint32(pos + 8, littleEndian);
    let frameLength = view.getUint32(pos + 12, littleEndian);
    // libpcap sf-pcap.c: files before 2.3 hold orig_len first; 2.3 files are swapped when incl_len > orig_len.
    if (order === 'swapped' || (order === 'ambiguous' && capturedLength > frameLength)) {
      const swapped = capturedLength;
      capturedLength = frameLength;
      frameLength = swapped;
    }
    const recordLength = RECORD_HEADER_LENGTH + capturedLength;
    if (pos + recordLength > bytes.length) break; // the framer never cuts a record; defensive only
    // An out-of-range sub-second field (>= 1 s) is carried into the seconds.
    const fraction = view.getUint32(pos + 4, littleEndian) * fractionScale;
    const carry = Math.floor(fraction / NANOSECONDS_PER_SECOND);
    tsSec[row] = view.getUint32(pos, littleEndian) + carry;
    tsNsec[row] = fraction - carry * NANOSECONDS_PER_SECOND;
    fileOffset[row] = baseOffset + pos;
    recordLengths[row] = recordLength;
    interfaceId[row] = 0;
    linkTypes[row] = linkType;
    frameLengths[row] = frameLength;
    capturedLengths[row] = capturedLength;
    dataOffset[row] = RECORD_HEADER_LENGTH;
    decode(bytes, pos + RECORD_HEADER_LENGTH, capturedLength, linkType, batch, row);
    row++;
    batch.count = row;
    pos += recordLength;
  }
}
