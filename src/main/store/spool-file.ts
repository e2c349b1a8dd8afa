/**
 * A Parquet file that rows are appended to in batches of any size: values are copied (and
 * widened from 8/16-bit arrays) into column buffers and written as a row group whenever
 * `rowGroupRows` rows have gathered, so many small batches (tiny read blocks) still make few,
 * large row groups. Used to hand the packet index and flows to DuckDB (see CaptureWriter).
 */
import { EncodedStringsBuilder, isEncodedStrings } from '../../shared/encoded-strings';
import type { EncodedStrings } from '../../shared/encoded-strings';
import { ParquetFileWriter } from './parquet-writer';
import type { ParquetColumn, ParquetStrings, ParquetValues } from './parquet-writer';

/**
 * A source column: any typed array of numbers, or for string columns JS strings (null = NULL)
 * or UTF-8 columns (EncodedStrings, as the flow assembler sends them).
 */
export type SpoolValues =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Int32Array
  | Float64Array
  | readonly (string | null | undefined)[]
  | EncodedStrings;

type SpoolNumbers = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

/** Handed-over batches of at least this many rows are written without a copy. */
const DIRECT_ROWS = 4096;

/** DuckDB's row group size: larger groups buy nothing, smaller ones cost metadata. */
export const DEFAULT_ROW_GROUP_ROWS = 122_880;

export class SpoolFile {
  private readonly file: ParquetFileWriter;
  private buffers: (ParquetValues | EncodedStringsBuilder)[];
  private size = 0;

  constructor(
    readonly path: string,
    private readonly columns: readonly ParquetColumn[],
    private readonly rowGroupRows = DEFAULT_ROW_GROUP_ROWS,
  ) {
    this.file = new ParquetFileWriter(path, columns);
    this.buffers = columns.map((column) =>
      column.type === 'string' ? new EncodedStringsBuilder() : this.numbers(column, 0),
    );
  }

  private numbers(column: ParquetColumn, rows: number): Float64Array | Int32Array {
    return column.type === 'double' ? new Float64Array(rows) : new Int32Array(rows);
  }

  /** Grows the numeric buffers (doubling) to hold `rows` rows: a file of few rows stays small. */
  private reserve(rows: number): void {
    const capacity = (
      this.buffers.find((buffer) => !(buffer instanceof EncodedStringsBuilder)) as ParquetValues | undefined
    )?.length;
    if (capacity === undefined || capacity >= rows) return;
    const next = Math.min(this.rowGroupRows, Math.max(rows, capacity * 2, 1024));
    this.buffers = this.buffers.map((buffer, index) => {
      if (buffer instanceof EncodedStringsBuilder) return buffer;
      const grown = this.numbers(this.columns[index]!, next);
      grown.set(buffer.subarray(0, this.size));
      return grown;
    });
  }

  /** Rows appended so far. */
  get rowCount(): number {
    return this.file.rowCount + this.size;
  }

  /**
   * Appends rows [start, start + count) of `values` (one entry per column, in column order).
   * Numeric values must fit the column's type. They are copied and the caller keeps its arrays,
   * unless `handOver` is set and the rows are many: then they become a row group of their own
   * without a copy (arrays of the column's width are written as they are), and the caller must
   * not modify them afterwards.
   */
  append(values: readonly SpoolValues[], start: number, count: number, handOver = false): void {
    if (values.length !== this.columns.length)
      throw new RangeError(`Expected ${this.columns.length} columns, got ${values.length}`);
    if (handOver && count >= DIRECT_ROWS) {
      this.writeRowGroup();
      this.file.writeRowGroup(
        count,
        this.columns.map((column, index) => this.direct(column, values[index]!, start, count)),
      );
      return;
    }
    while (count > 0) {
      const take = Math.min(count, this.rowGroupRows - this.size);
      this.reserve(this.size + take);
      this.columns.forEach((_column, index) => {
        const source = values[index]!;
        const target = this.buffers[index]!;
        if (target instanceof EncodedStringsBuilder) {
          if (isEncodedStrings(source)) target.appendEncoded(source, start, take);
          else target.appendStrings(source as readonly (string | null | undefined)[], start, take);
        } else {
          const numbers = source as SpoolNumbers;
          if (numbers.BYTES_PER_ELEMENT === target.BYTES_PER_ELEMENT) {
            // Same width: a memcpy (Uint32 into Int32 keeps the bits, as INT32 UINT_32 wants).
            new Uint8Array(
              target.buffer,
              this.size * target.BYTES_PER_ELEMENT,
              take * target.BYTES_PER_ELEMENT,
            ).set(
              new Uint8Array(
                numbers.buffer,
                numbers.byteOffset + start * numbers.BYTES_PER_ELEMENT,
                take * numbers.BYTES_PER_ELEMENT,
              ),
            );
          } else {
            for (let i = 0; i < take; i++) target[this.size + i] = numbers[start + i]!;
          }
        }
      });
      this.size += take;
      start += take;
      count -= take;
      if (this.size === this.rowGroupRows) this.writeRowGroup();
    }
  }

  /** A column of a handed-over batch as the writer wants it: a view when the width fits, else widened. */
  private direct(
    column: ParquetColumn,
    source: SpoolValues,
    start: number,
    count: number,
  ): ParquetValues | ParquetStrings {
    if (Array.isArray(source)) return start === 0 ? source : source.slice(start, start + count);
    if (isEncodedStrings(source)) {
      if (start === 0) return source;
      const slice = new EncodedStringsBuilder();
      slice.appendEncoded(source, start, count);
      return slice.take();
    }
    const numbers = source as SpoolNumbers;
    const width = column.type === 'double' ? 8 : 4;
    if (numbers.BYTES_PER_ELEMENT === width) return numbers.subarray(start, start + count) as ParquetValues;
    const widened = this.numbers(column, count);
    for (let i = 0; i < count; i++) widened[i] = numbers[start + i]!;
    return widened;
  }

  /** Bytes of full row groups handed to the disk and not yet written. */
  get queuedBytes(): number {
    return this.file.queuedBytes;
  }

  /** Resolves when the row groups written so far are on disk (rejects with a write error). */
  flushed(): Promise<void> {
    return this.file.flushed();
  }

  /** Writes the remaining rows and the footer; resolves when the file is complete and closed. */
  async close(): Promise<void> {
    this.writeRowGroup();
    await this.file.close();
  }

  /** Closes the file without a footer (the caller deletes it). */
  abandon(): Promise<void> {
    return this.file.abandon();
  }

  /**
   * Hands the gathered rows to the file writer, which keeps the buffers until they are written:
   * the next row group gets new ones (full size at once, since the file has proved large).
   */
  private writeRowGroup(): void {
    if (this.size === 0) return;
    this.file.writeRowGroup(
      this.size,
      this.buffers.map((buffer) => (buffer instanceof EncodedStringsBuilder ? buffer.take() : buffer)),
    );
    const full = this.size === this.rowGroupRows;
    this.buffers = this.columns.map((column, index) => {
      const buffer = this.buffers[index]!;
      return buffer instanceof EncodedStringsBuilder
        ? buffer
        : this.numbers(column, full ? this.rowGroupRows : 0);
    });
    this.size = 0;
  }
}
