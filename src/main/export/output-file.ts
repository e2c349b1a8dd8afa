/**
 * An output file written under a temporary name and renamed into place only on success, so a
 * cancelled or failed export never leaves a half-written file behind under the wanted name.
 * A killed process cannot remove its temporary file: removeStalePartials does, later, for every
 * temporary file no export of this process is writing (the case lock keeps other processes out).
 */
import { open, readdir, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** Final paths whose temporary files an export of this process is writing now (with a count). */
const writing = new Map<string, number>();

/** Marks `finalPath`'s temporary files as in use until the returned release is called. */
export function holdPartial(finalPath: string): () => void {
  const key = path.resolve(finalPath);
  writing.set(key, (writing.get(key) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const count = (writing.get(key) ?? 1) - 1;
    if (count > 0) writing.set(key, count);
    else writing.delete(key);
  };
}

/** `<name>.partial` (and the `.partial.body` of a hand-written CSV header) → `<name>`. */
const PARTIAL_NAME = /^(.+)\.partial(\.body)?$/;

/**
 * Removes the temporary files of dead exports in `directory` (left by a killed process), never
 * those of an export running in this process. Returns the names removed.
 */
export async function removeStalePartials(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = PARTIAL_NAME.exec(name);
    if (!match || writing.has(path.resolve(directory, match[1]!))) continue;
    await rm(path.join(directory, name), { force: true });
    removed.push(name);
  }
  return removed;
}

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
    private readonly release: () => void,
  ) {}

  static async create(finalPath: string): Promise<BufferedOutputFile> {
    const release = holdPartial(finalPath);
    try {
      return new BufferedOutputFile(finalPath, await open(partialPath(finalPath), 'w'), release);
    } catch (error) {
      release();
      throw error;
    }
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
    try {
      await this.flush();
      await this.handle.close();
      await commitPartial(this.finalPath);
    } finally {
      this.release();
    }
  }

  async discard(): Promise<void> {
    try {
      await this.handle.close().catch(() => undefined);
      await discardPartial(this.finalPath);
    } finally {
      this.release();
    }
  }
}
