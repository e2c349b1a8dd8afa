/**
 * Bulk copies from typed arrays into DuckDB data-chunk vectors (memcpy through the bindings'
 * `copy_data_to_vector`), so millions of index rows never go through a per-value path.
 */
import duckdb from '@duckdb/node-bindings';
import type { Vector } from '@duckdb/node-bindings';

/** Rows per DuckDB vector (STANDARD_VECTOR_SIZE). */
export const VECTOR_SIZE = 2048;

const TWO_32 = 4294967296;

/** Scratch buffers reused by every copy: one int64 column and one validity mask. */
export class CopyScratch {
  readonly int64 = new Int32Array(VECTOR_SIZE * 2);
  readonly validity = new Uint8Array(VECTOR_SIZE / 8);
  readonly float64 = new Float64Array(VECTOR_SIZE);
  readonly int32 = new Int32Array(VECTOR_SIZE);
}

/** Copies `count` elements of `source` from element `start` into `vector` (same physical width). */
export function copyTyped(
  vector: Vector,
  source: ArrayBufferView & { BYTES_PER_ELEMENT: number },
  start: number,
  count: number,
  width = 1,
): void {
  const bytes = source.BYTES_PER_ELEMENT * width;
  duckdb.copy_data_to_vector(
    vector,
    0,
    source.buffer as ArrayBuffer,
    source.byteOffset + start * bytes,
    count * bytes,
  );
}

/** Writes one int64 (given as an exact double, |value| < 2^53) at `index` of `scratch.int64`. */
export function setInt64(target: Int32Array, index: number, value: number): void {
  const high = Math.floor(value / TWO_32);
  target[index * 2] = (value - high * TWO_32) | 0;
  target[index * 2 + 1] = high | 0;
}

/**
 * Exact nanoseconds since the epoch as int64 from whole seconds and nanoseconds, without BigInt
 * (sec·1e9 exceeds 2^53). Returns false when the value does not fit TIMESTAMP_NS (after 2262).
 */
export function setEpochNanoseconds(
  target: Int32Array,
  index: number,
  seconds: number,
  nanoseconds: number,
): boolean {
  const secondsHigh = Math.floor(seconds / 65536);
  const secondsLow = seconds - secondsHigh * 65536;
  const a = secondsHigh * 1e9; // exact while seconds < 2^39
  const aHigh = Math.floor(a / 65536);
  const aLow = a - aHigh * 65536; // a·2^16 = aHigh·2^32 + aLow·2^16
  const b = secondsLow * 1e9 + nanoseconds; // < 2^46, exact
  const bHigh = Math.floor(b / TWO_32);
  let low = aLow * 65536 + (b - bHigh * TWO_32);
  let carry = 0;
  if (low >= TWO_32) {
    low -= TWO_32;
    carry = 1;
  }
  const high = aHigh + bHigh + carry;
  if (high >= 2147483648 || seconds < 0) return false;
  target[index * 2] = low | 0;
  target[index * 2 + 1] = high;
  return true;
}

/** Marks all rows valid, then clears the bits of invalid rows as the caller reports them. */
export function resetValidity(validity: Uint8Array): void {
  validity.fill(0xff);
}

export function setInvalid(validity: Uint8Array, row: number): void {
  validity[row >> 3]! &= ~(1 << (row & 7));
}

/** Installs the validity mask for the first `count` rows of `vector`. */
export function copyValidity(vector: Vector, validity: Uint8Array, count: number): void {
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(
    vector,
    0,
    validity.buffer as ArrayBuffer,
    validity.byteOffset,
    Math.ceil(count / 64) * 8,
  );
}

/** Assigns VARCHAR values one by one (flows only: far fewer rows than packets); null becomes NULL. */
export function copyStrings(
  vector: Vector,
  values: readonly (string | null)[],
  start: number,
  count: number,
  scratch: CopyScratch,
): void {
  let hasNull = false;
  resetValidity(scratch.validity);
  for (let i = 0; i < count; i++) {
    const value = values[start + i];
    if (value === null || value === undefined) {
      hasNull = true;
      setInvalid(scratch.validity, i);
    } else duckdb.vector_assign_string_element(vector, i, value);
  }
  if (hasNull) copyValidity(vector, scratch.validity, count);
}
