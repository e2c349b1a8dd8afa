/**
 * Gradient-boosted trees with the softmax (multinomial deviance) loss: each round fits one Newton
 * regression tree per class on a row subsample (Friedman's stochastic gradient boosting), as
 * XGBoost/LightGBM do for multi-class.
 *
 * Why our own: no maintained pure-JavaScript trainer exists on npm (ml-xgboost is an unmaintained
 * WebAssembly build of 2019; xgboost-scorer only scores), and the trees reuse the random forest's
 * histogram binning.
 */
import type { TreeEnsembleModel } from '../../shared/ml/model-codec';
import type { BinnedFeatures } from './feature-bins';
import { NodeBuffer } from './node-buffer';
import { growRegressionTree, RegressionScratch } from './regression-tree';
import { normalize } from './random-forest';
import { SeededRandom } from './seeded-random';

export interface BoostingOptions {
  rounds: number;
  maxDepth: number;
  learningRate: number;
  subsample: number;
  seed: number;
  onRound?: (done: number, total: number) => void;
}

export function trainGradientBoosting(
  data: BinnedFeatures,
  labels: Uint8Array,
  classCount: number,
  options: BoostingOptions,
): { model: TreeEnsembleModel; importance: Float64Array } {
  const n = data.rows;
  const random = new SeededRandom(options.seed);
  const buffer = new NodeBuffer(1);
  const importance = new Float64Array(data.features);
  const scratch = new RegressionScratch();
  // Initial scores: log class priors.
  const prior = new Float64Array(classCount);
  for (let i = 0; i < n; i++) prior[labels[i]!]! += 1;
  const baseScore = prior.map((count) => Math.log(Math.max(count, 1) / n));
  const scores = new Float64Array(n * classCount);
  for (let i = 0; i < n; i++) scores.set(baseScore, i * classCount);
  const probabilities = new Float64Array(classCount);
  const gradients = Array.from({ length: classCount }, () => new Float64Array(n));
  const hessians = Array.from({ length: classCount }, () => new Float64Array(n));
  const roots: number[] = [];
  const treeClass: number[] = [];
  const sampleSize = Math.max(1, Math.round(n * options.subsample));
  const all = Int32Array.from({ length: n }, (_, index) => index);
  const treeOptions = {
    maxDepth: options.maxDepth,
    minChildWeight: 1e-3,
    lambda: 1,
    learningRate: options.learningRate,
  };
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < n; i++) {
      const base = i * classCount;
      let max = -Infinity;
      for (let c = 0; c < classCount; c++) max = Math.max(max, scores[base + c]!);
      let sum = 0;
      for (let c = 0; c < classCount; c++) sum += probabilities[c] = Math.exp(scores[base + c]! - max);
      for (let c = 0; c < classCount; c++) {
        const p = probabilities[c]! / sum;
        gradients[c]![i] = p - (labels[i] === c ? 1 : 0);
        hessians[c]![i] = Math.max(p * (1 - p), 1e-6);
      }
    }
    // Rows of this round: a random subsample without replacement, ascending for cache-friendly reads.
    random.shuffle(all);
    const rows = all.slice(0, sampleSize).sort();
    for (let c = 0; c < classCount; c++) {
      const root = growRegressionTree(
        data,
        gradients[c]!,
        hessians[c]!,
        rows.slice(),
        treeOptions,
        buffer,
        importance,
        scratch,
      );
      roots.push(root);
      treeClass.push(c);
      // Update every row's score (not only the subsample) with the new tree.
      updateScores(buffer, root, data, scores, classCount, c);
    }
    options.onRound?.(round + 1, options.rounds);
  }
  const arrays = buffer.finish();
  return {
    model: {
      type: 'boosted',
      classCount,
      roots: Int32Array.from(roots),
      ...arrays,
      valueWidth: 1,
      treeClass: Int32Array.from(treeClass),
      baseScore,
    },
    importance: normalize(importance),
  };
}

/** Adds the tree's leaf value to each row's class score, walking the binned features. */
function updateScores(
  buffer: NodeBuffer,
  root: number,
  data: BinnedFeatures,
  scores: Float64Array,
  classCount: number,
  target: number,
): void {
  const { feature, threshold, left, right, leafValues } = buffer;
  const n = data.rows;
  for (let i = 0; i < n; i++) {
    let node = root;
    while (feature[node]! >= 0) {
      const f = feature[node]!;
      // bin <= the split's bin  ⇔  value <= threshold: compare bins through the threshold's bin.
      node = binGoesRight(data, f, i, threshold[node]!) ? right[node]! : left[node]!;
    }
    scores[i * classCount + target]! += leafValues[left[node]!]!;
  }
}

function binGoesRight(data: BinnedFeatures, feature: number, row: number, threshold: number): boolean {
  const bin = data.bins[feature * data.rows + row]!;
  // The split threshold is thresholds[feature][bestBin]; rows go right when their bin > bestBin,
  // i.e. when the threshold of their own bin's lower neighbour is >= the split threshold.
  return bin > 0 && data.thresholds[feature]![bin - 1]! >= threshold;
}
