/**
 * The part of growing a histogram tree that classification (Gini, random forest) and regression
 * (Newton, gradient boosting) trees share: the explicit node stack, the stable in-place
 * partition of a node's rows by the chosen split, the node layout (children side by side) and
 * the importance bookkeeping. What differs, the split criterion and the leaf values, comes from
 * a `NodeCriterion`.
 */
import type { BinnedFeatures } from './feature-bins';
import type { NodeBuffer } from './node-buffer';

/** The best split found for a node (written by NodeCriterion.findSplit). */
export interface SplitChoice {
  feature: number;
  bin: number;
  /** Criterion gain of the split, added to the feature's importance. */
  gain: number;
}

export interface NodeCriterion {
  /** Fills `choice` with the best split of rows[start, end) at `depth`; false: make a leaf. */
  findSplit(rows: Int32Array, start: number, end: number, depth: number, choice: SplitChoice): boolean;
  /** Writes the leaf values of `node` over rows[start, end) (called right after findSplit said no). */
  setLeaf(node: number, rows: Int32Array, start: number, end: number): void;
}

/** Reused between trees: the partition's spill buffer. */
export class GrowScratch {
  spill = new Int32Array(0);
  readonly choice: SplitChoice = { feature: -1, bin: -1, gain: 0 };
}

/** Grows one tree over `rows` (reordered in place) and returns its root node. */
export function growTree(
  data: BinnedFeatures,
  rows: Int32Array,
  criterion: NodeCriterion,
  out: NodeBuffer,
  importance: Float64Array,
  scratch: GrowScratch,
): number {
  const { bins, thresholds } = data;
  const rowCount = data.rows;
  if (scratch.spill.length < rows.length) scratch.spill = new Int32Array(rows.length);
  const spill = scratch.spill;
  const choice = scratch.choice;
  const root = out.addNode();
  // Stack of (node, start, end, depth).
  const stack: number[] = [root, 0, rows.length, 0];
  while (stack.length) {
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const node = stack.pop()!;
    if (!criterion.findSplit(rows, start, end, depth, choice)) {
      criterion.setLeaf(node, rows, start, end);
      continue;
    }
    const { feature, bin } = choice;
    importance[feature]! += choice.gain;
    // Stable partition of rows[start, end), bins <= bin first: rows stay ascending, so the
    // column reads of the children's histograms walk memory forward (cache-friendly).
    const offset = feature * rowCount;
    let low = start;
    let spilled = 0;
    for (let r = start; r < end; r++) {
      const row = rows[r]!;
      if (bins[offset + row]! <= bin) rows[low++] = row;
      else spill[spilled++] = row;
    }
    rows.set(spill.subarray(0, spilled), low);
    const leftNode = out.addNode();
    const rightNode = out.addNode();
    out.setSplit(node, feature, thresholds[feature]![bin]!, leftNode, rightNode);
    stack.push(rightNode, low, end, depth + 1, leftNode, start, low, depth + 1);
  }
  return root;
}
