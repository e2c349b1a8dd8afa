/**
 * splitTimestamp against hand-computed values. Inputs are built from exact integers (BigInt
 * here, in the test only); the expected seconds/nanoseconds are written out by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  splitTimestamp,
  timestampResolutionOf,
  type TimestampParts,
} from '../../../src/workers/capture/split-timestamp';

function split(units: bigint, exponent: number, binary: boolean): [number, number] {
  const out: TimestampParts = { seconds: -1, nanoseconds: -1 };
  splitTimestamp(Number(units >> 32n), Number(units & 0xffffffffn), exponent, binary, out);
  return [out.seconds, out.nanoseconds];
}

describe('splitTimestamp, 10^-n units', () => {
  it.each([
    // units, n, seconds, nanoseconds
    [5n, 0, 5, 0],
    [1234567n, 3, 1234, 567000000],
    [1340954905298858n, 6, 1340954905, 298858000], // microseconds (pcapng default)
    [4294967296000000n, 6, 4294967296, 0], // 2^32 s: after 2106 (timestamp_after_2106.pcapng)
    [1600000000123456789n, 9, 1600000000, 123456789], // 1.6e18 ns: not exact as a double
    [1600000000999999999n, 9, 1600000000, 999999999],
    [18446744073709551615n, 9, 18446744073, 709551615], // 2^64 - 1 ns
    [17000000001234567891n, 12, 17000000, 1234567], // picoseconds: 0.001234567891 s, truncated
    [18446744073709551615n, 19, 1, 844674407], // 2^64 - 1 units of 10^-19 s = 1.8446744073709551615 s
    [9999999999n, 10, 0, 999999999],
  ])('%s units of 10^-%i s = %i s + %i ns', (units, exponent, seconds, nanoseconds) => {
    expect(split(units, exponent, false)).toEqual([seconds, nanoseconds]);
  });
});

describe('splitTimestamp, 2^-n units', () => {
  it.each([
    [1n, 10, 0, 976562], // 10^9 / 1024 = 976562.5
    [3n * 2n ** 30n + 2n ** 29n, 30, 3, 500000000],
    [1700000000n * 2n ** 32n + 2n ** 31n, 32, 1700000000, 500000000], // 32.32 fixed point
    [5n * 2n ** 40n + 2n ** 39n + 2n ** 38n, 40, 5, 750000000], // fraction in both halves
    [1n, 40, 0, 0], // 2^-40 s < 1 ns
    [2n ** 63n - 1n, 63, 0, 999999999], // (2^63 - 1) / 2^63 s
    [2n ** 40n, 0, 1099511627776, 0], // whole seconds
    [(1n << 64n) - 1n, 33, 2147483647, 999999999], // (2^33 - 1) / 2^33 s = 0.99999999988 s
  ])('%s units of 2^-%i s = %i s + %i ns', (units, exponent, seconds, nanoseconds) => {
    expect(split(units, exponent, true)).toEqual([seconds, nanoseconds]);
  });
});

describe('timestampResolutionOf', () => {
  it.each([
    [1e6, { exponent: 6, binary: false }],
    [1e9, { exponent: 9, binary: false }],
    [1, { exponent: 0, binary: false }],
    [10000000000000000000, { exponent: 19, binary: false }],
    [1024, { exponent: 10, binary: true }],
    [2 ** 63, { exponent: 63, binary: true }],
  ])('%d units per second', (unitsPerSecond, resolution) => {
    expect(timestampResolutionOf(unitsPerSecond)).toEqual(resolution);
  });
  it('is undefined for anything else', () => {
    expect(timestampResolutionOf(3)).toBeUndefined();
  });
});

describe('splitTimestamp against BigInt arithmetic (the test oracle)', () => {
  // Deterministic pseudo-random 32-bit halves (xorshift32), plus the extremes.
  let state = 0x9e3779b9;
  function next(): number {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  }
  const inputs: Array<[number, number]> = [
    [0, 0],
    [0xffffffff, 0xffffffff],
    [0x17979cfe, 0x362a002a],
  ];
  for (let i = 0; i < 300; i++) inputs.push([next(), next()]);

  function expected(high: number, low: number, units: bigint): [number, number] {
    const total = (BigInt(high) << 32n) | BigInt(low);
    const seconds = total / units;
    return [Number(seconds), Number(((total % units) * 1_000_000_000n) / units)];
  }

  it('every decimal exponent 0..19', () => {
    for (let exponent = 0; exponent <= 19; exponent++) {
      for (const [high, low] of inputs) {
        const [seconds, nanoseconds] = expected(high, low, 10n ** BigInt(exponent));
        if (seconds > Number.MAX_SAFE_INTEGER) continue; // only exact below 2^53 seconds
        const out: TimestampParts = { seconds: -1, nanoseconds: -1 };
        splitTimestamp(high, low, exponent, false, out);
        expect([out.seconds, out.nanoseconds], `${high} ${low} 10^-${exponent}`).toEqual([
          seconds,
          nanoseconds,
        ]);
      }
    }
  });

  it('every binary exponent 0..63', () => {
    for (let exponent = 0; exponent <= 63; exponent++) {
      for (const [high, low] of inputs) {
        const [seconds, nanoseconds] = expected(high, low, 2n ** BigInt(exponent));
        if (seconds > Number.MAX_SAFE_INTEGER) continue;
        const out: TimestampParts = { seconds: -1, nanoseconds: -1 };
        splitTimestamp(high, low, exponent, true, out);
        expect([out.seconds, out.nanoseconds], `${high} ${low} 2^-${exponent}`).toEqual([
          seconds,
          nanoseconds,
        ]);
      }
    }
  });
});
