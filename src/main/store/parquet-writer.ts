/**
 * Writes Parquet files of REQUIRED (never null) fixed-width columns, PLAIN encoded and
 * uncompressed, straight from typed arrays: a column's values are written as they lie in memory
 * (little-endian, as Parquet's PLAIN encoding wants), so a row group costs a page header per
 * column and no per-value work. DuckDB reads these files with read_parquet; the packet index
 * goes through them into the case instead of a row-by-row appender.
 *
 * Layout (apache/parquet-format README "File Format"): "PAR1", then per row group one data page
 * per column (PageHeader + values), then FileMetaData, its 4-byte little-endian length, "PAR1".
 * Structures are Thrift compact (parquet.thrift field ids are cited where written).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { ThriftCompactWriter, ThriftType } from './thrift-compact';

/** How a column is stored: INT32 (optionally annotated unsigned) or DOUBLE. */
export type ParquetColumnType = 'int32' | 'uint8' | 'uint16' | 'uint32' | 'double';

export interface ParquetColumn {
  name: string;
  type: ParquetColumnType;
}

/** Values of one column of one row group: 4-byte elements for INT32 types, 8-byte for double. */
export type ParquetValues = Int32Array | Uint32Array | Float64Array;

// parquet.thrift enums.
const PhysicalType = { int32: 1, double: 5 } as const;
const ConvertedType = { uint8: 11, uint16: 12, uint32: 13 } as const;
const REQUIRED = 0;
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
  writeRowGroup(count: number, values: readonly ParquetValues[]): void {
    if (this.closed) throw new Error(`Parquet file ${this.path} is closed`);
    if (values.length !== this.columns.length)
      throw new RangeError(`Expected ${this.columns.length} columns, got ${values.length}`);
    if (count === 0) return;
    const chunks: ColumnChunkInfo[] = [];
    this.columns.forEach((column, index) => {
      const width = column.type === 'double' ? 8 : 4;
      const data = values[index]!;
      if (data.BYTES_PER_ELEMENT !== width || data.length < count)
        throw new RangeError(`Column ${column.name}: expected ${count} values of ${width} bytes`);
      const byteLength = count * width;
      // parquet.thrift PageHeader: 1 type, 2 uncompressed_page_size, 3 compressed_page_size,
      // 5 data_page_header { 1 num_values, 2 encoding, 3 definition_level_encoding,
      // 4 repetition_level_encoding }. REQUIRED flat columns carry no levels in the page.
      const header = new ThriftCompactWriter()
        .fieldI32(1, DATA_PAGE)
        .fieldI32(2, byteLength)
        .fieldI32(3, byteLength)
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
      this.write(new Uint8Array(data.buffer, data.byteOffset, byteLength));
      chunks.push({ offset, totalSize: header.length + byteLength });
    });
    this.rowGroups.push({ rows: count, chunks });
    this.rows += count;
  }

  /** Writes the footer and closes the file. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      const footer = this.footer();
      const length = new Uint8Array(4);
      new DataView(length.buffer).setUint32(0, footer.length, true);
      this.write(footer);
      this.write(length);
      this.write(MAGIC);
    } finally {
      closeSync(this.fd);
    }
  }

  /** Closes the file without a valid footer (the caller deletes it). */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private footer(): Uint8Array {
    const writer = new ThriftCompactWriter();
    // FileMetaData: 1 version, 2 schema, 3 num_rows, 4 row_groups, 6 created_by.
    writer.fieldI32(1, 1);
    writer.fieldListBegin(2, ThriftType.struct, this.columns.length + 1);
    // SchemaElement: 1 type, 3 repetition_type, 4 name, 5 num_children, 6 converted_type.
    writer.elementStructBegin().fieldString(4, 'schema').fieldI32(5, this.columns.length).structEnd();
    for (const column of this.columns) {
      writer.elementStructBegin().fieldI32(1, physicalType(column.type)).fieldI32(3, REQUIRED);
      writer.fieldString(4, column.name);
      if (column.type !== 'int32' && column.type !== 'double') writer.fieldI32(6, ConvertedType[column.type]);
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

  private write(bytes: Uint8Array): void {
    let written = 0;
    while (written < bytes.length) {
      written += writeSync(this.fd, bytes, written, bytes.length - written, this.position + written);
    }
    this.position += bytes.length;
  }
}

function physicalType(type: ParquetColumnType): number {
  return type === 'double' ? PhysicalType.double : PhysicalType.int32;
}
