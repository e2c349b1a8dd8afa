/**
 * Carving into a classic pcap file from sources it cannot be copied from byte for byte (pcapng
 * captures, or pcap captures of another time resolution or record layout): each wanted record's
 * packet bytes are copied unchanged and get a new pcap record header (pcap-savefile(5)) with the
 * packet index's nanosecond timestamp, captured and original lengths. A pcap file has one link
 * type, so every selected packet must share it (the caller checks).
 */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { CarveCounts, CarveRecord, CarveSink } from './carve-types';
import type { SequentialReader } from './sequential-reader';

/** A wanted record plus what the new record header needs, from the packet index. */
export interface ConvertRecord extends CarveRecord {
  /** Nanoseconds since the epoch (0 for a packet without a time, e.g. a pcapng Simple Packet Block). */
  timeNs: bigint;
  capturedLength: number;
  frameLength: number;
}

/** Time resolution of the written pcap: the nanosecond magic (default) or the classic microsecond one. */
export type PcapResolution = 'ns' | 'us';

/** Where the packet bytes start in a source record. */
export type SourceLayout = { kind: 'pcap'; recordHeaderLength: number } | { kind: 'pcapng' };

/** pcap-savefile(5) file header, little-endian, version 2.4. */
export function pcapFileHeader(linkType: number, snapLength: number, resolution: PcapResolution): Uint8Array {
  const out = new Uint8Array(24);
  const view = new DataView(out.buffer);
  view.setUint32(0, resolution === 'ns' ? 0xa1b23c4d : 0xa1b2c3d4, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, snapLength, true);
  view.setUint32(20, linkType, true);
  return out;
}

/** pcapng 4.3 EPB and appendix A PB: data after 28 bytes; 4.4 SPB: after 12. Types read in either byte order. */
function pcapngDataOffset(record: Uint8Array): number | undefined {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const type = view.getUint32(0, true) > 0xffff ? view.getUint32(0, false) : view.getUint32(0, true);
  if (type === 6 || type === 2) return 28;
  if (type === 3) return 12;
  return undefined;
}

/** Writes each wanted record of `reader` as a pcap record (the caller wrote the file header). */
export async function convertToPcap(
  reader: SequentialReader,
  layout: SourceLayout,
  records: AsyncIterator<ConvertRecord>,
  sink: CarveSink,
  resolution: PcapResolution,
): Promise<CarveCounts> {
  const counts: CarveCounts = { packets: 0, bytes: 0 };
  const header = new Uint8Array(16);
  const view = new DataView(header.buffer);
  const perSecond = resolution === 'ns' ? 1_000_000_000n : 1_000_000n;
  for (let wanted = await records.next(); !wanted.done; wanted = await records.next()) {
    const { fileOffset, recordLength, timeNs, capturedLength, frameLength } = wanted.value;
    const where = `the record at offset 0x${fileOffset.toString(16)}`;
    if (fileOffset < reader.position) throw mismatch(fileOffset, 'an earlier record');
    await reader.skipTo(fileOffset);
    const record = await reader.readExactly(recordLength, where);
    const dataOffset = layout.kind === 'pcap' ? layout.recordHeaderLength : pcapngDataOffset(record);
    if (dataOffset === undefined || dataOffset + capturedLength > recordLength) {
      throw mismatch(fileOffset, `no packet block of ${capturedLength} captured bytes`);
    }
    if (timeNs < 0n) throw new FlowlabError(ErrorCode.invalidArgument, `Expected a packet time after 1970 for ${where}, found ${timeNs} ns`);
    const units = resolution === 'ns' ? timeNs : timeNs / 1000n;
    view.setUint32(0, Number(units / perSecond), true);
    view.setUint32(4, Number(units % perSecond), true);
    view.setUint32(8, capturedLength, true);
    view.setUint32(12, frameLength, true);
    await sink.write(header);
    await sink.write(record.subarray(dataOffset, dataOffset + capturedLength));
    counts.packets++;
    counts.bytes += 16 + capturedLength;
  }
  return counts;
}

function mismatch(offset: number, found: string): FlowlabError {
  return new FlowlabError(
    ErrorCode.badRecord,
    `Expected the packet record of the index at offset 0x${offset.toString(16)}, found ${found}: the capture file differs from the one ingested`,
  );
}
