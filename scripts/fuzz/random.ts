/**
 * Deterministic randomness for the fuzzer: every case draws from its own mulberry32 stream
 * seeded by (run seed, case index), so any case can be regenerated alone (for a hang or an
 * out-of-memory, the parent rebuilds the input the dead worker was running).
 */

/** A PRNG returning floats in [0, 1). */
export type Random = () => number;

/** mulberry32: small, fast, good enough to drive mutations. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The PRNG of case `index` of a run with seed `seed` (splitmix-style mixing of both). */
export function caseRandom(seed: number, index: number): Random {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return mulberry32(h);
}

/** Integer in [0, n) (0 when n <= 0). */
export function below(random: Random, n: number): number {
  return n > 0 ? Math.floor(random() * n) : 0;
}

/** One element of a non-empty list. */
export function pick<T>(random: Random, list: readonly T[]): T {
  return list[below(random, list.length)]!;
}
