/**
 * Tick interval for a bytes axis in binary units, so ticks read 256 KB, 512 KB, 768 KB rather
 * than echarts' decimal 97.7 KB, 195 KB, 293 KB.
 */

const STEPS = [1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100, 128, 200, 256, 500, 512];

/** An interval giving at most `maxTicks` ticks up to `max` bytes; undefined lets echarts choose. */
export function byteAxisInterval(max: number, maxTicks = 5): number | undefined {
  if (!(max > 0) || !Number.isFinite(max)) return undefined;
  let unit = 1;
  while (max / unit >= 1024) unit *= 1024;
  for (const step of STEPS) {
    if (max / (step * unit) <= maxTicks) return step * unit;
  }
  return 1024 * unit;
}

/** `interval` and a `max` on a whole tick, for a value axis of bytes (echarts axis options). */
export function byteAxisScale(max: number, maxTicks = 5): { interval?: number; max?: number } {
  const interval = byteAxisInterval(max, maxTicks);
  return interval === undefined ? {} : { interval, max: Math.max(interval, Math.ceil(max / interval) * interval) };
}
