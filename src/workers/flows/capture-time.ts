/**
 * Capture-relative times are doubles t = (tsSec - baseSec) + tsNsec * 1e-9. Real gaps are whole
 * nanoseconds, but the subtraction of two such doubles can land a hair above the true value
 * (a gap of exactly 1 s computing as 1.0000000000000002). Every "gap > limit" test therefore
 * allows half a nanosecond, which decides exactly while |t| stays below ~10^6 s (11 days; the
 * rounding error of t is then < 1.2e-10 s) and to within a few ns beyond.
 */
const HALF_NANOSECOND = 5e-10;

/** Whether the gap `later - earlier` (seconds) exceeds `limit` seconds. */
export function gapExceeds(later: number, earlier: number, limit: number): boolean {
  return later - earlier > limit + HALF_NANOSECOND;
}
