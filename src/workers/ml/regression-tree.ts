/**
 * One Newton regression tree for gradient boosting (XGBoost's split gain and leaf weight with
 * L2 regularisation lambda): histograms of gradient and hessian sums per bin.
 * Leaves hold -G/(H + lambda) times the learning rate.
 */
import type { BinnedFeatures } from './feature-bins';
import { MAX_BINS } from './feature-bins';
import type { NodeBuffer } from './node-buffer';
import { GrowScratch, growTree } from './tree-grower';
import type { NodeCriterion, SplitChoice } from './tree-grower';

export interface RegressionTreeOptions {
  maxDepth: number;
  minChildWeight: number;
  lambda: number;
  learningRate: number;
}

export class RegressionScratch {
  readonly gradientSums = new Float64Array(MAX_BINS);
  readonly hessianSums = new Float64Array(MAX_BINS);
  readonly grow = new GrowScratch();
}

/** Grows a tree over `rows` (reordered in place); adds split gains to `importance`. */
export function growRegressionTree(
  data: BinnedFeatures,
  gradient: Float64Array,
  hessian: Float64Array,
  rows: Int32Array,
  options: RegressionTreeOptions,
  out: NodeBuffer,
  importance: Float64Array,
  scratch: RegressionScratch,
): number {
  const { bins, thresholds } = data;
  const rowCount = data.rows;
  const { gradientSums, hessianSums } = scratch;
  const lambda = options.lambda;
  // Gradient and hessian sums of the node findSplit last looked at (setLeaf's weight).
  let g = 0;
  let h = 0;
  const criterion: NodeCriterion = {
    findSplit(rows: Int32Array, start: number, end: number, depth: number, choice: SplitChoice): boolean {
      g = 0;
      h = 0;
      for (let r = start; r < end; r++) {
        g += gradient[rows[r]!]!;
        h += hessian[rows[r]!]!;
      }
      const parentScore = (g * g) / (h + lambda);
      let bestScore = parentScore + 1e-12;
      let bestFeature = -1;
      let bestBin = -1;
      if (depth >= options.maxDepth || h < 2 * options.minChildWeight || end - start < 2) return false;
      for (let feature = 0; feature < data.features; feature++) {
        const cuts = thresholds[feature]!;
        if (cuts.length === 0) continue;
        const binCount = cuts.length + 1;
        gradientSums.fill(0, 0, binCount);
        hessianSums.fill(0, 0, binCount);
        const offset = feature * rowCount;
        for (let r = start; r < end; r++) {
          const row = rows[r]!;
          const bin = bins[offset + row]!;
          gradientSums[bin]! += gradient[row]!;
          hessianSums[bin]! += hessian[row]!;
        }
        let leftG = 0;
        let leftH = 0;
        for (let bin = 0; bin < binCount - 1; bin++) {
          leftG += gradientSums[bin]!;
          leftH += hessianSums[bin]!;
          if (leftH < options.minChildWeight) continue;
          const rightH = h - leftH;
          if (rightH < options.minChildWeight) break;
          const rightG = g - leftG;
          const score = (leftG * leftG) / (leftH + lambda) + (rightG * rightG) / (rightH + lambda);
          if (score > bestScore) {
            bestScore = score;
            bestFeature = feature;
            bestBin = bin;
          }
        }
      }
      if (bestFeature < 0) return false;
      choice.feature = bestFeature;
      choice.bin = bestBin;
      choice.gain = bestScore - parentScore;
      return true;
    },
    setLeaf(node: number): void {
      const slot = out.setLeaf(node);
      out.leafValues[slot] = (-g / (h + lambda)) * options.learningRate;
    },
  };
  return growTree(data, rows, criterion, out, importance, scratch.grow);
}
