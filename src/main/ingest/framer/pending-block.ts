/**
 * The records of the block being cut, held as views of the pushed chunks until the cut, then
 * copied once into a buffer of their own (the block is transferred to a worker).
 */

/**
 * Copies `segments` back to back into `allocate(totalLength)` (default: a new buffer). This is the
 * one copy of a record's bytes on its way to a worker.
 */
export function copySegmentsIntoNewBuffer(
  segments: readonly Uint8Array[],
  totalLength: number,
  allocate: (byteLength: number) => Uint8Array = (byteLength) => new Uint8Array(byteLength),
): Uint8Array {
  const copy = allocate(totalLength);
  let offset = 0;
  for (const segment of segments) {
    copy.set(segment, offset);
    offset += segment.length;
  }
  return copy;
}

/**
 * Contiguous records of one section in stream order. Consecutive records from the same chunk
 * extend one run, so appending a record allocates nothing; a run becomes a segment (a
 * `subarray` view) only when the next record comes from elsewhere or at the cut.
 */
export class PendingBlock {
  /** Stream offset of the first record. */
  startOffset = 0;
  byteLength = 0;
  packetCount = 0;
  #segments: Uint8Array[] = [];
  #runSource: Uint8Array | undefined;
  #runStart = 0;
  #runEnd = 0;

  /** Adds `source[start, start + length)`, which starts at `streamOffset` in the stream. */
  append(source: Uint8Array, start: number, length: number, isPacket: boolean, streamOffset: number): void {
    if (this.byteLength === 0) this.startOffset = streamOffset;
    if (source === this.#runSource && start === this.#runEnd) {
      this.#runEnd += length;
    } else {
      this.#closeRun();
      this.#runSource = source;
      this.#runStart = start;
      this.#runEnd = start + length;
    }
    this.byteLength += length;
    if (isPacket) this.packetCount++;
  }

  /**
   * The records' bytes in a buffer of their own (from `allocate`, which must return a view of
   * exactly that length that nothing else uses); empties the pending block.
   */
  takeBytes(allocate?: (byteLength: number) => Uint8Array): Uint8Array {
    this.#closeRun();
    const bytes = copySegmentsIntoNewBuffer(this.#segments, this.byteLength, allocate);
    this.clear();
    return bytes;
  }

  clear(): void {
    this.#segments = [];
    this.#runSource = undefined;
    this.byteLength = 0;
    this.packetCount = 0;
  }

  #closeRun(): void {
    if (this.#runSource === undefined) return;
    this.#segments.push(this.#runSource.subarray(this.#runStart, this.#runEnd));
    this.#runSource = undefined;
  }
}
