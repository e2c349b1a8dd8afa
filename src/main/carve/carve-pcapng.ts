/**
 * Carving from a pcapng capture into pcapng: every Section Header and Interface Description
 * Block (and Decryption Secrets Block) is kept so interface ids and time resolutions stay valid;
 * of the packet blocks only the wanted ones, copied byte for byte, in file order. Statistics,
 * name-resolution and custom blocks are dropped (their contents describe the whole capture).
 */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { CarveCounts, CarveSink, RecordSource } from './carve-types';
import type { SequentialReader } from './sequential-reader';

/** pcapng 4.1 SHB type, the same in both byte orders. */
export const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** pcapng 4.2 IDB, 4.7 DSB (kept); 4.3 EPB, 4.4 SPB, appendix A PB are packet records. */
const KEPT_BLOCKS = new Set([1, 0x0a]);

/** Copies the wanted records of the pcapng stream in `reader` (positioned at 0) to `sink`. */
export async function carvePcapng(reader: SequentialReader, records: RecordSource, sink: CarveSink): Promise<CarveCounts> {
  const counts: CarveCounts = { packets: 0, bytes: 0 };
  let wanted = await records.next();
  let littleEndian = true;
  while (!wanted.done) {
    const blockStart = reader.position;
    if (blockStart > wanted.value.fileOffset) throw mismatch(wanted.value.fileOffset, 'a block boundary');
    const header = await reader.read(12);
    if (header.length < 12) throw mismatch(wanted.value.fileOffset, 'the end of the capture');
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    const type = view.getUint32(0, littleEndian);
    if (type === PCAPNG_SHB) {
      // pcapng 4.1: the byte-order magic after the length gives the section's byte order.
      const magic = view.getUint32(8, true);
      if (magic !== BYTE_ORDER_MAGIC && magic !== 0x4d3c2b1a) throw mismatch(blockStart, 'a Section Header Block');
      littleEndian = magic === BYTE_ORDER_MAGIC;
    }
    const length = view.getUint32(4, littleEndian);
    if (length < (type === PCAPNG_SHB ? 28 : 12) || length % 4 !== 0) {
      throw new FlowlabError(ErrorCode.badRecord, `Expected a pcapng block length (a multiple of 4, >= 12) at offset 0x${blockStart.toString(16)}, found ${length}`);
    }
    const isWanted = blockStart === wanted.value.fileOffset;
    if (isWanted && length !== wanted.value.recordLength) throw mismatch(blockStart, `a ${wanted.value.recordLength}-byte block`);
    if (type === PCAPNG_SHB) {
      const block = await readBlockCopy(reader, header, length, blockStart);
      // The carved section is shorter than the original: section length -1 = not given (pcapng 4.1).
      block.fill(0xff, 16, 24);
      await sink.write(block);
    } else if (isWanted || KEPT_BLOCKS.has(type)) {
      await sink.write(header);
      await sink.write(await reader.readExactly(length - 12, `the pcapng block at offset 0x${blockStart.toString(16)}`));
      if (isWanted) {
        counts.packets++;
        counts.bytes += length;
        wanted = await records.next();
      }
    } else {
      await reader.skipTo(blockStart + length);
    }
  }
  return counts;
}

async function readBlockCopy(reader: SequentialReader, header: Uint8Array, length: number, at: number): Promise<Uint8Array> {
  const block = new Uint8Array(length);
  block.set(header);
  block.set(await reader.readExactly(length - 12, `the Section Header Block at offset 0x${at.toString(16)}`), 12);
  return block;
}

function mismatch(offset: number, found: string): FlowlabError {
  return new FlowlabError(
    ErrorCode.badRecord,
    `Expected the packet record of the index at offset 0x${offset.toString(16)}, found ${found}: the capture file differs from the one ingested`,
  );
}
