/**
 * Writes Parquet files, PLAIN encoded and uncompressed: REQUIRED (never null) fixed-width
 * columns straight from typed arrays — a column's values are written as they lie in memory
 * (little-endian, as Parquet's PLAIN encoding wants), so a row group costs a page header per
 * column and no per-value work — and OPTIONAL UTF-8 string columns from arrays of strings and
 * nulls. DuckDB reads these files with read_parquet; the packet index and the flows go through
 * them into the case instead of a row-by-row appender.
 *
 * Layout (apache/parquet-format README "File Format"): "PAR1", then per row group one data page
 * per column (PageHeader + values), then FileMetaData, its 4-byte little-endian length, "PAR1".
 * Structures are Thrift compact (parquet.thrift field ids are cited where written).
 *
 * Writes are asynchronous (positioned writes queued on the thread pool), so the JavaScript
 * thread never waits for the disk: the writer keeps the arrays it was given until `flushed()`
 * or `close()` resolves, and callers must not modify them before that.
 */
const writeAt = promisify(write);
const closeFd = promisify(close);
import { close, openSync, write } from 'node:fs';
import { promisify } from 'node:util';
import { isEncodedStrings } from '../../shared/encoded-strings';
import type { EncodedStrings } from '../../shared/encoded-strings';
import { ThriftCompactWriter, ThriftType } from './thrift-compact';

/** How a column is stored: INT32 (optionally annotated unsigned), DOUBLE, or nullable UTF-8 text. */
export type ParquetColumnType = 'int32' | 'uint8' | 'uint16' | 'uint32' | 'double' | 'string';

export interface ParquetColumn {
  name: string;
  type: ParquetColumnType;
}

/** Values of one column of one row group: 4-byte elements for INT32 types, 8-byte for double. */
export type ParquetValues = Int32Array | Uint32Array | Float64Array;
/** Values of a string column: JS strings (null = NULL) or UTF-8 already (EncodedStrings). */
export type ParquetStrings = readonly (string | null | undefined)[] | EncodedStrings;

// parquet.thrift enums.
const PhysicalType = { int32: 1, double: 5, byteArray: 6 } as const;
const ConvertedType = { utf8: 0, uint8: 11, uint16: 12, uint32: 13 } as const;
const REQUIRED = 0;
const OPTIONAL = 1;
const PLAIN = 0;
const RLE = 3;
const UNCOMPRESSED = 0;
const DATA_PAGE = 0;
const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"

interface ColumnChunkInfo {
  offset: number;
  totalSize: number;
}

interface RowGroupInfo {
  rows: number;
  chunks: ColumnChunkInfo[];
}

export class ParquetFileWriter {
  private readonly fd: number;
  private position = 0;
  private readonly rowGroups: RowGroupInfo[] = [];
  private rows = 0;
  private closed = false;
  private readonly strings = new StringPageEncoder();
  /** Queued writes; the first failure is kept and rethrown by flushed()/close(). */
  private pending: Promise<void> = Promise.resolve();
  private failure: unknown;
  private queued = 0;

  /** Creates (truncates) `path` and writes the leading magic. */
  constructor(
    readonly path: string,
    private readonly columns: readonly ParquetColumn[],
  ) {
    if (columns.length === 0) throw new RangeError('A Parquet file needs at least one column');
    this.fd = openSync(path, 'w');
    this.write(MAGIC);
  }

  get rowCount(): number {
    return this.rows;
  }

  /**
   * Appends a row group of `count` rows; `values[i]` holds at least `count` values of column i,
   * in the element width of its type (8 bytes for double, 4 otherwise; narrower source data
   * is widened by the caller).
   */
  writeRowGroup(count: number, values: readonly (ParquetValues | ParquetStrings)[]): void {
    if (this.closed) throw new Error(`Parquet file ${this.path} is closed`);
    if (values.length !== this.columns.length)
      throw new RangeError(`Expected ${this.columns.length} columns, got ${values.length}`);
    if (count === 0) return;
    const chunks: ColumnChunkInfo[] = [];
    this.columns.forEach((column, index) => {
      const data = values[index]!;
      let body: Uint8Array;
      if (column.type === 'string') {
        const strings = data as ParquetStrings;
        const rows = isEncodedStrings(strings) ? strings.count : Array.isArray(strings) ? strings.length : -1;
        if (rows < count) throw new RangeError(`Column ${column.name}: expected ${count} strings`);
        body = this.strings.encode(strings, count).slice(); // the encoder reuses its buffer
      } else {
        const width = column.type === 'double' ? 8 : 4;
        const typed = data as ParquetValues;
        if (
          Array.isArray(data) ||
          isEncodedStrings(data) ||
          typed.BYTES_PER_ELEMENT !== width ||
          typed.length < count
        )
          throw new RangeError(`Column ${column.name}: expected ${count} values of ${width} bytes`);
        body = new Uint8Array(typed.buffer, typed.byteOffset, count * width);
      }
      // parquet.thrift PageHeader: 1 type, 2 uncompressed_page_size, 3 compressed_page_size,
      // 5 data_page_header { 1 num_values, 2 encoding, 3 definition_level_encoding,
      // 4 repetition_level_encoding }. Flat columns carry no repetition levels; REQUIRED ones
      // no definition levels either.
      const header = new ThriftCompactWriter()
        .fieldI32(1, DATA_PAGE)
        .fieldI32(2, body.length)
        .fieldI32(3, body.length)
        .fieldStructBegin(5)
        .fieldI32(1, count)
        .fieldI32(2, PLAIN)
        .fieldI32(3, RLE)
        .fieldI32(4, RLE)
        .structEnd()
        .structEnd()
        .result();
      const offset = this.position;
      this.write(header);
      this.write(body);
      chunks.push({ offset, totalSize: header.length + body.length });
    });
    this.rowGroups.push({ rows: count, chunks });
    this.rows += count;
  }

  /** Bytes handed to the disk and not yet written. */
  get queuedBytes(): number {
    return this.queued;
  }

  /** Resolves when every write queued so far is done (rejects with the first write error). */
  async flushed(): Promise<void> {
    await this.pending;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Writes the footer, waits for every write and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const footer = this.footer();
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, footer.length, true);
    this.write(footer);
    this.write(length);
    this.write(MAGIC);
    await this.pending;
    await closeFd(this.fd);
    if (this.failure !== undefined) throw this.failure;
  }

  /** Closes the file without a valid footer, once queued writes settle (the caller deletes it). */
  async abandon(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pending;
    await closeFd(this.fd);
  }

  private footer(): Uint8Array {
    const writer = new ThriftCompactWriter();
    // FileMetaData: 1 version, 2 schema, 3 num_rows, 4 row_groups, 6 created_by.
    writer.fieldI32(1, 1);
    writer.fieldListBegin(2, ThriftType.struct, this.columns.length + 1);
    // SchemaElement: 1 type, 3 repetition_type, 4 name, 5 num_children, 6 converted_type.
    writer.elementStructBegin().fieldString(4, 'schema').fieldI32(5, this.columns.length).structEnd();
    for (const column of this.columns) {
      writer.elementStructBegin().fieldI32(1, physicalType(column.type));
      writer.fieldI32(3, column.type === 'string' ? OPTIONAL : REQUIRED).fieldString(4, column.name);
      if (column.type === 'string') writer.fieldI32(6, ConvertedType.utf8);
      else if (column.type !== 'int32' && column.type !== 'double')
        writer.fieldI32(6, ConvertedType[column.type]);
      writer.structEnd();
    }
    writer.fieldI64(3, this.rows);
    writer.fieldListBegin(4, ThriftType.struct, this.rowGroups.length);
    for (const group of this.rowGroups) {
      // RowGroup: 1 columns, 2 total_byte_size, 3 num_rows.
      writer.elementStructBegin().fieldListBegin(1, ThriftType.struct, group.chunks.length);
      let total = 0;
      group.chunks.forEach((chunk, index) => {
        const column = this.columns[index]!;
        total += chunk.totalSize;
        // ColumnChunk: 2 file_offset, 3 meta_data. ColumnMetaData: 1 type, 2 encodings,
        // 3 path_in_schema, 4 codec, 5 num_values, 6 total_uncompressed_size,
        // 7 total_compressed_size, 9 data_page_offset.
        writer.elementStructBegin().fieldI64(2, chunk.offset).fieldStructBegin(3);
        writer.fieldI32(1, physicalType(column.type));
        writer.fieldListBegin(2, ThriftType.i32, 2).elementI32(PLAIN).elementI32(RLE);
        writer.fieldListBegin(3, ThriftType.binary, 1).elementString(column.name);
        writer.fieldI32(4, UNCOMPRESSED).fieldI64(5, group.rows);
        writer.fieldI64(6, chunk.totalSize).fieldI64(7, chunk.totalSize).fieldI64(9, chunk.offset);
        writer.structEnd().structEnd();
      });
      writer.fieldI64(2, total).fieldI64(3, group.rows).structEnd();
    }
    writer.fieldString(6, 'flowlab');
    writer.structEnd();
    return writer.result();
  }

  /** Queues `bytes` at the current end of the file (kept by reference until written). */
  private write(bytes: Uint8Array): void {
    const position = this.position;
    this.position += bytes.length;
    this.queued += bytes.length;
    this.pending = this.pending.then(async () => {
      try {
        if (this.failure !== undefined) return;
        for (let written = 0; written < bytes.length;) {
          const { bytesWritten } = await writeAt(
            this.fd,
            bytes,
            written,
            bytes.length - written,
            position + written,
          );
          written += bytesWritten;
        }
      } catch (error) {
        this.failure ??= error;
      } finally {
        this.queued -= bytes.length;
      }
    });
  }
}

function physicalType(type: ParquetColumnType): number {
  if (type === 'string') return PhysicalType.byteArray;
  return type === 'double' ? PhysicalType.double : PhysicalType.int32;
}

/**
 * The body of a data page of an OPTIONAL BYTE_ARRAY column: definition levels (1 = present) as
 * one bit-packed run of the RLE/bit-packing hybrid, 4-byte length first (parquet-format
 * Encodings.md "Run Length Encoding / Bit-Packing Hybrid"), then PLAIN values: each present
 * string as a 4-byte little-endian length and its UTF-8 bytes. The buffer is reused.
 */
class StringPageEncoder {
  private buffer = new Uint8Array(1 << 16);
  private view = new DataView(this.buffer.buffer);
  private readonly encoder = new TextEncoder();

  encode(values: ParquetStrings, count: number): Uint8Array {
    const groups = Math.ceil(count / 8);
    let header = groups * 2 + 1; // bit-packed run header: (groups << 1) | 1, as a varint
    let headerBytes = 1;
    for (let rest = header; rest >= 128; rest = Math.floor(rest / 128)) headerBytes++;
    let position = 4 + headerBytes + groups;
    this.reserve(position);
    const bytes = this.buffer;
    bytes.fill(0, 0, position);
    this.view.setUint32(0, headerBytes + groups, true);
    for (let i = 4; header >= 128; header = Math.floor(header / 128)) bytes[i++] = (header % 128) | 128;
    bytes[3 + headerBytes] = header;
    const levels = 4 + headerBytes;
    if (isEncodedStrings(values)) return this.encodeUtf8(values, count, levels, position);
    for (let i = 0; i < count; i++) {
      const value = values[i];
      if (value === null || value === undefined) continue;
      this.buffer[levels + (i >>> 3)]! |= 1 << (i & 7);
      this.reserve(position + 4 + value.length * 3);
      const { written } = this.encoder.encodeInto(value, this.buffer.subarray(position + 4));
      this.view.setUint32(position, written, true);
      position += 4 + written;
    }
    return this.buffer.subarray(0, position);
  }

  /** The values part for UTF-8 input: lengths and byte copies, no string is created. */
  private encodeUtf8(values: EncodedStrings, count: number, levels: number, start: number): Uint8Array {
    const used = count === 0 ? 0 : values.ends[count - 1]!;
    this.reserve(start + used + 4 * count);
    const out = this.buffer;
    const { bytes, ends, present } = values;
    let position = start;
    let from = 0;
    for (let i = 0; i < count; i++) {
      const to = ends[i]!;
      if (present[i] === 1) {
        out[levels + (i >>> 3)]! |= 1 << (i & 7);
        const length = to - from;
        out[position] = length & 0xff;
        out[position + 1] = (length >>> 8) & 0xff;
        out[position + 2] = (length >>> 16) & 0xff;
        out[position + 3] = length >>> 24;
        position += 4;
        if (length > 64) out.set(bytes.subarray(from, to), position);
        else for (let k = from; k < to; k++) out[position + k - from] = bytes[k]!;
        position += length;
      }
      from = to;
    }
    return out.subarray(0, position);
  }

  private reserve(size: number): void {
    if (size <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(size, this.buffer.length * 2));
    next.set(this.buffer);
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }
}
