/**
 * Opens a capture file as a stream of large chunks for the framer. gzip input (detected by its
 * magic, RFC 1952 2.3.1, never by extension) is decompressed on the fly through node:zlib;
 * anything that is neither gzip nor pcap/pcapng is refused up front with UNKNOWN_FORMAT.
 */
import type { ReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { constants as zlibConstants, createGunzip } from 'node:zlib';
import { ErrorCode, FlowlabError } from '../../../shared/errors';
import { isCaptureMagic, isGzipMagic, unknownFormatError } from './capture-magic';

export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
/** zlib output buffers: big enough for few pushes, small enough not to hold much memory. */
const MAX_GUNZIP_CHUNK_BYTES = 1024 * 1024;

export interface CaptureStreamOptions {
  signal?: AbortSignal;
  /** Bytes per read from disk (default 8 MiB). */
  chunkBytes?: number;
}

export interface CaptureStream {
  /** The (decompressed) capture bytes in order; each chunk is a fresh buffer, never reused. */
  chunks: AsyncIterable<Uint8Array>;
  /** True when the file is gzip-compressed. */
  compressed: boolean;
  /** Size of the file on disk. */
  fileSize: number;
  /** Bytes read from disk so far (compressed bytes for .gz), for progress against fileSize. */
  compressedBytesRead(): number;
}

function cancelledError(): FlowlabError {
  return new FlowlabError(ErrorCode.cancelled, 'Reading the capture was cancelled');
}

/**
 * Opens `path` for framing. Throws FlowlabError IO when the file cannot be read,
 * UNKNOWN_FORMAT when it is not pcap, pcapng or gzip, CANCELLED when `signal` aborts (also
 * while iterating `chunks`).
 */
export async function openCaptureStream(
  path: string,
  options: CaptureStreamOptions = {},
): Promise<CaptureStream> {
  const { signal } = options;
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!(chunkBytes >= 1))
    throw new FlowlabError(ErrorCode.invalidArgument, `chunkBytes must be >= 1, got ${chunkBytes}`);
  if (signal?.aborted) throw cancelledError();
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new FlowlabError(ErrorCode.io, `Cannot open capture file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let fileSize: number;
  const head = new Uint8Array(8);
  let headLength: number;
  try {
    fileSize = (await handle.stat()).size;
    headLength = (await handle.read(head, 0, head.length, 0)).bytesRead;
  } catch (error) {
    await handle.close();
    throw new FlowlabError(ErrorCode.io, `Cannot read capture file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const probe = head.subarray(0, headLength);
  const compressed = isGzipMagic(probe);
  if (!compressed && !isCaptureMagic(probe)) {
    await handle.close();
    throw unknownFormatError(probe);
  }
  if (signal?.aborted) {
    await handle.close();
    throw cancelledError();
  }
  const file = handle.createReadStream({ start: 0, highWaterMark: chunkBytes });
  return {
    chunks: readChunks(file, compressed, chunkBytes, path, signal),
    compressed,
    fileSize,
    compressedBytesRead: () => file.bytesRead,
  };
}

async function* readChunks(
  file: ReadStream,
  compressed: boolean,
  chunkBytes: number,
  path: string,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  // Z_SYNC_FLUSH at the end: a truncated .gz yields what it holds, and the framer then reports
  // the record cut short instead of the whole file failing.
  const source: Readable = compressed
    ? file.pipe(
        createGunzip({
          chunkSize: Math.max(64, Math.min(chunkBytes, MAX_GUNZIP_CHUNK_BYTES)),
          finishFlush: zlibConstants.Z_SYNC_FLUSH,
        }),
      )
    : file;
  if (compressed) file.on('error', (error) => source.destroy(error));
  const onAbort = (): void => {
    source.destroy(cancelledError());
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of source) {
      if (signal?.aborted) throw cancelledError();
      yield chunk as Uint8Array;
    }
    if (signal?.aborted) throw cancelledError();
  } catch (error) {
    if (error instanceof FlowlabError) throw error;
    if (signal?.aborted) throw cancelledError();
    const code = (error as { code?: unknown }).code;
    if (compressed && typeof code === 'string' && code.startsWith('Z_')) {
      throw new FlowlabError(
        ErrorCode.badRecord,
        `Corrupt gzip data in ${path} after ${file.bytesRead} compressed bytes: ${(error as Error).message}`,
        { cause: error },
      );
    }
    throw new FlowlabError(ErrorCode.io, `Cannot read capture file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    source.destroy();
    file.destroy();
  }
}
