/**
 * Carry-over for a record that straddles two pushed chunks: only the straddling bytes are
 * copied here. It grows with the bytes actually received (never with a length a record claims),
 * so a hostile length cannot make the framer allocate more than the file holds.
 */
export class CarryBuffer {
  bytes = new Uint8Array(0);
  view = new DataView(this.bytes.buffer);
  length = 0;

  /** Copies `source[start, end)` after the bytes already carried. */
  append(source: Uint8Array, start: number, end: number): void {
    const needed = this.length + (end - start);
    if (needed > this.bytes.length) {
      const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2, 256));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    this.bytes.set(source.subarray(start, end), this.length);
    this.length = needed;
  }

  /**
   * Hands the carried bytes over (they become the completed record's own storage) and starts
   * an empty carry, so the record's bytes are never overwritten.
   */
  detach(): Uint8Array {
    const unit = this.bytes.subarray(0, this.length);
    this.clear();
    return unit;
  }

  clear(): void {
    this.bytes = new Uint8Array(0);
    this.view = new DataView(this.bytes.buffer);
    this.length = 0;
  }
}
