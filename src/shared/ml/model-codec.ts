/**
 * Trained models as plain typed arrays (what the training worker returns, the case stores as a
 * BLOB and the prediction worker reads back), and their byte encoding.
 */

/**
 * Decision trees in flat arrays. Node `i` is a leaf when `feature[i] < 0`; then `left[i]` is its
 * leaf slot and its values are `leafValues[slot * valueWidth ...]`. Internal nodes send a row
 * left when `!(x[feature] > threshold)`, so missing values (NaN) go left, as in training where
 * NaN falls into the lowest bin.
 */
export interface TreeEnsembleModel {
  type: 'forest' | 'boosted';
  classCount: number;
  /** Index of each tree's root node. */
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** forest: class distribution per leaf (width classCount); boosted: one score (width 1). */
  valueWidth: number;
  leafValues: Float64Array;
  /** boosted: the class each tree adds its score to (length = roots.length). */
  treeClass: Int32Array;
  /** boosted: initial score per class (log priors). */
  baseScore: Float64Array;
}

/** Multinomial logistic regression on standardized, sign-log-compressed features. */
export interface LinearModel {
  type: 'linear';
  classCount: number;
  featureCount: number;
  /** Per feature: mean and standard deviation of sign(x)·log1p(|x|) on the training rows. */
  mean: Float64Array;
  scale: Float64Array;
  /** Row-major classCount × (featureCount + 1); the last column is the bias. */
  weights: Float64Array;
}

export type TrainedModel = TreeEnsembleModel | LinearModel;

const MAGIC = 'FLML1';

type ArrayFields = Record<string, Int32Array | Float64Array>;

function arraysOf(model: TrainedModel): { header: Record<string, unknown>; arrays: ArrayFields } {
  if (model.type === 'linear') {
    const { mean, scale, weights, ...rest } = model;
    return { header: rest, arrays: { mean, scale, weights } };
  }
  const { roots, feature, threshold, left, right, leafValues, treeClass, baseScore, ...rest } = model;
  return {
    header: rest,
    arrays: { roots, feature, threshold, left, right, leafValues, treeClass, baseScore },
  };
}

/** Bytes: magic, header length (uint32 LE), JSON header, then each array 8-byte aligned. */
export function encodeModel(model: TrainedModel): Uint8Array {
  const { header, arrays } = arraysOf(model);
  const layout: { name: string; kind: 'i32' | 'f64'; length: number; offset: number }[] = [];
  let offset = 0;
  for (const [name, array] of Object.entries(arrays)) {
    layout.push({ name, kind: array instanceof Int32Array ? 'i32' : 'f64', length: array.length, offset });
    offset += Math.ceil(array.byteLength / 8) * 8;
  }
  const json = new TextEncoder().encode(JSON.stringify({ magic: MAGIC, header, layout }));
  const start = Math.ceil((4 + json.length) / 8) * 8;
  const bytes = new Uint8Array(start + offset);
  new DataView(bytes.buffer).setUint32(0, json.length, true);
  bytes.set(json, 4);
  for (const entry of layout) {
    const array = arrays[entry.name]!;
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), start + entry.offset);
  }
  return bytes;
}

export function decodeModel(bytes: Uint8Array): TrainedModel {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(0, true);
  const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + jsonLength))) as {
    magic: string;
    header: Record<string, unknown>;
    layout: { name: string; kind: 'i32' | 'f64'; length: number; offset: number }[];
  };
  if (meta.magic !== MAGIC)
    throw new Error(`Expected a Flowlab model (${MAGIC}), found ${String(meta.magic).slice(0, 20)}`);
  const start = Math.ceil((4 + jsonLength) / 8) * 8;
  // Copy into an aligned buffer: a BLOB read from DuckDB may start at any byte offset.
  const body = bytes.slice(start);
  const model: Record<string, unknown> = { ...meta.header };
  for (const entry of meta.layout) {
    model[entry.name] =
      entry.kind === 'i32'
        ? new Int32Array(body.buffer, entry.offset, entry.length)
        : new Float64Array(body.buffer, entry.offset, entry.length);
  }
  return model as unknown as TrainedModel;
}
