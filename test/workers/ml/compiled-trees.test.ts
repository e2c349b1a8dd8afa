/**
 * issue #6 - prediction on byte bins (compiled-trees.ts) gives exactly the probabilities of the
 * float walk over the model's thresholds, for forests and boosted trees, with missing values,
 * infinities and values equal to a threshold.
 */
import { describe, expect, it } from 'vitest';
import { binFeatures, binOf } from '../../../src/workers/ml/feature-bins';
import { compileTrees, countBelow } from '../../../src/workers/ml/compiled-trees';
import { predictProbabilities } from '../../../src/workers/ml/ensemble-predict';
import { trainGradientBoosting } from '../../../src/workers/ml/gradient-boosting';
import { trainRandomForest } from '../../../src/workers/ml/random-forest';
import { SeededRandom } from '../../../src/workers/ml/seeded-random';

const FEATURES = 5;

function dataset(rows: number, seed: number): { x: Float64Array; labels: Uint8Array } {
  const random = new SeededRandom(seed);
  const x = new Float64Array(rows * FEATURES);
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    // Few distinct values in feature 0 (so many rows sit exactly on thresholds' neighbours).
    x[i * FEATURES] = Math.floor(random.next() * 12);
    for (let f = 1; f < FEATURES; f++) x[i * FEATURES + f] = random.next() * 10 ** f;
    labels[i] = (x[i * FEATURES]! > 5 ? 1 : 0) + (x[i * FEATURES + 1]! > 5 ? 2 : 0);
    if (random.next() < 0.05) labels[i] = random.integer(4);
    if (random.next() < 0.03) x[i * FEATURES + 2] = NaN;
  }
  return { x, labels };
}

/** Test rows: fresh values plus every model threshold itself, NaN and ±Infinity. */
function probeRows(thresholds: Float64Array[], seed: number): { x: Float64Array; rows: number } {
  const fresh = dataset(3000, seed).x;
  const extra: number[] = [];
  thresholds.forEach((cuts, f) => {
    for (const value of [...cuts, NaN, Infinity, -Infinity, 0, -1]) {
      const row = new Array<number>(FEATURES).fill(1);
      row[f] = value;
      extra.push(...row);
    }
  });
  const x = new Float64Array(fresh.length + extra.length);
  x.set(fresh);
  x.set(extra, fresh.length);
  return { x, rows: x.length / FEATURES };
}

describe('compiled tree prediction', () => {
  const train = dataset(4000, 1);
  const binned = binFeatures(train.x, 4000, FEATURES, new SeededRandom(3));
  const probe = probeRows(binned.thresholds, 2);

  it('countBelow equals binOf for any value, NaN and infinities included', () => {
    const random = new SeededRandom(9);
    for (const cuts of [...binned.thresholds, new Float64Array(0), Float64Array.of(2), Float64Array.of(-Infinity, 0, 3)]) {
      const values = [...cuts, NaN, Infinity, -Infinity, ...Array.from({ length: 500 }, () => (random.next() - 0.3) * 1e4)];
      for (const value of values) expect(countBelow(cuts, value)).toBe(binOf(value, cuts));
    }
  });

  it('a random forest predicts exactly the float walk\'s probabilities', () => {
    const { model } = trainRandomForest(binned, train.labels, 4, { trees: 30, maxDepth: 30, minSamplesLeaf: 1, seed: 4 });
    expect(compileTrees(model, FEATURES)).toBeDefined();
    const compiled = predictProbabilities(model, probe.x, probe.rows, FEATURES);
    const reference = predictProbabilities(model, probe.x, probe.rows, FEATURES, undefined, false);
    expect(Array.from(compiled)).toEqual(Array.from(reference));
    // Not a vacuous comparison: the trees split, and rows land in different leaves.
    expect(new Set(reference).size).toBeGreaterThan(20);
  });

  it('gradient-boosted trees predict exactly the float walk\'s probabilities', () => {
    const { model } = trainGradientBoosting(binned, train.labels, 4, {
      rounds: 15,
      maxDepth: 5,
      learningRate: 0.2,
      subsample: 0.8,
      seed: 5,
    });
    const compiled = predictProbabilities(model, probe.x, probe.rows, FEATURES);
    const reference = predictProbabilities(model, probe.x, probe.rows, FEATURES, undefined, false);
    expect(Array.from(compiled)).toEqual(Array.from(reference));
    expect(new Set(reference).size).toBeGreaterThan(20);
  });

  it('falls back to the float walk when a feature has more thresholds than a byte bin holds', () => {
    const { model } = trainRandomForest(binned, train.labels, 4, { trees: 2, maxDepth: 4, minSamplesLeaf: 1, seed: 4 });
    const splits = model.feature.findIndex((feature) => feature >= 0);
    const many = { ...model, feature: Int32Array.from(model.feature), threshold: Float64Array.from(model.threshold) };
    // 300 extra distinct thresholds on feature 1 in unreachable copies of a split node.
    const extra = 300;
    many.feature = Int32Array.from([...model.feature, ...new Array<number>(extra).fill(1)]);
    many.threshold = Float64Array.from([...model.threshold, ...Array.from({ length: extra }, (_, i) => i + 0.5)]);
    expect(splits).toBeGreaterThanOrEqual(0);
    expect(compileTrees(many, FEATURES)).toBeUndefined();
  });
});
