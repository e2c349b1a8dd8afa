import { describe, expect, it } from 'vitest';
import { byteAxisInterval, byteAxisScale } from '../../../src/renderer/src/charts/byte-axis';

describe('byteAxisInterval', () => {
  it('steps in binary units with at most the wanted number of ticks', () => {
    expect(byteAxisInterval(500 * 1024, 5)).toBe(100 * 1024);
    expect(byteAxisInterval(3 * 1024 ** 3, 5)).toBe(1024 ** 3);
    expect(byteAxisInterval(900, 5)).toBe(200);
    for (const max of [1, 77, 1023, 1024, 5e6, 7.3e9, 2e12]) {
      const interval = byteAxisInterval(max, 4)!;
      expect(max / interval).toBeLessThanOrEqual(4);
    }
  });
  it('leaves empty axes to echarts', () => {
    expect(byteAxisInterval(0)).toBeUndefined();
    expect(byteAxisInterval(Number.NaN)).toBeUndefined();
  });
});

describe('byteAxisScale', () => {
  it('ends the axis on a whole tick', () => {
    expect(byteAxisScale(447 * 1024, 4)).toEqual({ interval: 128 * 1024, max: 512 * 1024 });
    expect(byteAxisScale(0)).toEqual({});
  });
});
