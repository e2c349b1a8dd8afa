import { encodeStringColumns, encodeStrings } from '../../shared/encoded-strings';
import { ASSEMBLED_NUMBER_COLUMNS, ASSEMBLED_STRING_COLUMNS, type FlowBatch } from '../../shared/flow-schema';

/** Rows per chunk of columns (~0.8 MB of numbers). */
export const CHUNK_ROWS = 1024;
/** Chunks kept for reuse between batches (~13 MB of columns); more are dropped after `take`. */
const RETAINED_CHUNKS = 16;

/** One fixed-size piece of every column; rows are written in place, never moved until `take`. */
interface Chunk {
  numbers: Float64Array[];
  strings: (string | null)[][];
  flowIndex: Float64Array;
}

function newChunk(): Chunk {
  return {
    numbers: ASSEMBLED_NUMBER_COLUMNS.map(() => new Float64Array(CHUNK_ROWS)),
    strings: ASSEMBLED_STRING_COLUMNS.map(() => new Array<string | null>(CHUNK_ROWS).fill(null)),
    flowIndex: new Float64Array(CHUNK_ROWS),
  };
}

/**
 * Accumulates ended flows row by row into FlowBatch columns, addressed by position in
 * ASSEMBLED_NUMBER_COLUMNS / ASSEMBLED_STRING_COLUMNS (the emitter resolves names to positions
 * once, at module load). The emitter writes every column of every row, so nothing is pre-filled.
 *
 * Rows go into fixed-size chunks: a burst of ended flows (a sweep, `finish` on a large table)
 * adds chunks instead of growing and copying every column, and the chunks of a batch are
 * reused by the next one. `beginRow` returns the row's position in the current chunk, whose
 * columns are `numbers` / `strings`.
 */
export class FlowBatchBuilder {
  /** Rows added since the last `take`. */
  size = 0;
  /** The current chunk's number columns, one per ASSEMBLED_NUMBER_COLUMNS entry. */
  numbers: Float64Array[];
  /** The current chunk's string columns, one per ASSEMBLED_STRING_COLUMNS entry. */
  strings: (string | null)[][];
  private readonly full: Chunk[] = [];
  private readonly spare: Chunk[] = [];
  private current: Chunk;
  /** Rows in the current chunk. */
  private used = 0;

  constructor() {
    this.current = newChunk();
    this.numbers = this.current.numbers;
    this.strings = this.current.strings;
  }

  /** Starts a row for flow number `flowIndex` and returns its position in the current chunk. */
  beginRow(flowIndex: number): number {
    if (this.used === CHUNK_ROWS) {
      this.full.push(this.current);
      this.current = this.spare.pop() ?? newChunk();
      this.numbers = this.current.numbers;
      this.strings = this.current.strings;
      this.used = 0;
    }
    this.current.flowIndex[this.used] = flowIndex;
    return this.used;
  }

  endRow(): void {
    this.used++;
    this.size++;
  }

  /**
   * The rows so far as a FlowBatch, or null when there are none; resets. The numeric columns
   * are exact-length views into one new buffer (one allocation, one transfer).
   */
  take(): FlowBatch | null {
    if (this.size === 0) return null;
    const count = this.size;
    const chunks = [...this.full, this.current];
    const rowsOf = (i: number): number => (i === chunks.length - 1 ? this.used : CHUNK_ROWS);
    const block = new Float64Array(count * (ASSEMBLED_NUMBER_COLUMNS.length + 1));
    const copy = (start: number, pick: (chunk: Chunk) => Float64Array): void => {
      let offset = start;
      chunks.forEach((chunk, i) => {
        const rows = rowsOf(i);
        block.set(rows === CHUNK_ROWS ? pick(chunk) : pick(chunk).subarray(0, rows), offset);
        offset += rows;
      });
    };
    copy(0, (chunk) => chunk.flowIndex);
    const batch: FlowBatch = { count, numbers: {}, strings: {}, flowIndex: block.subarray(0, count) };
    ASSEMBLED_NUMBER_COLUMNS.forEach((name, i) => {
      copy((i + 1) * count, (chunk) => chunk.numbers[i]!);
      batch.numbers[name] = block.subarray((i + 1) * count, (i + 2) * count);
    });
    // UTF-8 here, so the main thread receives bytes to write, not strings to clone and encode.
    const strings = chunks.length === 1 ? this.current.strings : joinStrings(chunks, count);
    const encoded = encodeStringColumns(strings, count);
    ASSEMBLED_STRING_COLUMNS.forEach((name, i) => {
      batch.strings[name] = encoded[i]!;
    });
    // Drop string references (the strings are encoded) and recycle the chunks.
    chunks.forEach((chunk, i) => {
      for (const column of chunk.strings) column.fill(null, 0, rowsOf(i));
    });
    for (const chunk of this.full) if (this.spare.length < RETAINED_CHUNKS) this.spare.push(chunk);
    this.full.length = 0;
    this.used = 0;
    this.size = 0;
    return batch;
  }
}

/** Each string column of `chunks` as one array of `count` values (chunks are full but the last). */
function joinStrings(chunks: readonly Chunk[], count: number): (string | null)[][] {
  return ASSEMBLED_STRING_COLUMNS.map((_name, c) => {
    const joined = new Array<string | null>(count);
    let row = 0;
    for (const chunk of chunks) {
      const column = chunk.strings[c]!;
      for (let i = 0; i < CHUNK_ROWS && row < count; i++) joined[row++] = column[i]!;
    }
    return joined;
  });
}

/** A FlowBatch with no rows (every column present, empty). */
export function emptyFlowBatch(): FlowBatch {
  const batch: FlowBatch = { count: 0, numbers: {}, strings: {}, flowIndex: new Float64Array(0) };
  for (const name of ASSEMBLED_NUMBER_COLUMNS) batch.numbers[name] = new Float64Array(0);
  for (const name of ASSEMBLED_STRING_COLUMNS) batch.strings[name] = encodeStrings([]);
  return batch;
}
