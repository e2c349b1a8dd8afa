/**
 * The fuzzer's gzip target (issue #7): its inputs are real gzip (checked against zlib's own
 * gunzip), and its invariants hold on intact, truncated, corrupt and bomb inputs read through
 * the ingest's openCaptureStream, and fail when the output is not what the file holds.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyCase, type FuzzCase } from '../../../scripts/fuzz/fuzz-case';
import { FuzzFailure } from '../../../scripts/fuzz/fuzz-failure';
import { generateGzip, gzipBomb, gzipMember } from '../../../scripts/fuzz/gzip-input';
import { runGzip } from '../../../scripts/fuzz/gzip-target';
import { mulberry32 } from '../../../scripts/fuzz/random';
import { openCaptureStream } from '../../../src/main/ingest/framer/open-capture-stream';
import { ErrorCode, FlowlabError } from '../../../src/shared/errors';

const pcaps = path.resolve(import.meta.dirname, '../../fixtures/pcaps');
const capture = new Uint8Array(readFileSync(path.join(pcaps, 'dns_nxdomain_single.pcap')));
const temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-gzip-target-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const gzipCase = (bytes: Uint8Array, extra: Partial<FuzzCase> = {}): FuzzCase => ({
  ...emptyCase('gzip', bytes),
  chunkBytes: 4096,
  ...extra,
});

describe('gzip fuzz inputs', () => {
  it('are members zlib reads, with every optional header field (FEXTRA, FNAME, FCOMMENT, FHCRC)', () => {
    const flagsSeen = new Set<number>();
    for (let seed = 0; seed < 200; seed++) {
      const member = gzipMember(capture, mulberry32(seed));
      flagsSeen.add(member[3]!);
      expect(Buffer.compare(gunzipSync(member), capture), `seed ${seed}`).toBe(0);
    }
    for (const flag of [2, 4, 8, 16]) expect([...flagsSeen].some((flags) => flags & flag)).toBe(true);
  });

  it('a bomb expands more than 500 times', () => {
    const bomb = gzipBomb(4);
    expect(gunzipSync(bomb).length).toBe(24 + 4 * 2 ** 20);
    expect(bomb.length * 500).toBeLessThan(4 * 2 ** 20);
  });
});

describe('gzip fuzz target', () => {
  it('passes intact concatenated members and fails when the output differs', async () => {
    const random = mulberry32(7);
    const half = capture.length >> 1;
    const gzip = concat(
      gzipMember(capture.subarray(0, half), random),
      gzipMember(capture.subarray(half), random),
    );
    for (const chunkBytes of [1, 7, 4096, 1 << 20])
      await runGzip(gzipCase(gzip, { chunkBytes, expected: capture }));
    const wrong = capture.slice();
    wrong[wrong.length - 1]! ^= 1;
    await expect(runGzip(gzipCase(gzip, { expected: wrong }))).rejects.toBeInstanceOf(FuzzFailure);
    await expect(runGzip(gzipCase(gzip, { expected: capture.subarray(0, half) }))).rejects.toBeInstanceOf(
      FuzzFailure,
    );
    await expect(
      runGzip(gzipCase(gzip.subarray(0, gzip.length >> 1), { expected: capture })),
    ).rejects.toBeInstanceOf(FuzzFailure);
  });

  it('a truncated file gives a prefix of the data at every cut', async () => {
    const gzip = gzipMember(capture, mulberry32(3));
    for (let cut = 0; cut < gzip.length; cut += 17)
      await runGzip(gzipCase(gzip.subarray(0, cut), { expected: capture, expectPrefix: true }));
  });

  it('a corrupt trailer is a clean BAD_RECORD error from the ingest stream, which the target accepts', async () => {
    const gzip = gzipMember(capture, mulberry32(5)).slice();
    gzip[gzip.length - 6]! ^= 0xff; // CRC32
    const file = path.join(temporary, 'bad-crc.gz');
    writeFileSync(file, gzip);
    const stream = await openCaptureStream(file);
    let produced = 0;
    const drain = async (): Promise<void> => {
      for await (const chunk of stream.chunks) produced += chunk.length;
    };
    await expect(drain()).rejects.toSatisfy(
      (error: unknown) => error instanceof FlowlabError && error.code === ErrorCode.badRecord,
    );
    expect(produced).toBeLessThanOrEqual(capture.length);
    await runGzip(gzipCase(gzip));
  });

  it('streams a 16 MiB bomb (and a member after it) in bounded chunks', async () => {
    await runGzip(
      gzipCase(concat(gzipBomb(16), gzipMember(capture, mulberry32(1))), { chunkBytes: 1 << 20 }),
    );
  }, 60_000);

  it('the committed .gz fixture and generated cases of every kind run clean', async () => {
    const file = readFileSync(path.join(pcaps, 'fmt_pcapng_gzip_telnet_long_line.pcapng.gz'));
    await runGzip(gzipCase(new Uint8Array(file), { expected: new Uint8Array(gunzipSync(file)) }));
    for (let seed = 0; seed < 60; seed++) await runGzip(generateGzip(capture, mulberry32(seed)));
  }, 120_000);
});
