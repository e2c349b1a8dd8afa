/** RITA beacon scoring formulas (src/main/detect/rita-scoring.ts), checked against hand-worked values. */
import { describe, expect, it } from 'vitest';
import {
  beaconScore,
  bimodalFitScore,
  bowleySkewScore,
  coefficientOfVariationScore,
  connectionHistogram,
  durationScore,
  frequencyCounts,
  legacyBeaconScore,
  madScore,
  median,
  medianAbsoluteDeviation,
  nearestRank,
  quartiles,
  statisticalScore,
} from '../../../src/main/detect/rita-scoring';

describe('RITA v5 statistics', () => {
  it('quartiles follow montanaflynn/stats: medians of the halves, middle value excluded for odd n', () => {
    expect(quartiles([1, 2, 3, 4, 5, 6, 7, 8])).toEqual({ q1: 2.5, q2: 4.5, q3: 6.5 });
    expect(quartiles([1, 2, 3, 4, 5, 6, 7])).toEqual({ q1: 2, q2: 4, q3: 6 });
    expect(quartiles([10, 20, 40])).toEqual({ q1: 10, q2: 20, q3: 40 });
    expect(median([1, 3])).toBe(2);
  });

  it('MAD is the median of absolute deviations from the median', () => {
    // median 4; deviations 3 2 1 0 1 2 96 → sorted 0 1 1 2 2 3 96 → 2
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 5, 6, 100])).toBe(2);
  });

  it('Bowley skew counts only when Q3 - Q1 >= 10 and the median is off both quartiles', () => {
    // (10 + 40 - 2·20) / (40 - 10) = 1/3 → score 2/3
    const skewed = bowleySkewScore({ q1: 10, q2: 20, q3: 40 });
    expect(skewed.skewness).toBeCloseTo(1 / 3, 12);
    expect(skewed.score).toBeCloseTo(2 / 3, 12);
    expect(bowleySkewScore({ q1: 1, q2: 2, q3: 9 })).toEqual({ skewness: 0, score: 1 }); // spread < 10
    expect(bowleySkewScore({ q1: 10, q2: 10, q3: 40 })).toEqual({ skewness: 0, score: 1 }); // Q2 = Q1
  });

  it('MAD score is (median - MAD) / median, the default below a median of 1, never negative', () => {
    expect(madScore(60, 15, 1)).toBe(0.75);
    expect(madScore(0.5, 0, 1)).toBe(1);
    expect(madScore(0.5, 0, 0)).toBe(0);
    expect(madScore(10, 30, 1)).toBe(0);
  });

  it('statistical score is the mean of skew and MAD scores rounded to 3 decimals', () => {
    // skew score 2/3, MAD score (20 - 5)/20 = 0.75 → (0.6667 + 0.75)/2 = 0.70833 → 0.708
    expect(statisticalScore({ q1: 10, q2: 20, q3: 40, mad: 5 }, 1)).toBe(0.708);
  });

  it('coefficient-of-variation score of the 24 bins', () => {
    expect(coefficientOfVariationScore(new Array(24).fill(5))).toBe(1);
    // 12 bins of 2, 12 of 0: mean 1, population σ 1 → cv 1 → score 0
    expect(coefficientOfVariationScore([...new Array(12).fill(2), ...new Array(12).fill(0)])).toBe(0);
    // [1, 3]: mean 2, σ 1 → cv 0.5 → 0.5
    expect(coefficientOfVariationScore([1, 3])).toBe(0.5);
  });

  it('frequency counts bin bar heights by ceil(max · sensitivity) and find the longest run with wrap-around', () => {
    const bars = [10, 10, 0, 20, 20, 20, 0, 10];
    const { frequencies, totalBars, longestRun } = frequencyCounts(bars, 0.05);
    expect(totalBars).toBe(6);
    expect([...frequencies.entries()].sort()).toEqual([
      [10, 3],
      [20, 3],
    ]);
    expect(longestRun).toBe(3); // 20 20 20, and the wrap 10 | 10 10 is also 3
    expect(frequencyCounts(new Array(24).fill(1), 0.05).longestRun).toBe(24);
  });

  it('bimodal fit = top two height groups / (bars - outliers), from 11 bars on', () => {
    const twelveBars = new Map([
      [10, 6],
      [20, 5],
      [40, 1],
    ]);
    // (6 + 5) / (12 - 1) = 1
    expect(bimodalFitScore(twelveBars, 12, 1, 11)).toBe(1);
    expect(bimodalFitScore(new Map([[10, 4], [20, 3], [30, 3]]), 10, 1, 11)).toBe(0); // too few bars
  });

  it('duration score = max(coverage, consistency) once enough bins are seen', () => {
    const score = durationScore({ datasetStart: 0, datasetEnd: 1000, first: 100, last: 600, totalBars: 8, longestRun: 3, minHours: 6, idealHours: 12 });
    expect(score).toEqual({ coverage: 0.5, consistency: 0.25, score: 0.5 });
    expect(durationScore({ datasetStart: 0, datasetEnd: 1000, first: 0, last: 1000, totalBars: 5, longestRun: 5, minHours: 6, idealHours: 12 }).score).toBe(0);
  });

  it('24-bin histogram over the dataset span: the end itself falls in the last bin', () => {
    // step 100 s: 0, 1, 99 in bin 0; 100 in bin 1; 2399 and the end 2400 in bin 23
    const bins = connectionHistogram([0, 1, 99, 100, 2399, 2400], 0, 2400);
    expect(bins).toHaveLength(24);
    expect(bins[0]).toBe(3);
    expect(bins[1]).toBe(1);
    expect(bins[23]).toBe(2);
    expect(bins.reduce((sum, count) => sum + count, 0)).toBe(6);
  });

  it('beacon score is the equal-weight mean of the four sub-scores, 3 decimals', () => {
    expect(beaconScore(1, 0.9, 0.8, 0.7)).toBe(0.85);
    expect(beaconScore(0.333, 0.333, 0.333, 0.334)).toBe(0.333);
  });
});

describe('RITA v3 connection-count / smallness variant', () => {
  it('uses nearest-rank quartiles and the 30 s / 32 byte dispersion cut-offs', () => {
    expect(nearestRank([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(nearestRank([1, 2, 3, 4], 0.5)).toBe(3); // round(1.5) = 2 → third value
    const result = legacyBeaconScore({
      intervals: { q1: 60, q2: 60, q3: 60, madm: 0 },
      sizes: { q1: 100, q2: 100, q3: 100, madm: 16, mode: 6553.5 },
      connections: 30,
      datasetSpanSeconds: 600, // 600 / 10 = 60 expected slots → 30 / 60 = 0.5
    });
    // ts: (1 + 1 + 0.5) / 3 = 0.8334 (ceil); ds: (1 + 0.5 + 0.9) / 3 = 0.8; total (2.5 + 2.4) / 6 = 0.8167 → 0.817
    expect(result.connCountScore).toBe(0.5);
    expect(result.smallnessScore).toBeCloseTo(0.9, 12);
    expect(result.tsScore).toBe(0.834);
    expect(result.dsScore).toBe(0.8);
    expect(result.score).toBe(0.817);
  });
});
