import { encodeStringColumns, encodeStrings } from '../../shared/encoded-strings';
import { ASSEMBLED_NUMBER_COLUMNS, ASSEMBLED_STRING_COLUMNS, type FlowBatch } from '../../shared/flow-schema';

/** Row capacity kept between batches (~13 MB of columns); larger buffers are dropped after `take`. */
const RETAINED_ROWS = 16384;

/**
 * Accumulates ended flows row by row into FlowBatch columns, addressed by position in
 * ASSEMBLED_NUMBER_COLUMNS / ASSEMBLED_STRING_COLUMNS (the emitter resolves names to positions
 * once, at module load). The emitter writes every column of every row, so nothing is pre-filled.
 */
export class FlowBatchBuilder {
  /** Rows added since the last `take`. */
  size = 0;
  /** One column per ASSEMBLED_NUMBER_COLUMNS entry; valid up to `size` (+ the row being written). */
  numbers: Float64Array[] = ASSEMBLED_NUMBER_COLUMNS.map(() => new Float64Array(0));
  /** One column per ASSEMBLED_STRING_COLUMNS entry. */
  strings: (string | null)[][] = ASSEMBLED_STRING_COLUMNS.map(() => []);
  private flowIndex = new Float64Array(0);
  private capacity = 0;

  /** Starts a row for flow number `flowIndex` and returns its position; call `endRow` after filling it. */
  beginRow(flowIndex: number): number {
    if (this.size === this.capacity) this.grow();
    this.flowIndex[this.size] = flowIndex;
    return this.size;
  }

  endRow(): void {
    this.size++;
  }

  /**
   * The rows so far as a FlowBatch, or null when there are none; resets. The numeric columns
   * are exact-length views into one new buffer (one allocation, one transfer), the builder keeps
   * its own buffers.
   */
  take(): FlowBatch | null {
    if (this.size === 0) return null;
    const count = this.size;
    const block = new Float64Array(count * (ASSEMBLED_NUMBER_COLUMNS.length + 1));
    block.set(this.flowIndex.subarray(0, count));
    const batch: FlowBatch = { count, numbers: {}, strings: {}, flowIndex: block.subarray(0, count) };
    ASSEMBLED_NUMBER_COLUMNS.forEach((name, i) => {
      const column = block.subarray((i + 1) * count, (i + 2) * count);
      column.set(this.numbers[i]!.subarray(0, count));
      batch.numbers[name] = column;
    });
    // UTF-8 here, so the main thread receives bytes to write, not strings to clone and encode.
    const encoded = encodeStringColumns(this.strings, count);
    ASSEMBLED_STRING_COLUMNS.forEach((name, i) => {
      batch.strings[name] = encoded[i]!;
      this.strings[i]!.fill(null, 0, count);
    });
    this.size = 0;
    if (this.capacity > RETAINED_ROWS) {
      // A burst (a sweep ending many flows, finish() on a huge table): do not keep its buffers
      // alive, but keep the usual capacity so the next batches do not grow from scratch.
      this.numbers = ASSEMBLED_NUMBER_COLUMNS.map(() => new Float64Array(RETAINED_ROWS));
      this.strings = ASSEMBLED_STRING_COLUMNS.map(() => new Array<string | null>(RETAINED_ROWS).fill(null));
      this.flowIndex = new Float64Array(RETAINED_ROWS);
      this.capacity = RETAINED_ROWS;
    }
    return batch;
  }

  private grow(): void {
    const capacity = Math.max(1024, this.capacity * 2);
    this.numbers = this.numbers.map((column) => {
      const next = new Float64Array(capacity);
      next.set(column);
      return next;
    });
    for (const column of this.strings) {
      for (let i = column.length; i < capacity; i++) column.push(null);
    }
    const flowIndex = new Float64Array(capacity);
    flowIndex.set(this.flowIndex);
    this.flowIndex = flowIndex;
    this.capacity = capacity;
  }
}

/** A FlowBatch with no rows (every column present, empty). */
export function emptyFlowBatch(): FlowBatch {
  const batch: FlowBatch = { count: 0, numbers: {}, strings: {}, flowIndex: new Float64Array(0) };
  for (const name of ASSEMBLED_NUMBER_COLUMNS) batch.numbers[name] = new Float64Array(0);
  for (const name of ASSEMBLED_STRING_COLUMNS) batch.strings[name] = encodeStrings([]);
  return batch;
}
