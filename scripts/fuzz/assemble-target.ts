/**
 * The flow assembler target: the case's capture bytes are framed and decoded as an ingest does
 * (CaptureFramer, the record readers, decodePacket), the decoded rows are mutated in place
 * (mutate-packet-rows.ts: timestamps, statuses, keys, fragments, TCP flags, metadata, swapped
 * and duplicated rows) and the stream goes through FlowAssembler twice, as one batch and split
 * into random batches (some empty). Beyond "does not throw":
 * - every packet gets a flow index in [-1, flowCount) and a direction 0 or 1, and -1 exactly
 *   when it is of no flow (non-IP status, unsupported link type, IP version not 4 or 6);
 * - every flow index is emitted exactly once, and its packet, byte and per-direction counts are
 *   those of the packets marked with it;
 * - both runs give identical packet marks, flows and emission order (the assembler promises
 *   that any split of a stream into batches gives identical results).
 */
import { ErrorCode, FlowlabError } from '../../src/shared/errors';
import type { FlowBatch } from '../../src/shared/flow-schema';
import { DecodeStatus, createPacketBatch, type PacketBatch } from '../../src/shared/packet-batch';
import { CaptureFramer } from '../../src/main/ingest/framer/capture-framer';
import { readBlockRecords } from '../../src/workers/capture/read-block';
import { decodePacket } from '../../src/workers/decode/decode-packet';
import { FlowAssembler } from '../../src/workers/flows/flow-assembler';
import type { FuzzCase } from './fuzz-case';
import { FuzzFailure } from './fuzz-failure';
import { copyRows, mutatePacketRows } from './mutate-packet-rows';
import { below, mulberry32, type Random } from './random';

/** Frames and decodes `bytes` into one batch of every record (empty when the header is refused). */
export function decodeCapture(bytes: Uint8Array): PacketBatch {
  const batches: PacketBatch[] = [];
  const framer = new CaptureFramer({ targetBlockBytes: 1 << 16 });
  const read = (blocks: ReturnType<CaptureFramer['push']>): void => {
    for (const block of blocks) {
      const batch = createPacketBatch(block.packetCount, block.firstPacketNumber);
      readBlockRecords(block, batch, decodePacket);
      batches.push(batch);
    }
  };
  try {
    read(framer.push(bytes));
    read(framer.end());
  } catch (error) {
    if (!(
      error instanceof FlowlabError &&
      (error.code === ErrorCode.unknownFormat || error.code === ErrorCode.badRecord)
    ))
      throw error;
  }
  const total = batches.reduce((sum, batch) => sum + batch.count, 0);
  const all = createPacketBatch(total, 1);
  for (const batch of batches) copyRows(batch, 0, batch.count, all);
  return all;
}

interface Run {
  marks: Int32Array;
  directions: Uint8Array;
  /** Emitted flows in emission order, each as comparable text. */
  flows: string[];
  flowIndices: number[];
  flowCount: number;
  emitted: FlowBatch[];
}

const utf8 = new TextDecoder();

/**
 * Value `row` of a VARCHAR flow column, whether it travels as an array of strings or encoded
 * (UTF-8 bytes, end offsets and presence flags, as in src/shared/encoded-strings.ts).
 */
function stringAt(column: unknown, row: number): string | null {
  if (Array.isArray(column)) return (column[row] as string | null | undefined) ?? null;
  const encoded = column as { bytes: Uint8Array; ends: Uint32Array; present: Uint8Array };
  if (encoded.present[row] !== 1) return null;
  return utf8.decode(encoded.bytes.subarray(row === 0 ? 0 : encoded.ends[row - 1], encoded.ends[row]));
}

function flowRows(flows: FlowBatch | null, out: Run): void {
  if (!flows || flows.count === 0) return;
  out.emitted.push(flows);
  const names = Object.keys(flows.numbers).sort();
  const strings = Object.keys(flows.strings).sort();
  for (let row = 0; row < flows.count; row++) {
    // Object.is semantics: NaN equals NaN, -0 differs from 0.
    const numbers = names.map((name) => {
      const value = flows.numbers[name]![row]!;
      return Object.is(value, -0) ? '-0' : String(value);
    });
    out.flowIndices.push(flows.flowIndex[row]!);
    out.flows.push(
      `${flows.flowIndex[row]}|${numbers.join(',')}|${JSON.stringify(strings.map((name) => stringAt(flows.strings[name], row)))}`,
    );
  }
}

/** Assembles `stream` split at `cuts` (ascending row numbers) with fresh batches per piece. */
function assemble(stream: PacketBatch, cuts: readonly number[], fuzz: FuzzCase): Run {
  const assembler = new FlowAssembler({
    idleTimeoutSeconds: fuzz.idleTimeout,
    activeTimeoutSeconds: fuzz.activeTimeout,
  });
  const run: Run = {
    marks: new Int32Array(stream.count),
    directions: new Uint8Array(stream.count),
    flows: [],
    flowIndices: [],
    flowCount: 0,
    emitted: [],
  };
  const bounds = [0, ...cuts, stream.count];
  for (let i = 1; i < bounds.length; i++) {
    const start = bounds[i - 1]!;
    const piece = createPacketBatch(bounds[i]! - start, stream.firstPacketNumber + start);
    copyRows(stream, start, bounds[i]! - start, piece);
    flowRows(assembler.push(piece), run);
    run.marks.set(piece.flowIndex.subarray(0, piece.count), start);
    run.directions.set(piece.direction.subarray(0, piece.count), start);
  }
  flowRows(assembler.finish(), run);
  run.flowCount = assembler.flowCount;
  return run;
}

function randomCuts(count: number, random: Random): number[] {
  const cuts = Array.from({ length: below(random, 8) }, () => below(random, count + 1));
  return cuts.sort((a, b) => a - b);
}

function checkRun(stream: PacketBatch, run: Run, label: string): void {
  const counted = new Map<number, { packets: number; forward: number; bytes: number }>();
  for (let row = 0; row < stream.count; row++) {
    const flow = run.marks[row]!;
    const direction = run.directions[row]!;
    const status = stream.decodeStatus[row]!;
    const version = stream.ipVersion[row]!;
    const noFlow =
      status === DecodeStatus.nonIp ||
      status === DecodeStatus.unsupportedLinkType ||
      (version !== 4 && version !== 6);
    if (noFlow !== (flow === -1))
      throw new FuzzFailure(`${label}: packet ${row} (status ${status}, IPv${version}) got flow ${flow}`);
    if (flow < -1 || flow >= run.flowCount || direction > 1)
      throw new FuzzFailure(
        `${label}: packet ${row} got flow ${flow} direction ${direction} of ${run.flowCount} flows`,
      );
    if (flow === -1) continue;
    const entry = counted.get(flow) ?? { packets: 0, forward: 0, bytes: 0 };
    entry.packets++;
    if (direction === 0) entry.forward++;
    entry.bytes += stream.frameLength[row]!;
    counted.set(flow, entry);
  }
  const seen = new Set(run.flowIndices);
  if (seen.size !== run.flowIndices.length || seen.size !== run.flowCount)
    throw new FuzzFailure(
      `${label}: ${run.flowIndices.length} flows emitted (${seen.size} distinct) of ${run.flowCount}`,
    );
  for (const flows of run.emitted) {
    for (let row = 0; row < flows.count; row++) {
      const index = flows.flowIndex[row]!;
      const expected = counted.get(index) ?? { packets: 0, forward: 0, bytes: 0 };
      const got = {
        packets: flows.numbers['bidirectional_packets']![row]!,
        forward: flows.numbers['src2dst_packets']![row]!,
        bytes: flows.numbers['bidirectional_bytes']![row]!,
      };
      if (
        got.packets !== expected.packets ||
        got.forward !== expected.forward ||
        got.bytes !== expected.bytes
      )
        throw new FuzzFailure(
          `${label}: flow ${index} reports ${JSON.stringify(got)}, its packets ${JSON.stringify(expected)}`,
        );
    }
  }
}

/** Runs an assemble case; throws FuzzFailure (or the assembler's own error) on a bug. */
export function runAssemble(fuzz: FuzzCase): void {
  const stream = decodeCapture(fuzz.bytes);
  const random = mulberry32(fuzz.mutationSeed);
  mutatePacketRows(stream, random);
  const whole = assemble(stream, [], fuzz);
  checkRun(stream, whole, 'one batch');
  const split = assemble(stream, randomCuts(stream.count, random), fuzz);
  checkRun(stream, split, 'split batches');
  for (let row = 0; row < stream.count; row++) {
    if (whole.marks[row] !== split.marks[row] || whole.directions[row] !== split.directions[row])
      throw new FuzzFailure(
        `packet ${row}: flow ${whole.marks[row]}/${whole.directions[row]} as one batch, ${split.marks[row]}/${split.directions[row]} split`,
      );
  }
  for (let i = 0; i < Math.max(whole.flows.length, split.flows.length); i++) {
    if (whole.flows[i] !== split.flows[i])
      throw new FuzzFailure(
        `emitted flow #${i} differs between one batch and split batches:\n${whole.flows[i]}\n${split.flows[i]}`,
      );
  }
}
