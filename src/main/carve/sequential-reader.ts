/**
 * Reads a byte stream front to back with a position: `read(n)` returns the next n bytes (a
 * copy only when they straddle chunks), `skip(n)` drops bytes without keeping them. Memory is
 * one source chunk plus the bytes of one straddling record.
 */
import { ErrorCode, FlowlabError } from '../../shared/errors';

export class SequentialReader {
  private chunk: Uint8Array = new Uint8Array(0);
  private chunkPos = 0;
  private done = false;
  /** Position in the stream of the next byte `read` returns. */
  position = 0;

  constructor(
    private readonly source: AsyncIterator<Uint8Array>,
    private readonly signal?: AbortSignal,
  ) {}

  /** The next `length` bytes, or fewer at the end of the stream. */
  async read(length: number): Promise<Uint8Array> {
    if (this.chunk.length - this.chunkPos >= length) {
      const view = this.chunk.subarray(this.chunkPos, this.chunkPos + length);
      this.chunkPos += length;
      this.position += length;
      return view;
    }
    return this.readStraddlingCopy(length);
  }

  /** The next `length` bytes (fewer at the end) without consuming them. */
  async peek(length: number): Promise<Uint8Array> {
    while (this.chunk.length - this.chunkPos < length) {
      const rest = this.chunk.subarray(this.chunkPos);
      if (!(await this.nextChunk())) {
        this.chunk = rest;
        this.chunkPos = 0;
        break;
      }
      const joined = new Uint8Array(rest.length + this.chunk.length);
      joined.set(rest);
      joined.set(this.chunk, rest.length);
      this.chunk = joined;
      this.chunkPos = 0;
    }
    return this.chunk.subarray(this.chunkPos, this.chunkPos + length);
  }

  /** Stops the source (e.g. closes the file) when the rest of the stream is not needed. */
  async close(): Promise<void> {
    this.done = true;
    await this.source.return?.();
  }

  /** Exactly `length` bytes; a short read is a TRUNCATED error naming `what`. */
  async readExactly(length: number, what: string): Promise<Uint8Array> {
    const start = this.position;
    const bytes = await this.read(length);
    if (bytes.length < length) {
      throw new FlowlabError(
        ErrorCode.truncated,
        `Expected ${length} bytes for ${what} at offset 0x${start.toString(16)}, got ${bytes.length}`,
      );
    }
    return bytes;
  }

  /** Drops bytes until `position` reaches `target` (never backwards). */
  async skipTo(target: number): Promise<void> {
    if (target < this.position) {
      throw new FlowlabError(
        ErrorCode.internal,
        `Cannot move back from offset 0x${this.position.toString(16)} to 0x${target.toString(16)}`,
      );
    }
    let remaining = target - this.position;
    while (remaining > 0) {
      const available = this.chunk.length - this.chunkPos;
      if (available === 0) {
        if (!(await this.nextChunk())) break;
        continue;
      }
      const step = Math.min(available, remaining);
      this.chunkPos += step;
      this.position += step;
      remaining -= step;
    }
  }

  private async readStraddlingCopy(length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const available = this.chunk.length - this.chunkPos;
      if (available === 0) {
        if (!(await this.nextChunk())) break;
        continue;
      }
      const step = Math.min(available, length - filled);
      out.set(this.chunk.subarray(this.chunkPos, this.chunkPos + step), filled);
      this.chunkPos += step;
      filled += step;
    }
    this.position += filled;
    return filled === length ? out : out.subarray(0, filled);
  }

  private async nextChunk(): Promise<boolean> {
    if (this.done) return false;
    this.signal?.throwIfAborted();
    const next = await this.source.next();
    if (next.done) {
      this.done = true;
      return false;
    }
    this.chunk = next.value;
    this.chunkPos = 0;
    return true;
  }
}
