/**
 * Carving from a classic pcap capture (pcap-savefile(5)): to pcap, the file header and the
 * wanted records are copied byte for byte; to pcapng, the header becomes one section with one
 * interface and each record an Enhanced Packet Block around the same packet bytes.
 */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { CarveCounts, CarveSink, RecordSource } from './carve-types';
import type { SequentialReader } from './sequential-reader';

/** What the 24-byte pcap file header says. */
export interface PcapHeader {
  bytes: Uint8Array;
  littleEndian: boolean;
  nanoseconds: boolean;
  /** 16, or 24 for the "modified" (Kuznetzov) format. */
  recordHeaderLength: number;
  snapLength: number;
  linkType: number;
}

const MAGICS: Record<number, { nanoseconds: boolean; recordHeaderLength: number }> = {
  0xa1b2c3d4: { nanoseconds: false, recordHeaderLength: 16 },
  0xa1b23c4d: { nanoseconds: true, recordHeaderLength: 16 },
  0xa1b2cd34: { nanoseconds: false, recordHeaderLength: 24 },
};

/** Reads and checks the file header (the reader is at offset 0). */
export async function readPcapHeader(reader: SequentialReader): Promise<PcapHeader> {
  const bytes = Uint8Array.from(await reader.readExactly(24, 'the pcap file header'));
  const view = new DataView(bytes.buffer);
  for (const littleEndian of [true, false]) {
    const kind = MAGICS[view.getUint32(0, littleEndian)];
    if (kind) {
      return {
        bytes,
        littleEndian,
        ...kind,
        snapLength: view.getUint32(16, littleEndian),
        linkType: view.getUint32(20, littleEndian),
      };
    }
  }
  throw new FlowlabError(ErrorCode.unknownFormat, `Expected a pcap magic number, found 0x${view.getUint32(0).toString(16)}`);
}

/**
 * Copies (to pcap) or wraps (to pcapng) each wanted record. `mode` 'pcap' writes the records
 * only (the caller writes the file header once); 'pcapng' writes a section of its own first.
 */
export async function carvePcap(
  reader: SequentialReader,
  header: PcapHeader,
  records: RecordSource,
  sink: CarveSink,
  mode: 'pcap' | 'pcapng',
): Promise<CarveCounts> {
  const counts: CarveCounts = { packets: 0, bytes: 0 };
  if (mode === 'pcapng') await sink.write(pcapngSectionFor(header));
  for (let wanted = await records.next(); !wanted.done; wanted = await records.next()) {
    const { fileOffset, recordLength } = wanted.value;
    if (fileOffset < reader.position) throw mismatch(fileOffset, 'an earlier record');
    await reader.skipTo(fileOffset);
    const record = await reader.readExactly(recordLength, `the pcap record at offset 0x${fileOffset.toString(16)}`);
    const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
    const included = view.getUint32(8, header.littleEndian);
    if (included + header.recordHeaderLength !== recordLength) throw mismatch(fileOffset, `a record of ${included} captured bytes`);
    await sink.write(mode === 'pcap' ? record : enhancedPacketBlock(header, view, record.subarray(header.recordHeaderLength)));
    counts.packets++;
    counts.bytes += recordLength;
  }
  return counts;
}

/** pcapng 4.1 SHB (little-endian, version 1.0, section length unknown) + 4.2 IDB with if_tsresol. */
function pcapngSectionFor(header: PcapHeader): Uint8Array {
  const out = new Uint8Array(28 + 32);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x0a0d0d0a, true);
  view.setUint32(4, 28, true);
  view.setUint32(8, 0x1a2b3c4d, true);
  view.setUint16(12, 1, true);
  view.setUint16(14, 0, true);
  out.fill(0xff, 16, 24);
  view.setUint32(24, 28, true);
  view.setUint32(28, 1, true);
  view.setUint32(32, 32, true);
  // pcap-savefile(5): the link-type field's low 16 bits are the LINKTYPE_ value.
  view.setUint16(36, header.linkType & 0xffff, true);
  view.setUint32(40, header.snapLength, true);
  view.setUint16(44, 9, true); // if_tsresol: 10^-6 or 10^-9
  view.setUint16(46, 1, true);
  out[48] = header.nanoseconds ? 9 : 6;
  // bytes 52..55: opt_endofopt (zero), then the trailing block length.
  view.setUint32(56, 32, true);
  return out;
}

/** pcapng 4.3 EPB on interface 0 around the record's packet bytes (copied unchanged). */
function enhancedPacketBlock(header: PcapHeader, record: DataView, data: Uint8Array): Uint8Array {
  const padded = (data.length + 3) & ~3;
  const length = 32 + padded;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  const seconds = BigInt(record.getUint32(0, header.littleEndian));
  const fraction = BigInt(record.getUint32(4, header.littleEndian));
  const units = seconds * (header.nanoseconds ? 1_000_000_000n : 1_000_000n) + fraction;
  view.setUint32(0, 6, true);
  view.setUint32(4, length, true);
  view.setUint32(8, 0, true);
  view.setUint32(12, Number(units >> 32n), true);
  view.setUint32(16, Number(units & 0xffffffffn), true);
  view.setUint32(20, data.length, true);
  view.setUint32(24, record.getUint32(12, header.littleEndian), true);
  out.set(data, 28);
  view.setUint32(length - 4, length, true);
  return out;
}

function mismatch(offset: number, found: string): FlowlabError {
  return new FlowlabError(
    ErrorCode.badRecord,
    `Expected the packet record of the index at offset 0x${offset.toString(16)}, found ${found}: the capture file differs from the one ingested`,
  );
}
