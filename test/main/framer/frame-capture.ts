/**
 * Test helper: frames capture bytes with CaptureFramer (in chunks of a given size), reads every
 * block with the worker's readBlockRecords and a no-op decoder, and returns the record-level
 * columns as plain arrays.
 */
import type { CaptureBlock } from '../../../src/shared/capture-block';
import { createPacketBatch } from '../../../src/shared/packet-batch';
import { CaptureFramer } from '../../../src/main/ingest/framer/capture-framer';
import { openCaptureStream } from '../../../src/main/ingest/framer/open-capture-stream';
import { readBlockRecords } from '../../../src/workers/capture/read-block';

export const RECORD_COLUMNS = [
  'tsSec',
  'tsNsec',
  'fileOffset',
  'recordLength',
  'interfaceId',
  'linkType',
  'frameLength',
  'capturedLength',
  'dataOffset',
] as const;
export type RecordColumn = (typeof RECORD_COLUMNS)[number];
export type RecordRows = Record<RecordColumn, number[]>;

export interface FramedCapture {
  format: string | undefined;
  linkTypes: number[];
  warnings: string[];
  packetCount: number;
  streamBytes: number;
  blocks: CaptureBlock[];
  rows: RecordRows;
}

export interface FrameOptions {
  chunkBytes: number;
  targetBlockBytes: number;
  /** Passed to CaptureFramer (where block bytes are copied). */
  allocate?: (byteLength: number) => Uint8Array;
}

function noDecode(): void {}

/** Reads the record-level columns of `blocks` in order. */
export function readRows(blocks: readonly CaptureBlock[]): RecordRows {
  const rows = Object.fromEntries(RECORD_COLUMNS.map((name) => [name, [] as number[]])) as RecordRows;
  for (const block of blocks) {
    const batch = createPacketBatch(block.packetCount, block.firstPacketNumber);
    readBlockRecords(block, batch, noDecode);
    if (batch.count !== block.packetCount)
      throw new Error(`block ${block.sequence}: read ${batch.count} of ${block.packetCount} packets`);
    for (const name of RECORD_COLUMNS) rows[name].push(...Array.from(batch[name].subarray(0, batch.count)));
  }
  return rows;
}

function result(framer: CaptureFramer, blocks: CaptureBlock[]): FramedCapture {
  return {
    format: framer.format,
    linkTypes: framer.linkTypes,
    warnings: framer.warnings,
    packetCount: framer.packetCount,
    streamBytes: framer.streamBytes,
    blocks,
    rows: readRows(blocks),
  };
}

/** Frames `bytes` pushed in chunks of `chunkBytes`. */
export function frameBytes(bytes: Uint8Array, options: FrameOptions): FramedCapture {
  const framer = new CaptureFramer({
    targetBlockBytes: options.targetBlockBytes,
    ...(options.allocate ? { allocate: options.allocate } : {}),
  });
  const blocks: CaptureBlock[] = [];
  for (let pos = 0; pos < bytes.length; pos += options.chunkBytes) {
    // A fresh copy per chunk, as a stream would hand over.
    blocks.push(...framer.push(bytes.slice(pos, pos + options.chunkBytes)));
  }
  blocks.push(...framer.end());
  return result(framer, blocks);
}

/** Frames a file through openCaptureStream (so .gz works). */
export async function frameFile(path: string, options: FrameOptions): Promise<FramedCapture> {
  const stream = await openCaptureStream(path, { chunkBytes: options.chunkBytes });
  const framer = new CaptureFramer({ targetBlockBytes: options.targetBlockBytes });
  const blocks: CaptureBlock[] = [];
  for await (const chunk of stream.chunks) blocks.push(...framer.push(chunk));
  blocks.push(...framer.end());
  return result(framer, blocks);
}
