import { describe, expect, it } from 'vitest';
import { flattenRanges } from '../../../src/main/query/flatten-ranges';
import type { Ranges } from '../../../src/main/query/flatten-ranges';

const ranges = (...rows: [number, number, string][]): Ranges => ({
  first: rows.map((row) => row[0]),
  last: rows.map((row) => row[1]),
  value: rows.map((row) => row[2]),
});

/** The value of the last row holding `point` (painting in row order), the definition. */
function painted(input: Ranges, point: number): string | undefined {
  let value: string | undefined;
  input.first.forEach((first, index) => {
    if (first <= point && point <= input.last[index]!) value = input.value[index];
  });
  return value;
}

function lookup(flat: Ranges, point: number): string | undefined {
  const index = flat.first.findIndex((first, i) => first <= point && point <= flat.last[i]!);
  return index < 0 ? undefined : flat.value[index];
}

describe('issue #3 - flattening the overlapping country ranges', () => {
  it('lets nested rows override their allocation and keeps the rest of it', () => {
    const flat = flattenRanges(ranges([0, 100, 'FR'], [10, 20, 'SK'], [50, 60, 'GB'], [200, 210, 'US']));
    expect(flat).toEqual(
      ranges([0, 9, 'FR'], [10, 20, 'SK'], [21, 49, 'FR'], [50, 60, 'GB'], [61, 100, 'FR'], [200, 210, 'US']),
    );
  });

  it('lets a later, wider row on the same start win (as the mmdb does) and merges equal neighbours', () => {
    expect(flattenRanges(ranges([0, 9, 'TW'], [0, 19, 'VN']))).toEqual(ranges([0, 19, 'VN']));
    expect(flattenRanges(ranges([0, 9, 'MX'], [10, 19, 'MX'], [20, 29, 'US']))).toEqual(
      ranges([0, 19, 'MX'], [20, 29, 'US']),
    );
  });

  it('equals painting the rows in order, for random overlapping rows', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 50; round++) {
      const rows: [number, number, string][] = [];
      for (let i = 0; i < 12; i++) {
        const first = random(200);
        rows.push([first, first + random(40), 'ABCD'[random(4)]!]);
      }
      const input = ranges(...rows);
      const flat = flattenRanges(input);
      for (let i = 1; i < flat.first.length; i++) expect(flat.first[i]).toBeGreaterThan(flat.last[i - 1]!);
      for (let point = 0; point < 250; point++)
        expect(lookup(flat, point), `point ${point}`).toBe(painted(input, point));
    }
  });
});
