/**
 * openCaptureStream: gzip by magic (not extension), pcapng named .pcap, refusal of other
 * formats, progress in on-disk bytes, cancellation. Counts are tshark's (fixtures-totals.tsv).
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, FlowlabError, isCancellationError } from '../../../src/shared/errors';
import { openCaptureStream } from '../../../src/main/ingest/framer/open-capture-stream';
import { frameFile } from './frame-capture';
import { MALFORMED, PCAPS, loadTotals } from './tshark-reference';

const totals = new Map(loadTotals().map((entry) => [entry.file, entry]));
const scratch = mkdtempSync(join(tmpdir(), 'flowlab-open-capture-'));

async function rejection(promise: Promise<unknown>): Promise<FlowlabError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FlowlabError);
    return error as FlowlabError;
  }
  throw new Error('expected a rejection');
}

async function readAll(path: string, chunkBytes?: number): Promise<Uint8Array[]> {
  const stream = await openCaptureStream(path, chunkBytes === undefined ? {} : { chunkBytes });
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream.chunks) chunks.push(chunk);
  return chunks;
}

describe('gzip input', () => {
  const file = 'fmt_pcapng_gzip_telnet_long_line.pcapng.gz';
  it.each([65536, 8 << 20])('gives tshark counts with %i-byte reads', async (chunkBytes) => {
    const stream = await openCaptureStream(PCAPS + file, { chunkBytes });
    expect(stream.compressed).toBe(true);
    expect(stream.fileSize).toBe(statSync(PCAPS + file).size);
    const capture = await frameFile(PCAPS + file, { chunkBytes, targetBlockBytes: 1 << 20 });
    expect(capture.format).toBe('pcapng');
    expect(capture.warnings).toEqual([]);
    expect(capture.packetCount).toBe(totals.get(file)!.packets);
    expect(capture.rows.frameLength.reduce((sum, length) => sum + length, 0)).toBe(totals.get(file)!.bytes);
    for await (const chunk of stream.chunks) expect(chunk.length).toBeGreaterThan(0);
    expect(stream.compressedBytesRead()).toBe(stream.fileSize);
  });

  it('a .gz cut in half yields the packets it holds and a truncation warning', async () => {
    const whole = readFileSync(PCAPS + file);
    const path = join(scratch, 'half.pcapng.gz');
    writeFileSync(path, whole.subarray(0, whole.length >> 1));
    const capture = await frameFile(path, { chunkBytes: 65536, targetBlockBytes: 1 << 20 });
    expect(capture.packetCount).toBeGreaterThan(0);
    expect(capture.packetCount).toBeLessThan(totals.get(file)!.packets);
    expect(capture.warnings).toHaveLength(1);
    expect(capture.warnings[0]).toMatch(
      /^File is truncated: it ends inside the record at packet #\d+ at offset 0x[0-9a-f]+/,
    );
  });

  it('corrupt gzip data is a BAD_RECORD error', async () => {
    const path = join(scratch, 'corrupt.gz');
    writeFileSync(
      path,
      Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), Buffer.alloc(64, 0xff)]),
    );
    const error = await rejection(readAll(path));
    expect(error.code).toBe(ErrorCode.badRecord);
    expect(error.message).toMatch(/^Corrupt gzip data in .*corrupt\.gz after \d+ compressed bytes: /);
  });
});

describe('uncompressed input', () => {
  it('a pcapng file named .pcap is read as pcapng', async () => {
    const file = 'fmt_pcapng_named_dot_pcap_stun_5ifaces.pcap';
    const capture = await frameFile(PCAPS + file, { chunkBytes: 4096, targetBlockBytes: 8192 });
    expect(capture.format).toBe('pcapng');
    expect(capture.packetCount).toBe(totals.get(file)!.packets);
    expect(capture.rows.frameLength.reduce((sum, length) => sum + length, 0)).toBe(totals.get(file)!.bytes);
  });

  it('reads in chunks of at most chunkBytes, byte for byte, and counts on-disk bytes', async () => {
    const path = PCAPS + 'tls_firefox_ntop_org.pcap';
    const stream = await openCaptureStream(path, { chunkBytes: 10000 });
    expect(stream.compressed).toBe(false);
    const chunks: Uint8Array[] = [];
    for await (const chunk of stream.chunks) {
      expect(chunk.length).toBeLessThanOrEqual(10000);
      chunks.push(chunk);
    }
    expect(Buffer.concat(chunks).equals(readFileSync(path))).toBe(true);
    expect(stream.compressedBytesRead()).toBe(stream.fileSize);
  });
});

describe('refusals', () => {
  it('zstd data', async () => {
    const error = await rejection(openCaptureStream(MALFORMED + 'zstd_compressed_pcapng.pcapng.zst'));
    expect(error.code).toBe(ErrorCode.unknownFormat);
    expect(error.message).toBe(
      'Not a pcap or pcapng file: expected magic a1b2c3d4/a1b23c4d/0a0d0d0a at offset 0x0, found 28 b5 2f fd (zstd-compressed; decompress it first)',
    );
  });

  it('a snoop capture', async () => {
    const error = await rejection(openCaptureStream(MALFORMED + 'solaris_snoop_format.snoop'));
    expect(error.code).toBe(ErrorCode.unknownFormat);
    expect(error.message).toContain('found 73 6e 6f 6f (a Solaris snoop capture');
  });

  it('an empty file', async () => {
    const path = join(scratch, 'empty.pcap');
    writeFileSync(path, '');
    const error = await rejection(openCaptureStream(path));
    expect([error.code, error.message]).toEqual([
      ErrorCode.unknownFormat,
      'Not a pcap or pcapng file: the file is empty',
    ]);
  });

  it('a missing file is an IO error', async () => {
    const error = await rejection(openCaptureStream(join(scratch, 'missing.pcap')));
    expect(error.code).toBe(ErrorCode.io);
    expect(error.message).toContain('missing.pcap');
  });
});

describe('cancellation', () => {
  it('an aborted signal refuses to open', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(openCaptureStream(PCAPS + 'snmp_walk.pcap', { signal: controller.signal }));
    expect(error.code).toBe(ErrorCode.cancelled);
  });

  it('aborting while reading ends the iteration with CANCELLED', async () => {
    for (const file of ['tls_firefox_ntop_org.pcap', 'fmt_pcapng_gzip_telnet_long_line.pcapng.gz']) {
      const controller = new AbortController();
      const stream = await openCaptureStream(PCAPS + file, { signal: controller.signal, chunkBytes: 4096 });
      let chunks = 0;
      const error = await rejection(
        (async () => {
          for await (const chunk of stream.chunks) {
            expect(chunk.length).toBeGreaterThan(0);
            if (++chunks === 2) controller.abort();
          }
        })(),
      );
      expect(error.code).toBe(ErrorCode.cancelled);
      expect(isCancellationError(error)).toBe(true);
      expect(chunks).toBe(2);
    }
  });
});
