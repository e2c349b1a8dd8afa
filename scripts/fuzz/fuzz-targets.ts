/**
 * Runs one fuzz case against the real code and throws FuzzFailure when it finds a bug:
 * - packet: decodeLinkLayer without decodePacket's defensive try/catch (a throw is a bug), and
 *   the same packet surrounded by two different fillers must decode identically (no read
 *   outside the captured bytes);
 * - protocol: one per-protocol decoder on (bytes, offset, end);
 * - capture: CaptureFramer (chunks of the case's size) then the worker's record readers and the
 *   unguarded decoder on every block. Header errors must be FlowlabError UNKNOWN_FORMAT or
 *   BAD_RECORD; the readers must find exactly the packets the framer counted; blocks never
 *   hold more bytes than the input;
 * - assemble: decoded packets, mutated, through FlowAssembler (assemble-target.ts);
 * - gzip: a `.gz` file through the ingest's openCaptureStream and the framer (gzip-target.ts).
 */
import { ErrorCode, FlowlabError } from '../../src/shared/errors';
import { createPacketBatch, PACKET_BATCH_COLUMNS, type PacketBatch } from '../../src/shared/packet-batch';
import { CaptureFramer } from '../../src/main/ingest/framer/capture-framer';
import { readBlockRecords } from '../../src/workers/capture/read-block';
import { decodeLinkLayer, normalizeLinkType } from '../../src/workers/decode/link-layer';
import { packetScratch } from '../../src/workers/decode/row-columns';
import type { FuzzCase } from './fuzz-case';
import { FuzzFailure } from './fuzz-failure';
import { runAssemble } from './assemble-target';
import { runGzip } from './gzip-target';
import { PROTOCOL_DECODERS } from './protocol-decoders';

const FILLER = 32;
const scratch = [createPacketBatch(1, 1), createPacketBatch(1, 1)] as const;

function resetRow(batch: PacketBatch, frameLength: number, capturedLength: number): void {
  for (const { name } of PACKET_BATCH_COLUMNS) batch[name].fill(0);
  batch.meta.length = 0;
  batch.metaIndex[0] = -1;
  batch.frameLength[0] = frameLength;
  batch.capturedLength[0] = capturedLength;
}

/** Decodes `bytes[start, end)` with no try/catch around it: a throw reaches the caller. */
function decodeUnguarded(
  bytes: Uint8Array,
  start: number,
  end: number,
  linkType: number,
  batch: PacketBatch,
  row: number,
): void {
  packetScratch.capturedEnd = end;
  packetScratch.uncapturedBytes = Math.max(0, (batch.frameLength[row] ?? 0) - (end - start));
  decodeLinkLayer(bytes, start, end, normalizeLinkType(linkType), batch, row);
}

function differingColumn(a: PacketBatch, b: PacketBatch): string | undefined {
  for (const { name } of PACKET_BATCH_COLUMNS) {
    const x = a[name];
    const y = b[name];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return name;
  }
  if (JSON.stringify(a.meta) !== JSON.stringify(b.meta)) return 'meta';
  return undefined;
}

function runPacket(fuzz: FuzzCase): void {
  const { bytes } = fuzz;
  const [low, high] = scratch;
  const buffers = [0x00, 0xff].map((fill) => {
    const buffer = new Uint8Array(bytes.length + 2 * FILLER).fill(fill);
    buffer.set(bytes, FILLER);
    return buffer;
  });
  resetRow(low, bytes.length, bytes.length);
  decodeUnguarded(buffers[0]!, FILLER, FILLER + bytes.length, fuzz.linkType, low, 0);
  resetRow(high, bytes.length, bytes.length);
  decodeUnguarded(buffers[1]!, FILLER, FILLER + bytes.length, fuzz.linkType, high, 0);
  const column = differingColumn(low, high);
  if (column)
    throw new FuzzFailure(`link type ${fuzz.linkType}: column ${column} depends on bytes outside the packet`);
}

function runProtocol(fuzz: FuzzCase): void {
  const decoder = PROTOCOL_DECODERS[fuzz.decoder];
  if (!decoder) throw new Error(`unknown decoder ${fuzz.decoder}`);
  const batch = scratch[0];
  resetRow(batch, fuzz.bytes.length, fuzz.bytes.length);
  packetScratch.capturedEnd = fuzz.bytes.length;
  packetScratch.uncapturedBytes = 0;
  decoder(fuzz.bytes, Math.min(fuzz.offset, fuzz.bytes.length), fuzz.bytes.length, batch, 0);
}

const EXPECTED_FRAMER_CODES: ReadonlySet<string> = new Set([ErrorCode.unknownFormat, ErrorCode.badRecord]);

function runCapture(fuzz: FuzzCase): void {
  const { bytes } = fuzz;
  const framer = new CaptureFramer({ targetBlockBytes: fuzz.blockBytes });
  let packets = 0;
  let blockBytes = 0;
  const readBlocks = (blocks: ReturnType<CaptureFramer['push']>): void => {
    for (const block of blocks) {
      blockBytes += block.bytes.length;
      const batch = createPacketBatch(block.packetCount, block.firstPacketNumber);
      readBlockRecords(block, batch, (data, start, length, linkType, target, row) =>
        decodeUnguarded(data, start, Math.min(start + length, data.length), linkType, target, row),
      );
      if (batch.count !== block.packetCount)
        throw new FuzzFailure(
          `block ${block.sequence}: the reader found ${batch.count} of ${block.packetCount} packets`,
        );
      if (block.firstPacketNumber !== packets + 1)
        throw new FuzzFailure(
          `block ${block.sequence} starts at packet ${block.firstPacketNumber}, expected ${packets + 1}`,
        );
      packets += batch.count;
    }
  };
  try {
    for (let pos = 0; pos < bytes.length; pos += fuzz.chunkBytes) {
      readBlocks(framer.push(bytes.subarray(pos, pos + fuzz.chunkBytes)));
      if (framer.done) break;
    }
    readBlocks(framer.end());
  } catch (error) {
    if (error instanceof FlowlabError && EXPECTED_FRAMER_CODES.has(error.code)) return;
    throw error;
  }
  if (packets !== framer.packetCount)
    throw new FuzzFailure(`framer counted ${framer.packetCount} packets, blocks held ${packets}`);
  if (blockBytes > bytes.length)
    throw new FuzzFailure(`blocks hold ${blockBytes} bytes of a ${bytes.length}-byte input`);
  if (framer.streamBytes > bytes.length)
    throw new FuzzFailure(`framer consumed ${framer.streamBytes} of ${bytes.length} bytes`);
}

export { FuzzFailure };

/**
 * Runs `fuzz`; throws (FuzzFailure or the code's own error) when it exposes a bug. Only the
 * gzip target is asynchronous (it reads a file through a stream): it returns a promise.
 */
export function runCase(fuzz: FuzzCase): void | Promise<void> {
  switch (fuzz.target) {
    case 'packet':
      return runPacket(fuzz);
    case 'protocol':
      return runProtocol(fuzz);
    case 'capture':
      return runCapture(fuzz);
    case 'assemble':
      return runAssemble(fuzz);
    case 'gzip':
      return runGzip(fuzz);
  }
}
