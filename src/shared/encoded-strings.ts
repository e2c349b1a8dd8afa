/**
 * String columns as UTF-8 bytes in typed arrays: what the flow assembler sends to the main
 * thread instead of arrays of JS strings. Transferred (not cloned) between threads, written to
 * Parquet by copying bytes: the main thread never creates, clones or encodes those strings.
 */

/** Value i is `bytes[i === 0 ? 0 : ends[i - 1], ends[i])` when `present[i]` is 1, else NULL. */
export interface EncodedStrings {
  count: number;
  bytes: Uint8Array;
  ends: Uint32Array;
  present: Uint8Array;
}

export function isEncodedStrings(value: unknown): value is EncodedStrings {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'ends' in value;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
let scratch = new Uint8Array(1 << 16);

/** Strings up to this length are tried as ASCII first: a byte loop beats encodeInto's call and view. */
const ASCII_TRY_LENGTH = 64;

/**
 * Writes `value` as UTF-8 into `target` at `position` (room for value.length * 3 bytes must
 * exist) and returns the position after it. Short ASCII strings (addresses, names, states: most
 * flow strings) are copied byte by byte without creating a view.
 */
export function writeUtf8(value: string, target: Uint8Array, position: number): number {
  const length = value.length;
  if (length <= ASCII_TRY_LENGTH) {
    let i = 0;
    for (; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) break;
      target[position + i] = code;
    }
    if (i === length) return position + length;
  }
  return position + encoder.encodeInto(value, target.subarray(position)).written;
}

function reserveScratch(size: number, used: number): void {
  if (size <= scratch.length) return;
  const next = new Uint8Array(Math.max(size, scratch.length * 2));
  next.set(scratch.subarray(0, used));
  scratch = next;
}

/**
 * Encodes rows [0, count) of each column. All columns share one bytes buffer and one buffer for
 * ends and present flags (three transfers in all); a scratch buffer is reused between calls.
 */
export function encodeStringColumns(
  columns: readonly (readonly (string | null | undefined)[])[],
  count: number,
): EncodedStrings[] {
  const ends = new Uint32Array(count * columns.length);
  const present = new Uint8Array(count * columns.length);
  const columnEnds: number[] = [];
  let position = 0;
  for (let c = 0; c < columns.length; c++) {
    const values = columns[c]!;
    const base = c * count;
    const columnStart = position;
    for (let i = 0; i < count; i++) {
      const value = values[i];
      if (value !== null && value !== undefined) {
        present[base + i] = 1;
        reserveScratch(position + value.length * 3, position);
        position = writeUtf8(value, scratch, position);
      }
      ends[base + i] = position - columnStart;
    }
    columnEnds.push(position);
  }
  const bytes = scratch.slice(0, position);
  return columns.map((_values, c) => ({
    count,
    bytes: bytes.subarray(c === 0 ? 0 : columnEnds[c - 1]!, columnEnds[c]!),
    ends: ends.subarray(c * count, (c + 1) * count),
    present: present.subarray(c * count, (c + 1) * count),
  }));
}

export function encodeStrings(
  values: readonly (string | null | undefined)[],
  count = values.length,
): EncodedStrings {
  return encodeStringColumns([values], count)[0]!;
}

/** Value `index` as a JS string (null = NULL). */
export function decodeString(column: EncodedStrings, index: number): string | null {
  if (column.present[index] !== 1) return null;
  const start = index === 0 ? 0 : column.ends[index - 1]!;
  return decoder.decode(column.bytes.subarray(start, column.ends[index]!));
}

export function decodeStrings(column: EncodedStrings): (string | null)[] {
  return Array.from({ length: column.count }, (_unused, index) => decodeString(column, index));
}

/** The buffers to transfer for these columns, each once. */
export function encodedStringBuffers(columns: Iterable<EncodedStrings>): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const column of columns) {
    buffers.add(column.bytes.buffer as ArrayBuffer);
    buffers.add(column.ends.buffer as ArrayBuffer);
    buffers.add(column.present.buffer as ArrayBuffer);
  }
  return [...buffers];
}

/**
 * Gathers string values (JS strings or slices of encoded columns) into one growing encoded
 * column; `take` returns what was gathered and starts over.
 */
export class EncodedStringsBuilder {
  private bytes = new Uint8Array(1024);
  private ends = new Uint32Array(256);
  private present = new Uint8Array(256);
  count = 0;

  appendStrings(values: readonly (string | null | undefined)[], start: number, count: number): void {
    this.reserveRows(count);
    for (let i = 0; i < count; i++) {
      const value = values[start + i];
      let end = this.end();
      if (value !== null && value !== undefined) {
        this.reserveBytes(end + value.length * 3);
        end = writeUtf8(value, this.bytes, end);
        this.present[this.count] = 1;
      }
      this.ends[this.count++] = end;
    }
  }

  appendEncoded(source: EncodedStrings, start: number, count: number): void {
    if (count === 0) return;
    this.reserveRows(count);
    const from = start === 0 ? 0 : source.ends[start - 1]!;
    const to = source.ends[start + count - 1]!;
    const base = this.end();
    this.reserveBytes(base + to - from);
    this.bytes.set(source.bytes.subarray(from, to), base);
    this.present.set(source.present.subarray(start, start + count), this.count);
    const shift = base - from;
    for (let i = 0; i < count; i++) this.ends[this.count + i] = source.ends[start + i]! + shift;
    this.count += count;
  }

  take(): EncodedStrings {
    const taken: EncodedStrings = {
      count: this.count,
      bytes: this.bytes.slice(0, this.end()),
      ends: this.ends.slice(0, this.count),
      present: this.present.slice(0, this.count),
    };
    this.present.fill(0, 0, this.count);
    this.count = 0;
    return taken;
  }

  private end(): number {
    return this.count === 0 ? 0 : this.ends[this.count - 1]!;
  }

  private reserveRows(extra: number): void {
    const size = this.count + extra;
    if (size <= this.ends.length) return;
    const capacity = Math.max(size, this.ends.length * 2);
    const ends = new Uint32Array(capacity);
    ends.set(this.ends.subarray(0, this.count));
    const present = new Uint8Array(capacity);
    present.set(this.present.subarray(0, this.count));
    this.ends = ends;
    this.present = present;
  }

  private reserveBytes(size: number): void {
    if (size <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(size, this.bytes.length * 2));
    next.set(this.bytes.subarray(0, this.end()));
    this.bytes = next;
  }
}
