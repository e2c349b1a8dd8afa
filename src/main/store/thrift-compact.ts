/**
 * A minimal Thrift compact-protocol encoder, enough for Parquet's PageHeader and FileMetaData
 * (apache/thrift doc/specs/thrift-compact-protocol.md): field headers with id deltas, zigzag
 * varints for i32/i64, length-prefixed binaries, lists and nested structs.
 */

/** Compact-protocol type ids (thrift-compact-protocol.md "Struct encoding"). */
export const ThriftType = {
  boolTrue: 1,
  boolFalse: 2,
  byte: 3,
  i16: 4,
  i32: 5,
  i64: 6,
  double: 7,
  binary: 8,
  list: 9,
  set: 10,
  map: 11,
  struct: 12,
} as const;

const TEXT = new TextEncoder();

export class ThriftCompactWriter {
  private bytes = new Uint8Array(1024);
  private length = 0;
  /** Last field id of each open struct, innermost last. */
  private readonly lastFieldIds: number[] = [0];

  /** The encoded bytes so far (a view; copy before reusing the writer). */
  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  fieldI32(id: number, value: number): this {
    this.fieldHeader(id, ThriftType.i32);
    this.varint(zigzag(value));
    return this;
  }

  /** i64 as a JS number: exact up to 2^53, which bounds every size and offset we write. */
  fieldI64(id: number, value: number): this {
    this.fieldHeader(id, ThriftType.i64);
    this.varint(zigzag(value));
    return this;
  }

  fieldString(id: number, value: string): this {
    this.fieldHeader(id, ThriftType.binary);
    this.binary(value);
    return this;
  }

  /** Opens a nested struct field; close it with structEnd(). */
  fieldStructBegin(id: number): this {
    this.fieldHeader(id, ThriftType.struct);
    this.lastFieldIds.push(0);
    return this;
  }

  /** Opens a list field of `size` elements of `elementType`; write the elements next. */
  fieldListBegin(id: number, elementType: number, size: number): this {
    this.fieldHeader(id, ThriftType.list);
    if (size < 15) this.byte((size << 4) | elementType);
    else {
      this.byte(0xf0 | elementType);
      this.varint(size);
    }
    return this;
  }

  /** A list element that is a struct: opens it; close with structEnd(). */
  elementStructBegin(): this {
    this.lastFieldIds.push(0);
    return this;
  }

  elementI32(value: number): this {
    this.varint(zigzag(value));
    return this;
  }

  elementString(value: string): this {
    this.binary(value);
    return this;
  }

  /** Writes the stop byte of the innermost struct (also the top-level one). */
  structEnd(): this {
    this.byte(0);
    this.lastFieldIds.pop();
    if (this.lastFieldIds.length === 0) this.lastFieldIds.push(0);
    return this;
  }

  private fieldHeader(id: number, type: number): void {
    const last = this.lastFieldIds[this.lastFieldIds.length - 1]!;
    const delta = id - last;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.varint(zigzag(id));
    }
    this.lastFieldIds[this.lastFieldIds.length - 1] = id;
  }

  private binary(value: string): void {
    const encoded = TEXT.encode(value);
    this.varint(encoded.length);
    this.reserve(encoded.length);
    this.bytes.set(encoded, this.length);
    this.length += encoded.length;
  }

  /** Unsigned LEB128 of a non-negative integer up to 2^53. */
  private varint(value: number): void {
    while (value >= 128) {
      this.byte((value % 128) | 128);
      value = Math.floor(value / 128);
    }
    this.byte(value);
  }

  private byte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }
}

/** Zigzag encoding (n << 1) ^ (n >> 63) in double arithmetic, exact for |n| < 2^52. */
function zigzag(value: number): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`Expected a safe integer, got ${value}`);
  return value >= 0 ? value * 2 : -value * 2 - 1;
}
