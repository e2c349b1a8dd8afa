/**
 * One CART classification tree (Gini impurity) on binned features, as grown for a random
 * forest: rows carry bootstrap weights, each node tries `featuresPerSplit` random features.
 * Iterative (explicit stack) with the node's rows partitioned in place, so nothing is allocated
 * per node but the output arrays.
 */
import type { BinnedFeatures } from './feature-bins';
import { MAX_BINS } from './feature-bins';
import type { NodeBuffer } from './node-buffer';
import type { SeededRandom } from './seeded-random';
import { GrowScratch, growTree } from './tree-grower';
import type { NodeCriterion, SplitChoice } from './tree-grower';

export interface ClassTreeOptions {
  maxDepth: number;
  minSamplesLeaf: number;
  featuresPerSplit: number;
}

/** Scratch reused by every tree of one forest. */
export class ClassTreeScratch {
  readonly histogram: Float64Array;
  readonly parentCounts: Float64Array;
  readonly leftCounts: Float64Array;
  readonly featureOrder: Int32Array;
  readonly binTotals = new Float64Array(MAX_BINS);
  readonly occupied = new Uint8Array(MAX_BINS);
  readonly grow = new GrowScratch();

  constructor(classCount: number, featureCount: number) {
    this.histogram = new Float64Array(MAX_BINS * classCount);
    this.parentCounts = new Float64Array(classCount);
    this.leftCounts = new Float64Array(classCount);
    this.featureOrder = Int32Array.from({ length: featureCount }, (_, index) => index);
  }
}

/**
 * Grows a tree over `rows` (indices with weight > 0; reordered in place) and returns its root.
 * Adds each split's impurity decrease (in weighted samples) to `importance[feature]`.
 */
export function growClassificationTree(
  data: BinnedFeatures,
  labels: Uint8Array,
  classCount: number,
  weights: Float64Array,
  rows: Int32Array,
  options: ClassTreeOptions,
  random: SeededRandom,
  out: NodeBuffer,
  importance: Float64Array,
  scratch: ClassTreeScratch,
): number {
  const { bins, thresholds } = data;
  const rowCount = data.rows;
  const { histogram, parentCounts: counts, leftCounts, featureOrder, binTotals, occupied } = scratch;
  // The weighted class counts of the node findSplit last looked at (setLeaf's distribution).
  let total = 0;
  const criterion: NodeCriterion = {
    findSplit(rows: Int32Array, start: number, end: number, depth: number, choice: SplitChoice): boolean {
      counts.fill(0);
      total = 0;
      for (let r = start; r < end; r++) {
        const row = rows[r]!;
        const weight = weights[row]!;
        counts[labels[row]!]! += weight;
        total += weight;
      }
      let parentScore = 0;
      let nonZero = 0;
      for (let c = 0; c < classCount; c++) {
        parentScore += counts[c]! * counts[c]!;
        if (counts[c]! > 0) nonZero++;
      }
      parentScore /= total;
      let bestFeature = -1;
      let bestBin = -1;
      let bestScore = parentScore + 1e-9 * total;
      if (depth >= options.maxDepth || nonZero <= 1 || total < 2 * options.minSamplesLeaf) return false;
      // Partial Fisher-Yates: the first featuresPerSplit entries become a random subset.
      const featureCount = featureOrder.length;
      for (let k = 0; k < options.featuresPerSplit && k < featureCount; k++) {
        const pick = k + random.integer(featureCount - k);
        const feature = featureOrder[pick]!;
        featureOrder[pick] = featureOrder[k]!;
        featureOrder[k] = feature;
        if (thresholds[feature]!.length === 0) continue;
        // The histogram is all zeros between uses; only the bins the node's rows occupy are
        // scanned (in bin order) and cleared, so a small node costs O(rows), not O(256 bins).
        const offset = feature * rowCount;
        let occupiedCount = 0;
        for (let r = start; r < end; r++) {
          const row = rows[r]!;
          const bin = bins[offset + row]!;
          const weight = weights[row]!;
          if (binTotals[bin] === 0) occupied[occupiedCount++] = bin;
          binTotals[bin]! += weight;
          histogram[bin * classCount + labels[row]!]! += weight;
        }
        // Visit occupied bins in ascending order: sort the few, or walk all bins for many.
        const sparse = occupiedCount <= 48;
        if (sparse) insertionSort(occupied, occupiedCount);
        const visits = sparse ? occupiedCount : MAX_BINS;
        leftCounts.fill(0);
        let leftTotal = 0;
        let seen = 0;
        for (let j = 0; j < visits && seen < occupiedCount - 1; j++) {
          const bin = sparse ? occupied[j]! : j;
          const binTotal = binTotals[bin]!;
          if (binTotal === 0) continue;
          seen++;
          for (let c = 0; c < classCount; c++) leftCounts[c]! += histogram[bin * classCount + c]!;
          leftTotal += binTotal;
          const rightTotal = total - leftTotal;
          if (leftTotal < options.minSamplesLeaf) continue;
          if (rightTotal < options.minSamplesLeaf) break;
          let leftSquares = 0;
          let rightSquares = 0;
          for (let c = 0; c < classCount; c++) {
            const left = leftCounts[c]!;
            const right = counts[c]! - left;
            leftSquares += left * left;
            rightSquares += right * right;
          }
          const score = leftSquares / leftTotal + rightSquares / rightTotal;
          if (score > bestScore) {
            bestScore = score;
            bestFeature = feature;
            bestBin = bin;
          }
        }
        for (let j = 0; j < occupiedCount; j++) {
          const bin = occupied[j]!;
          binTotals[bin] = 0;
          for (let c = 0; c < classCount; c++) histogram[bin * classCount + c] = 0;
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
      const base = slot * classCount;
      for (let c = 0; c < classCount; c++) out.leafValues[base + c] = counts[c]! / total;
    },
  };
  return growTree(data, rows, criterion, out, importance, scratch.grow);
}

function insertionSort(values: Uint8Array, count: number): void {
  for (let i = 1; i < count; i++) {
    const value = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! > value) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = value;
  }
}
