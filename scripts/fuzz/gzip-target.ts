/**
 * The gzip target: the case's bytes are written to a file (in /dev/shm when there is one) and
 * read back through the ingest's own openCaptureStream (node:zlib gunzip, Z_SYNC_FLUSH at the
 * end) into CaptureFramer, as an ingest reads a `.gz`. A bug is: an error that is not a
 * FlowlabError with a capture-format code (a raw zlib, Type or Range error escaping), a chunk
 * larger than the stream's bound (memory), output other than the data an intact file holds, or
 * for a truncated file output that is not a prefix of it. Hangs and runaway memory are the
 * runner's (timeout, worker heap cap).
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { CaptureFramer } from '../../src/main/ingest/framer/capture-framer';
import { openCaptureStream } from '../../src/main/ingest/framer/open-capture-stream';
import { ErrorCode, FlowlabError } from '../../src/shared/errors';
import type { FuzzCase } from './fuzz-case';
import { FuzzFailure } from './fuzz-failure';

/** open-capture-stream.ts caps zlib's output buffers at 1 MiB. */
const MAX_GUNZIP_CHUNK_BYTES = 1024 * 1024;
const CLEAN_CODES: ReadonlySet<string> = new Set([
  ErrorCode.unknownFormat,
  ErrorCode.badRecord,
  ErrorCode.truncated,
]);

let caseFile: string | undefined;

/**
 * This thread's case file (in /dev/shm when there is one), removed after every case: no
 * directory to clean up when the runner terminates the worker.
 */
function caseFilePath(): string {
  caseFile ??= path.join(
    existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(),
    `flowlab-fuzz-gzip-${process.pid}-${threadId}.gz`,
  );
  return caseFile;
}

function startsWith(whole: Uint8Array, part: Uint8Array, at: number): boolean {
  if (at + part.length > whole.length) return false;
  for (let i = 0; i < part.length; i++) if (whole[at + i] !== part[i]) return false;
  return true;
}

/**
 * Feeds the framer; false once it refused the bytes with a FlowlabError (they need not be a
 * capture: a bomb's zeros after a corrupt header, a malformed seed). Any other error is a bug.
 */
function frame(step: () => unknown): boolean {
  try {
    step();
    return true;
  } catch (error) {
    if (error instanceof FlowlabError) return false;
    throw new FuzzFailure(
      `the framer threw ${(error as Error).name} on gunzipped bytes: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** Runs a gzip case; rejects with FuzzFailure (or the escaping error) when it exposes a bug. */
export async function runGzip(fuzz: FuzzCase): Promise<void> {
  const file = caseFilePath();
  writeFileSync(file, fuzz.bytes);
  const expected = fuzz.expected;
  const framer = new CaptureFramer({ targetBlockBytes: 1 << 20 });
  let produced = 0;
  let framing = true;
  const chunkLimit = Math.max(fuzz.chunkBytes, MAX_GUNZIP_CHUNK_BYTES);
  try {
    const stream = await openCaptureStream(file, { chunkBytes: fuzz.chunkBytes });
    for await (const chunk of stream.chunks) {
      if (chunk.length > chunkLimit)
        throw new FuzzFailure(
          `a ${chunk.length}-byte chunk from a ${fuzz.chunkBytes}-byte read (bound ${chunkLimit})`,
        );
      if (expected && !startsWith(expected, chunk, produced))
        throw new FuzzFailure(
          `output differs from the compressed data at byte ${produced} or is longer (${expected.length})`,
        );
      produced += chunk.length;
      if (framing) framing = frame(() => framer.push(chunk));
    }
    if (framing && !framer.done) frame(() => framer.end());
  } catch (error) {
    if (error instanceof FuzzFailure) throw error;
    if (error instanceof FlowlabError && CLEAN_CODES.has(error.code)) {
      if (expected && !fuzz.expectPrefix)
        throw new FuzzFailure(`intact gzip failed: ${error.message}`, { cause: error });
      return;
    }
    throw error;
  } finally {
    rmSync(file, { force: true });
  }
  if (expected && !fuzz.expectPrefix && produced !== expected.length)
    throw new FuzzFailure(`intact gzip gave ${produced} of ${expected.length} bytes`);
}
