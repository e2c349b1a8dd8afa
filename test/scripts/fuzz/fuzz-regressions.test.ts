/**
 * Replays every input the fuzzer saved in test/fixtures/fuzz-regressions through the same
 * target it failed in (issue #7). Each must now run without a throw or a broken invariant.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRegressionFile } from '../../../scripts/fuzz/regression-file';
import { runCase } from '../../../scripts/fuzz/fuzz-targets';
import { plainBytes } from '../../../scripts/fuzz/fuzz-seeds';
import { matchHttpMethod, matchSipMethod } from '../../../src/workers/decode/http-methods';

const dir = path.resolve(import.meta.dirname, '../../fixtures/fuzz-regressions');
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.bin'))
  .sort();

describe('fuzz regressions', () => {
  it('the folder holds the saved inputs, each named so it can be replayed', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(parseRegressionFile(file, new Uint8Array(0)), file).toBeDefined();
  });

  for (const file of files) {
    it(file, async () => {
      const fuzz = parseRegressionFile(file, plainBytes(readFileSync(path.join(dir, file))))!;
      await runCase(fuzz); // throws (or rejects, for gzip) on a crash or broken invariant
    });
  }

  it('issue #7 - a method match at the end of the buffer reads nothing past it', () => {
    const get = Uint8Array.from('GET ', (c) => c.charCodeAt(0));
    expect(matchHttpMethod(get, 4, 4)).toBe(-1);
    expect(matchSipMethod(get, 4, 4)).toBe(-1);
    expect(matchHttpMethod(get, 0, 3)).toBe(-1); // the space after the method is outside [0, 3)
    expect(
      matchHttpMethod(
        Uint8Array.from('GET /', (c) => c.charCodeAt(0)),
        0,
        5,
      ),
    ).toBe(0);
  });
});
