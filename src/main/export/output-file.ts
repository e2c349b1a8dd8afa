/**
 * An output file written under a temporary name and renamed into place only on success, so a
 * cancelled or failed export never leaves a half-written file behind under the wanted name.
 */
import { open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** Temporary name next to `finalPath` (same directory, so the rename is atomic). */
export function partialPath(finalPath: string): string {
  return `${finalPath}.partial`;
}

/** Moves the finished temporary file into place. */
export async function commitPartial(finalPath: string): Promise<void> {
  await rename(partialPath(finalPath), finalPath);
}

/** Removes the temporary file of a failed or cancelled export. */
export async function discardPartial(finalPath: string): Promise<void> {
  await rm(partialPath(finalPath), { force: true });
}

/** Buffered writes (1 MiB) to the temporary file of `finalPath`; `commit` renames it into place. */
export class BufferedOutputFile {
  private readonly buffer = new Uint8Array(1 << 20);
  private used = 0;
  /** Bytes written so far. */
  bytes = 0;

  private constructor(
    readonly finalPath: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(finalPath: string): Promise<BufferedOutputFile> {
    return new BufferedOutputFile(finalPath, await open(partialPath(finalPath), 'w'));
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.bytes += bytes.length;
    if (bytes.length > this.buffer.length - this.used) await this.flush();
    if (bytes.length >= this.buffer.length) {
      await this.writeAll(bytes);
      return;
    }
    this.buffer.set(bytes, this.used);
    this.used += bytes.length;
  }

  private async flush(): Promise<void> {
    if (this.used) await this.writeAll(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private async writeAll(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done);
      done += bytesWritten;
    }
  }

  async commit(): Promise<void> {
    await this.flush();
    await this.handle.close();
    await commitPartial(this.finalPath);
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await discardPartial(this.finalPath);
  }
}
