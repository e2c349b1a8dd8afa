/**
 * Fast capture fingerprint: sha256 over the file size and three 1 MiB samples (start, middle,
 * end). Reading a multi-GB file whole just to recognise it again would cost seconds; the
 * samples include timestamps and payload bytes, so two different captures of the same size
 * colliding is implausible in practice.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const SAMPLE_BYTES = 1 << 20;

export async function fingerprintFile(path: string): Promise<{ fingerprint: string; sizeBytes: number }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const hash = createHash('sha256');
    hash.update(`flowlab-fp1:${size}:`);
    const buffer = Buffer.allocUnsafe(SAMPLE_BYTES);
    const starts = size <= 3 * SAMPLE_BYTES ? [0] : [0, Math.floor(size / 2), size - SAMPLE_BYTES];
    const length = size <= 3 * SAMPLE_BYTES ? size : SAMPLE_BYTES;
    for (const start of starts) {
      let done = 0;
      while (done < length) {
        const chunk = Math.min(length - done, buffer.length);
        const { bytesRead } = await handle.read(buffer, 0, chunk, start + done);
        if (bytesRead === 0) break;
        hash.update(buffer.subarray(0, bytesRead));
        done += bytesRead;
      }
    }
    return { fingerprint: 'fp1:' + hash.digest('hex'), sizeBytes: size };
  } finally {
    await handle.close();
  }
}
