/** issue #6 - k-fold cross-validation: stratified and grouped folds, per-fold macro-F1, mean ± std. */
import { describe, expect, it } from 'vitest';
import { checkTrainRequest } from '../../../src/main/ml/train-request-checks';
import { crossValidationText } from '../../../src/renderer/src/models/model-rows';
import { SeededRandom } from '../../../src/workers/ml/seeded-random';
import { foldOfRows } from '../../../src/workers/ml/split-rows';
import { runTrainTask } from '../../../src/workers/ml/train-task';

const FEATURES = 4;

function dataset(rows: number, seed: number) {
  const random = new SeededRandom(seed);
  const x = new Float64Array(rows * FEATURES);
  const labels = new Uint8Array(rows);
  const groups = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < FEATURES; f++) x[i * FEATURES + f] = random.next();
    // A rare third class (about 2 %), as the CICIDS2017 web attacks.
    labels[i] = x[i * FEATURES]! > 0.98 ? 2 : x[i * FEATURES + 1]! > 0.5 ? 1 : 0;
    groups[i] = i % 7;
  }
  return { x, labels, groups };
}

describe('cross-validation folds', () => {
  const { labels, groups } = dataset(3000, 1);

  it('stratified folds hold each class evenly (within one row) and cover every row once', () => {
    const folds = foldOfRows(labels, 3, 5, 7);
    for (let c = 0; c < 3; c++) {
      const perFold = [0, 1, 2, 3, 4].map((k) => labels.filter((label, row) => label === c && folds[row] === k).length);
      expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
      expect(Math.min(...perFold)).toBeGreaterThan(0);
    }
    expect(Math.max(...folds)).toBe(4);
  });

  it('grouped folds keep every group in one fold, and need at least k groups', () => {
    const folds = foldOfRows(labels, 3, 3, 7, groups);
    const foldOfGroup = new Map<number, number>();
    groups.forEach((group, row) => {
      if (!foldOfGroup.has(group)) foldOfGroup.set(group, folds[row]!);
      expect(folds[row]).toBe(foldOfGroup.get(group));
    });
    expect(new Set(foldOfGroup.values()).size).toBe(3);
    expect(() => foldOfRows(labels, 3, 8, 7, groups)).toThrow(/at least 8 captures or datasets/);
  });
});

describe('train task with cross-validation', () => {
  it('reports each fold\'s held-out macro-F1 with their mean and sample std, then trains the final model', () => {
    const { x, labels, groups } = dataset(3000, 2);
    const result = runTrainTask({
      op: 'train',
      kind: 'rf',
      x,
      rows: 3000,
      features: FEATURES,
      labels,
      classes: ['a', 'b', 'rare'],
      groups,
      split: 'stratified',
      testSize: 0.2,
      seed: 1,
      cvFolds: 4,
      params: { trees: 15, maxDepth: 12, minSamplesLeaf: 1, learningRate: 0 },
    });
    const cv = result.metrics.crossValidation!;
    expect(cv.folds).toBe(4);
    expect(cv.macroF1).toHaveLength(4);
    const mean = cv.macroF1.reduce((a, b) => a + b, 0) / 4;
    expect(cv.meanMacroF1).toBeCloseTo(mean, 12);
    expect(cv.stdMacroF1).toBeCloseTo(Math.sqrt(cv.macroF1.reduce((a, b) => a + (b - mean) ** 2, 0) / 3), 12);
    // The rule is learnable: every fold scores well, but not identically.
    for (const value of cv.macroF1) expect(value).toBeGreaterThan(0.8);
    expect(new Set(cv.macroF1).size).toBeGreaterThan(1);
    expect(result.metrics.testRows).toBe(600);
    expect(crossValidationText(result)).toMatch(/^\d+\.\d % ± \d+\.\d \(4-fold, stratified\)$/);
  });

  it('validates cvFolds in requests: 2..20, 0 means none', () => {
    expect(checkTrainRequest({ kind: 'rf', cvFolds: 5 }).cvFolds).toBe(5);
    expect(checkTrainRequest({ kind: 'rf', cvFolds: 0 }).cvFolds).toBeUndefined();
    expect(() => checkTrainRequest({ kind: 'rf', cvFolds: 1 })).toThrow(/cvFolds/);
    expect(() => checkTrainRequest({ kind: 'rf', cvFolds: 21 })).toThrow(/cvFolds/);
  });
});
