/** issue #6 - the worker's own learners on synthetic data with a known answer. */
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../../src/shared/ml/model-codec';
import { predictProbabilities } from '../../../src/workers/ml/ensemble-predict';
import { binFeatures, binOf } from '../../../src/workers/ml/feature-bins';
import { trainGradientBoosting } from '../../../src/workers/ml/gradient-boosting';
import { trainLogisticRegression } from '../../../src/workers/ml/logistic-regression';
import { runPredictTask } from '../../../src/workers/ml/ml-worker';
import { trainRandomForest } from '../../../src/workers/ml/random-forest';
import { SeededRandom } from '../../../src/workers/ml/seeded-random';
import { groupSplit, stratifiedSplit } from '../../../src/workers/ml/split-rows';
import { runTrainTask } from '../../../src/workers/ml/train-task';

const FEATURES = 6;

/**
 * Three classes by the first two features (a checkerboard-like rule no single threshold or
 * line separates), feature 2 on a byte/s scale, the rest noise, some cells missing (NaN).
 */
function dataset(rows: number, seed: number): { x: Float64Array; labels: Uint8Array } {
  const random = new SeededRandom(seed);
  const x = new Float64Array(rows * FEATURES);
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < FEATURES; f++) x[i * FEATURES + f] = random.next();
    const a = x[i * FEATURES]!;
    const b = x[i * FEATURES + 1]!;
    labels[i] = a > 0.7 ? 2 : a > 0.35 !== b > 0.5 ? 1 : 0;
    x[i * FEATURES + 2] = x[i * FEATURES + 2]! * 1e9;
    if (random.next() < 0.02) x[i * FEATURES + 3] = NaN;
  }
  return { x, labels };
}

function accuracy(probabilities: Float64Array, labels: Uint8Array, classes: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if (probabilities[i * classes + c]! > probabilities[i * classes + best]!) best = c;
    if (best === labels[i]) correct++;
  }
  return correct / labels.length;
}

const train = dataset(4000, 1);
const test = dataset(2000, 2);

describe('feature bins', () => {
  it('bin <= b exactly when !(value > threshold[b]): training and prediction route rows alike', () => {
    const random = new SeededRandom(5);
    const values = Float64Array.from({ length: 3000 }, (_, i) =>
      i % 97 === 0 ? NaN : Math.round(random.next() * 1000) / 10,
    );
    const binned = binFeatures(values, values.length, 1, random);
    const cuts = binned.thresholds[0]!;
    expect(cuts.length).toBeGreaterThan(100);
    expect(cuts.length).toBeLessThanOrEqual(255);
    for (let i = 0; i < values.length; i++) {
      const bin = binned.bins[i]!;
      expect(bin).toBe(binOf(values[i]!, cuts));
      for (const b of [0, 50, cuts.length - 1]) expect(bin <= b).toBe(!(values[i]! > cuts[b]!));
    }
    expect(binOf(NaN, cuts)).toBe(0);
    expect(binOf(Infinity, cuts)).toBe(cuts.length);
  });
});

describe('learners', () => {
  it('random forest learns the rule, is deterministic for a seed, and ranks the informative features first', () => {
    const binned = binFeatures(train.x, 4000, FEATURES, new SeededRandom(1));
    const first = trainRandomForest(binned, train.labels, 3, {
      trees: 30,
      maxDepth: 40,
      minSamplesLeaf: 1,
      seed: 9,
    });
    const again = trainRandomForest(binned, train.labels, 3, {
      trees: 30,
      maxDepth: 40,
      minSamplesLeaf: 1,
      seed: 9,
    });
    expect(Array.from(again.model.threshold)).toEqual(Array.from(first.model.threshold));
    const p = predictProbabilities(first.model, test.x, 2000, FEATURES);
    expect(accuracy(p, test.labels, 3)).toBeGreaterThan(0.95);
    const ranked = Array.from(first.importance.keys()).sort(
      (a, b) => first.importance[b]! - first.importance[a]!,
    );
    expect(ranked.slice(0, 2).sort()).toEqual([0, 1]);
    // Probabilities of each row sum to 1.
    for (let i = 0; i < 10; i++) expect(p[i * 3]! + p[i * 3 + 1]! + p[i * 3 + 2]!).toBeCloseTo(1, 10);
  });

  it('gradient-boosted trees learn the rule', () => {
    const binned = binFeatures(train.x, 4000, FEATURES, new SeededRandom(1));
    const { model } = trainGradientBoosting(binned, train.labels, 3, {
      rounds: 40,
      maxDepth: 4,
      learningRate: 0.3,
      subsample: 0.8,
      seed: 3,
    });
    expect(model.roots.length).toBe(120);
    expect(accuracy(predictProbabilities(model, test.x, 2000, FEATURES), test.labels, 3)).toBeGreaterThan(
      0.95,
    );
  });

  it('logistic regression separates linearly separable classes, including byte/s-scale features', () => {
    const random = new SeededRandom(4);
    const rows = 3000;
    const x = new Float64Array(rows * 2);
    const labels = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) {
      x[i * 2] = random.next() * 1e6;
      x[i * 2 + 1] = random.next();
      labels[i] = x[i * 2]! > 1000 ? 1 : 0;
    }
    const { model } = trainLogisticRegression(x, rows, 2, labels, 2, {
      epochs: 20,
      batchSize: 64,
      learningRate: 0.05,
      l2: 0,
      seed: 1,
    });
    expect(accuracy(predictProbabilities(model, x, rows, 2), labels, 2)).toBeGreaterThan(0.97);
  });
});

describe('splits and the worker tasks', () => {
  it('a stratified split keeps each class share; a group split never puts a group on both sides', () => {
    const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : i < 990 ? 1 : 2));
    const split = stratifiedSplit(labels, 3, 0.2, 1);
    const count = (rows: Int32Array, c: number) => Array.from(rows).filter((row) => labels[row] === c).length;
    expect([count(split.test, 0), count(split.test, 1), count(split.test, 2)]).toEqual([180, 18, 2]);
    expect(split.train.length + split.test.length).toBe(1000);
    // Groups 0-9 hold class 0, 10-13 class 1; group 0 is huge and cannot fit a 30% test share.
    const groups = Int32Array.from({ length: 1000 }, (_, i) =>
      i < 600 ? 0 : i < 900 ? 1 + (i % 9) : 10 + (i % 4),
    );
    const groupLabels = Uint8Array.from(groups, (group) => (group >= 10 ? 1 : 0));
    const byGroup = groupSplit(groups, groupLabels, 2, 0.3, 2);
    const trainGroups = new Set(Array.from(byGroup.train, (row) => groups[row]));
    const testGroups = new Set(Array.from(byGroup.test, (row) => groups[row]));
    expect([...testGroups].filter((group) => trainGroups.has(group))).toEqual([]);
    expect(testGroups.has(0)).toBe(false);
    // Both classes on both sides; class 0's test share stays within 1.25 x 30% of its 900 rows.
    expect([...testGroups].some((group) => group! >= 10)).toBe(true);
    expect([...trainGroups].some((group) => group! >= 10)).toBe(true);
    const testClass0 = Array.from(byGroup.test).filter((row) => groupLabels[row] === 0).length;
    expect(testClass0).toBeGreaterThan(0);
    expect(testClass0).toBeLessThanOrEqual(0.3 * 900 * 1.25);
  });

  it('the train task evaluates on held-out rows and its model predicts through the predict task', () => {
    const result = runTrainTask({
      op: 'train',
      kind: 'rf',
      x: train.x.slice(),
      rows: 4000,
      features: FEATURES,
      labels: train.labels,
      classes: ['zero', 'one', 'two'],
      groups: new Int32Array(4000),
      split: 'stratified',
      testSize: 0.25,
      seed: 1,
      params: { trees: 20, maxDepth: 40, minSamplesLeaf: 1, learningRate: 0 },
    });
    // 25% of each class, rounded per class.
    expect(Math.abs(result.metrics.testRows - 1000)).toBeLessThanOrEqual(2);
    expect(result.metrics.trainRows + result.metrics.testRows).toBe(4000);
    expect(result.metrics.macroF1).toBeGreaterThan(0.93);
    expect(Object.keys(result.metrics.curves)).toEqual(['zero', 'one', 'two']);
    expect(decodeModel(result.model).type).toBe('forest');
    const predicted = runPredictTask({
      op: 'predict',
      modelKey: 'k',
      model: result.model,
      x: test.x,
      rows: 2000,
      features: FEATURES,
    });
    let correct = 0;
    for (let i = 0; i < 2000; i++) if (predicted.predicted[i] === test.labels[i]) correct++;
    expect(correct / 2000).toBeGreaterThan(0.93);
    for (let i = 0; i < 2000; i++) {
      expect(predicted.probability[i]).toBeGreaterThanOrEqual(1 / 3 - 1e-9);
      expect(predicted.uncertainty[i]).toBeGreaterThanOrEqual(0);
      expect(predicted.uncertainty[i]).toBeLessThanOrEqual(1);
    }
  });
});
