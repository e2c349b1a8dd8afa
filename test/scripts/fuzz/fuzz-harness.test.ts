/**
 * The fuzzing harness itself (issue #7): cases are reproducible from the seed, every mutated
 * input the real targets get is run to completion, and a crash, a hang and an out-of-memory in a
 * (planted) target are each caught, saved as a replayable regression file and survived.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FUZZ_TARGETS, generateCase } from '../../../scripts/fuzz/fuzz-case';
import { FuzzRunner, type FuzzOptions } from '../../../scripts/fuzz/fuzz-runner';
import { loadSeedCorpus } from '../../../scripts/fuzz/fuzz-seeds';
import { parseRegressionFile, regressionFileName } from '../../../scripts/fuzz/regression-file';
import { parseFuzzArguments } from '../../../scripts/fuzz/run-fuzz';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures');
const seedDirs = [path.join(fixtures, 'pcaps')];
const outDirs: string[] = [];

function options(overrides: Partial<FuzzOptions>): FuzzOptions {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-fuzz-'));
  outDirs.push(outDir);
  return {
    seed: 1,
    cases: 1000,
    seconds: Number.POSITIVE_INFINITY,
    seedDirs,
    outDir,
    timeoutMs: 5000,
    memoryMb: 256,
    maxCaptureBytes: 8192,
    rangeSize: 500,
    firstCase: 0,
    ...overrides,
  };
}

afterAll(() => {
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
});

describe('fuzz cases', () => {
  const corpus = loadSeedCorpus(seedDirs);

  it('are a pure function of seed and index', () => {
    for (const index of [0, 1, 17, 999]) {
      const a = generateCase(corpus, 5, index, { maxCaptureBytes: 4096 });
      const b = generateCase(corpus, 5, index, { maxCaptureBytes: 4096 });
      expect(regressionFileName(a)).toBe(regressionFileName(b));
    }
    const names = new Set(
      Array.from({ length: 50 }, (_, i) =>
        regressionFileName(generateCase(corpus, 5, i, { maxCaptureBytes: 4096 })),
      ),
    );
    expect(names.size).toBe(50);
  });

  it('leave the seed corpus untouched', () => {
    const before = corpus.packets.slice(0, 200).map((packet) => Buffer.from(packet.bytes).toString('hex'));
    for (let i = 0; i < 2000; i++) generateCase(corpus, 3, i, { maxCaptureBytes: 4096 });
    expect(corpus.packets.slice(0, 200).map((packet) => Buffer.from(packet.bytes).toString('hex'))).toEqual(
      before,
    );
  });

  it('round-trip through regression file names', () => {
    const targets = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const fuzz = generateCase(corpus, 9, i, { maxCaptureBytes: 4096 });
      targets.add(fuzz.target);
      const parsed = parseRegressionFile(regressionFileName(fuzz), fuzz.bytes)!;
      expect(regressionFileName(parsed)).toBe(regressionFileName(fuzz));
    }
    expect([...targets].sort()).toEqual([...FUZZ_TARGETS].sort());
    expect(parseRegressionFile('notes.txt', new Uint8Array(0))).toBeUndefined();
  });

  it('command line: bounds, seed and defaults', () => {
    const parsed = parseFuzzArguments(['--cases', '10', '--seed', '4', '--corpus', 'x']);
    expect([parsed.cases, parsed.seed, parsed.seconds, parsed.seedDirs]).toEqual([
      10,
      4,
      Infinity,
      [path.resolve('x')],
    ]);
    expect(parseFuzzArguments([]).seconds).toBe(60);
    expect(() => parseFuzzArguments(['--cases', '-1'])).toThrow(/number/);
    expect(() => parseFuzzArguments(['--bogus'])).toThrow(/Unknown/);
  });
});

describe('fuzz runner', () => {
  it('runs the real targets reproducibly: same seed, same cases', async () => {
    const first = await new FuzzRunner(options({ seed: 11, cases: 1500 })).run();
    const again = await new FuzzRunner(options({ seed: 11, cases: 1500, rangeSize: 700 })).run();
    const other = await new FuzzRunner(options({ seed: 12, cases: 1500 })).run();
    expect(first.cases).toBe(1500);
    expect(first.failures).toEqual([]);
    expect(Object.keys(first.byTarget).sort()).toEqual([...FUZZ_TARGETS].sort());
    expect(Object.values(first.byTarget).reduce((sum, count) => sum + count, 0)).toBe(1500);
    // Mix: packet 42 %, protocol 22 %, capture 24 %, assemble 7 %, gzip 5 %.
    for (const count of Object.values(first.byTarget)) expect(count).toBeGreaterThan(40);
    expect(again.digest).toBe(first.digest);
    expect(again.byTarget).toEqual(first.byTarget);
    expect(other.digest).not.toBe(first.digest);
  }, 300_000);

  it('catches a crash, a hang and an out-of-memory, saves each input and goes on', async () => {
    // A seed whose first 300 cases reach each planted failure (tcp: crash, udp: hang, arp: memory).
    const corpus = loadSeedCorpus(seedDirs);
    const kinds: Record<string, string> = { tcp: 'crash', udp: 'hang', arp: 'out-of-memory' };
    const plantedOf = (seed: number): { index: number; decoder: string }[] =>
      Array.from({ length: 300 }, (_, i) => generateCase(corpus, seed, i, { maxCaptureBytes: 8192 }))
        .map((fuzz, index) => ({ index, decoder: fuzz.target === 'protocol' ? fuzz.decoder : '' }))
        .filter(({ decoder }) => decoder in kinds);
    let seed = 1;
    while (new Set(plantedOf(seed).map((p) => p.decoder)).size < 3) seed++;
    const planted = plantedOf(seed);
    const run = options({
      seed,
      cases: 300,
      // Generous: under load a memory bomb must reach the heap cap before the hang timeout fires.
      timeoutMs: 3000,
      memoryMb: 48,
      maxCaptureBytes: 8192,
      targetModule: path.join(import.meta.dirname, 'misbehaving-target.ts'),
    });
    const summary = await new FuzzRunner(run).run();
    expect(summary.failures.map((f) => [f.index, f.kind])).toEqual(
      planted.map((p) => [p.index, kinds[p.decoder]]),
    );
    expect(summary.cases).toBe(300);
    const files = readdirSync(run.outDir);
    expect(files.length).toBe(3); // one file per distinct failure
    const saved = files.map(
      (file) => parseRegressionFile(file, readFileSync(path.join(run.outDir, file)))!.decoder,
    );
    expect(saved.sort()).toEqual(['arp', 'tcp', 'udp']);
  }, 120_000);
});
