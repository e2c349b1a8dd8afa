/**
 * Test-only capture reader: reads a whole classic pcap or pcapng file (optionally gzipped) with
 * simple loops and decodes every packet with `decodePacket` into one PacketBatch. Independent of
 * the production record reader on purpose (written in parallel); no performance concerns.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createPacketBatch, type PacketBatch } from '../../../src/shared/packet-batch';
import { decodePacket } from '../../../src/workers/decode/decode-packet';

/** One packet record: where its captured bytes are in the file buffer, and its link type. */
export interface TestRecord {
  linkType: number;
  start: number;
  capturedLength: number;
  frameLength: number;
}

export interface TestCapture {
  bytes: Uint8Array;
  records: TestRecord[];
}

function readPcap(bytes: Uint8Array, view: DataView): TestRecord[] {
  const magic = view.getUint32(0, true);
  const littleEndian = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const linkType = view.getUint32(20, littleEndian) & 0x03ffffff;
  const records: TestRecord[] = [];
  let offset = 24;
  while (offset + 16 <= bytes.length) {
    const capturedLength = view.getUint32(offset + 8, littleEndian);
    const frameLength = view.getUint32(offset + 12, littleEndian);
    if (offset + 16 + capturedLength > bytes.length) break;
    records.push({ linkType, start: offset + 16, capturedLength, frameLength });
    offset += 16 + capturedLength;
  }
  return records;
}

function readPcapng(bytes: Uint8Array, view: DataView): TestRecord[] {
  const records: TestRecord[] = [];
  let littleEndian = true;
  let interfaces: { linkType: number; snapLength: number }[] = [];
  let offset = 0;
  while (offset + 12 <= bytes.length) {
    if (view.getUint32(offset, true) === 0x0a0d0d0a) {
      littleEndian = view.getUint32(offset + 8, true) === 0x1a2b3c4d;
      interfaces = [];
    }
    const type = view.getUint32(offset, littleEndian);
    const length = view.getUint32(offset + 4, littleEndian);
    if (length < 12 || offset + length > bytes.length) break;
    const body = offset + 8;
    if (type === 1) {
      interfaces.push({
        linkType: view.getUint16(body, littleEndian),
        snapLength: view.getUint32(body + 4, littleEndian),
      });
    } else if (type === 6) {
      const interfaceId = view.getUint32(body, littleEndian);
      records.push({
        linkType: interfaces[interfaceId]!.linkType,
        start: body + 20,
        capturedLength: view.getUint32(body + 12, littleEndian),
        frameLength: view.getUint32(body + 16, littleEndian),
      });
    } else if (type === 3) {
      const frameLength = view.getUint32(body, littleEndian);
      const snap = interfaces[0]!.snapLength || Number.MAX_SAFE_INTEGER;
      records.push({
        linkType: interfaces[0]!.linkType,
        start: body + 4,
        capturedLength: Math.min(frameLength, snap, length - 16),
        frameLength,
      });
    } else if (type === 2) {
      const interfaceId = view.getUint16(body, littleEndian);
      records.push({
        linkType: interfaces[interfaceId]!.linkType,
        start: body + 20,
        capturedLength: view.getUint32(body + 12, littleEndian),
        frameLength: view.getUint32(body + 16, littleEndian),
      });
    }
    offset += length;
  }
  return records;
}

/** Reads all packet records of a pcap/pcapng(.gz) file. */
export function readCaptureForTest(path: string): TestCapture {
  let bytes: Uint8Array = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records = view.getUint32(0, true) === 0x0a0d0d0a ? readPcapng(bytes, view) : readPcap(bytes, view);
  return { bytes, records };
}

/** Reads a capture (or takes one already read) and decodes every packet into one batch (row i = frame i + 1). */
export function decodeCaptureForTest(source: string | TestCapture): PacketBatch {
  const { bytes, records } = typeof source === 'string' ? readCaptureForTest(source) : source;
  const batch = createPacketBatch(Math.max(1, records.length), 1);
  records.forEach((record, row) => {
    batch.linkType[row] = record.linkType;
    batch.frameLength[row] = record.frameLength;
    batch.capturedLength[row] = record.capturedLength;
    decodePacket(bytes, record.start, record.capturedLength, record.linkType, batch, row);
  });
  batch.count = records.length;
  return batch;
}
