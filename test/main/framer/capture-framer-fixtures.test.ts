/**
 * Every committed fixture, framed and read at block/chunk sizes from tiny (carry-over on nearly
 * every record) to large: packet count and frame.len sum equal tshark's, and every record-level
 * column is identical across the sizes.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { CaptureBlock } from '../../../src/shared/capture-block';
import { frameBytes, type FrameOptions, type FramedCapture } from './frame-capture';
import { PCAPS, loadTotals } from './tshark-reference';

const VARIANTS: FrameOptions[] = [
  { chunkBytes: 3, targetBlockBytes: 64 },
  { chunkBytes: 7, targetBlockBytes: 1 },
  { chunkBytes: 1000, targetBlockBytes: 1500 },
  { chunkBytes: 8 << 20, targetBlockBytes: 8 << 20 },
];
/** 17.5 MB decompressed: skip the 3- and 7-byte chunks there. */
const GZIP_VARIANTS: FrameOptions[] = [
  { chunkBytes: 1000, targetBlockBytes: 64 },
  { chunkBytes: 65536, targetBlockBytes: 100_000 },
  { chunkBytes: 8 << 20, targetBlockBytes: 8 << 20 },
];

/** Blocks are numbered, contiguous in packet numbers, own their buffer, mirror the stream bytes, and respect the target. */
function checkBlocks(capture: FramedCapture, stream: Uint8Array, target: number): void {
  let nextPacket = 1;
  capture.blocks.forEach((block: CaptureBlock, index) => {
    expect(block.sequence).toBe(index);
    expect(block.firstPacketNumber).toBe(nextPacket);
    expect(block.packetCount).toBeGreaterThan(0);
    nextPacket += block.packetCount;
    expect(block.bytes.byteOffset).toBe(0);
    expect(block.bytes.buffer.byteLength).toBe(block.bytes.byteLength);
    expect(
      Buffer.from(block.bytes).equals(
        stream.subarray(block.baseOffset, block.baseOffset + block.bytes.length),
      ),
    ).toBe(true);
    if (block.bytes.length > target) expect(block.packetCount).toBe(1);
  });
  expect(nextPacket - 1).toBe(capture.packetCount);
}

describe('framing every fixture matches tshark', () => {
  for (const { file, packets, bytes } of loadTotals()) {
    it(file, () => {
      const raw = new Uint8Array(readFileSync(PCAPS + file));
      const stream = file.endsWith('.gz') ? new Uint8Array(gunzipSync(raw)) : raw;
      // tshark 4.0 lists pcapng custom blocks as frames too; so does Flowlab.
      const [expectedPackets, expectedBytes] = [packets, bytes];
      let first: FramedCapture | undefined;
      for (const variant of file.endsWith('.gz') ? GZIP_VARIANTS : VARIANTS) {
        const capture = frameBytes(stream, variant);
        expect(capture.warnings, JSON.stringify(variant)).toEqual([]);
        expect(capture.packetCount).toBe(expectedPackets);
        expect(capture.rows.frameLength.length).toBe(expectedPackets);
        expect(capture.rows.frameLength.reduce((sum, length) => sum + length, 0)).toBe(expectedBytes);
        expect(capture.streamBytes).toBe(stream.length);
        checkBlocks(capture, stream, variant.targetBlockBytes);
        if (first === undefined) first = capture;
        else expect(capture.rows, JSON.stringify(variant)).toEqual(first.rows);
      }
    });
  }
});

describe('record offsets point at the packet data', () => {
  it.each([
    'fmt_pcap_be_nsec_http.pcap',
    'fmt_pcapng_be_3sections_5ifaces.pcapng',
    'fmt_pcapng_le_nrb_spb_epb_mixed.pcapng',
  ])('%s', (file) => {
    const stream = new Uint8Array(readFileSync(PCAPS + file));
    const capture = frameBytes(stream, { chunkBytes: 5, targetBlockBytes: 100 });
    const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
    const { fileOffset, recordLength, dataOffset, capturedLength } = capture.rows;
    for (let i = 0; i < fileOffset.length; i++) {
      // The record's total length is where the format says it is: pcapng 3.1 (offset 4, both
      // copies), pcap-savefile(5) (16-byte header + incl_len).
      const offset = fileOffset[i]!;
      if (capture.format === 'pcapng') {
        const littleEndian = view.getUint32(offset + 4, true) === recordLength[i];
        expect(view.getUint32(offset + 4, littleEndian)).toBe(recordLength[i]);
        expect(view.getUint32(offset + recordLength[i]! - 4, littleEndian)).toBe(recordLength[i]);
        expect(dataOffset[i]! + capturedLength[i]!).toBeLessThanOrEqual(recordLength[i]! - 4);
      } else {
        expect(recordLength[i]).toBe(16 + capturedLength[i]!);
        expect(dataOffset[i]).toBe(16);
      }
    }
  });
});
