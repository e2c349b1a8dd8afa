/** Class probabilities from a trained model for a row-major feature matrix. */
import type { LinearModel, TrainedModel, TreeEnsembleModel } from '../../shared/ml/model-codec';
import type { CompiledTrees } from './compiled-trees';
import { binRows, compileTrees, leafNodes } from './compiled-trees';

/** Fills `out` (rows × classCount) with class probabilities; returns it. */
export function predictProbabilities(
  model: TrainedModel,
  x: Float64Array,
  rows: number,
  features: number,
  out = new Float64Array(rows * model.classCount),
  /** false: walk the trees on the float values (the reference the compiled walk must equal). */
  compiled = true,
): Float64Array {
  if (model.type === 'linear') return predictLinear(model, x, rows, features, out);
  if (model.type === 'forest') return predictForest(model, x, rows, features, out, compiled);
  return predictBoosted(model, x, rows, features, out, compiled);
}

/**
 * Rows are visited in blocks, tree by tree: one tree's nodes stay in the CPU cache for a whole
 * block instead of every row walking all trees (100 deep trees are tens of MB), which made
 * row-by-row prediction several times slower.
 */
const BLOCK_ROWS = 2048;

/** For each row of [start, end), the leaf slot of the tree rooted at `root` → slots[row - start]. */
function leafSlots(
  model: TreeEnsembleModel,
  root: number,
  x: Float64Array,
  features: number,
  start: number,
  end: number,
  slots: Int32Array,
): void {
  const { feature, threshold, left } = model;
  for (let row = start; row < end; row++) {
    const base = row * features;
    let node = root;
    let split = feature[node]!;
    while (split >= 0) {
      // The growers allocate a split's children together (right = left + 1). NaN (missing)
      // goes left, as it falls in the lowest bin during training.
      node = left[node]! + (x[base + split]! > threshold[node]! ? 1 : 0);
      split = feature[node]!;
    }
    slots[row - start] = left[node]!;
  }
}

/** Compiled once per model object (the worker keeps its decoded model between blocks). */
const compiledCache = new WeakMap<TreeEnsembleModel, CompiledTrees | null>();

function compiledOf(model: TreeEnsembleModel, features: number): CompiledTrees | null {
  let compiled = compiledCache.get(model);
  if (compiled === undefined) {
    compiled = compileTrees(model, features) ?? null;
    compiledCache.set(model, compiled);
  }
  return compiled;
}

/**
 * Visits the rows block by block and, per block, tree by tree; `add(tree, start, count, leaves)`
 * gets each row's leaf: a node index into `compiled.nodes` when compiled, else the leaf slot.
 */
function forEachLeaf(
  model: TreeEnsembleModel,
  x: Float64Array,
  rows: number,
  features: number,
  useCompiled: boolean,
  add: (tree: number, start: number, count: number, leaves: Int32Array, compiled: CompiledTrees | null) => void,
): void {
  const compiled = useCompiled ? compiledOf(model, features) : null;
  const leaves = new Int32Array(BLOCK_ROWS);
  const bins = new Uint8Array(BLOCK_ROWS * features);
  const trees = model.roots.length;
  for (let start = 0; start < rows; start += BLOCK_ROWS) {
    const end = Math.min(rows, start + BLOCK_ROWS);
    if (compiled) binRows(compiled, x, features, start, end, bins);
    for (let tree = 0; tree < trees; tree++) {
      const root = model.roots[tree]!;
      if (compiled) leafNodes(compiled.nodes, root, bins, features, end - start, leaves);
      else leafSlots(model, root, x, features, start, end, leaves);
      add(tree, start, end - start, leaves, compiled);
    }
  }
}

function predictForest(
  model: TreeEnsembleModel,
  x: Float64Array,
  rows: number,
  features: number,
  out: Float64Array,
  useCompiled: boolean,
): Float64Array {
  const classes = model.classCount;
  const trees = model.roots.length;
  const values = model.leafValues;
  out.fill(0, 0, rows * classes);
  forEachLeaf(model, x, rows, features, useCompiled, (_tree, start, count, leaves, compiled) => {
    for (let i = 0; i < count; i++) {
      const target = (start + i) * classes;
      let slot = leaves[i]!;
      if (compiled) {
        const code = compiled.nodes[slot * 2]!;
        // A pure leaf adds exactly 1 to its class (and 0, a no-op, to the others).
        if (code < -1) {
          out[target - 2 - code]! += 1;
          continue;
        }
        slot = compiled.nodes[slot * 2 + 1]!;
      }
      const base = slot * classes;
      for (let c = 0; c < classes; c++) out[target + c]! += values[base + c]!;
    }
  });
  for (let i = 0; i < rows * classes; i++) out[i]! /= trees;
  return out;
}

function predictBoosted(
  model: TreeEnsembleModel,
  x: Float64Array,
  rows: number,
  features: number,
  out: Float64Array,
  useCompiled: boolean,
): Float64Array {
  const classes = model.classCount;
  for (let row = 0; row < rows; row++)
    for (let c = 0; c < classes; c++) out[row * classes + c] = model.baseScore[c]!;
  forEachLeaf(model, x, rows, features, useCompiled, (tree, start, count, leaves, compiled) => {
    const target = model.treeClass[tree]!;
    for (let i = 0; i < count; i++) {
      const slot = compiled ? compiled.nodes[leaves[i]! * 2 + 1]! : leaves[i]!;
      out[(start + i) * classes + target]! += model.leafValues[slot]!;
    }
  });
  for (let row = 0; row < rows; row++) softmaxInPlace(out, row * classes, classes);
  return out;
}

function predictLinear(
  model: LinearModel,
  x: Float64Array,
  rows: number,
  features: number,
  out: Float64Array,
): Float64Array {
  const classes = model.classCount;
  const z = new Float64Array(features);
  for (let row = 0; row < rows; row++) {
    standardizeRow(model, x, row * features, z);
    const target = row * classes;
    for (let c = 0; c < classes; c++) {
      const w = c * (features + 1);
      let sum = model.weights[w + features]!;
      for (let f = 0; f < features; f++) sum += model.weights[w + f]! * z[f]!;
      out[target + c] = sum;
    }
    softmaxInPlace(out, target, classes);
  }
  return out;
}

/** sign(x)·log1p(|x|), standardized; missing → 0 (the training mean). */
export function standardizeRow(
  model: Pick<LinearModel, 'mean' | 'scale'>,
  x: Float64Array,
  base: number,
  z: Float64Array,
): void {
  for (let f = 0; f < z.length; f++) {
    const value = x[base + f]!;
    z[f] = value === value ? (compress(value) - model.mean[f]!) / model.scale[f]! : 0;
  }
}

/** Heavy-tailed counts and rates (bytes/s up to 1e9) on a log scale; ±Infinity clipped. */
export function compress(value: number): number {
  const clipped = Math.max(-1e300, Math.min(1e300, value));
  return Math.sign(clipped) * Math.log1p(Math.abs(clipped));
}

export function softmaxInPlace(values: Float64Array, start: number, count: number): void {
  let max = -Infinity;
  for (let c = 0; c < count; c++) max = Math.max(max, values[start + c]!);
  let sum = 0;
  for (let c = 0; c < count; c++) {
    const e = Math.exp(values[start + c]! - max);
    values[start + c] = e;
    sum += e;
  }
  for (let c = 0; c < count; c++) values[start + c]! /= sum;
}
