/**
 * Reusable buffers for capture blocks. The framer copies each block's records into one; the
 * decode worker transfers it back with its result (DecodeResult.bytes) and it serves a later
 * block. Without this, every 4 MiB block was a fresh allocation that the kernel maps and faults
 * in page by page (and the worker's GC later unmaps).
 */
export class BlockBuffers {
  private readonly free: ArrayBuffer[] = [];

  /**
   * @param minBytes size of a new buffer (a larger request gets exactly its size), so buffers
   *   fit the usual blocks: the target block size plus the overshoot of the last record.
   * @param maxFree buffers kept for reuse; more are left to the garbage collector.
   */
  constructor(
    private readonly minBytes: number,
    private readonly maxFree: number,
  ) {}

  /** A view of exactly `byteLength` bytes over a free buffer (contents undefined), or a new one. */
  take(byteLength: number): Uint8Array {
    for (let i = this.free.length - 1; i >= 0; i--) {
      const buffer = this.free[i]!;
      if (buffer.byteLength >= byteLength) {
        this.free.splice(i, 1);
        return new Uint8Array(buffer, 0, byteLength);
      }
    }
    return new Uint8Array(new ArrayBuffer(Math.max(byteLength, this.minBytes)), 0, byteLength);
  }

  /** Returns a buffer no one uses any more. */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength > 0 && this.free.length < this.maxFree) this.free.push(buffer);
  }

  get freeCount(): number {
    return this.free.length;
  }
}
