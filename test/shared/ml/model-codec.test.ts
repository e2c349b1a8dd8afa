import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '../../../src/shared/ml/model-codec';
import type { LinearModel, TreeEnsembleModel } from '../../../src/shared/ml/model-codec';

describe('model codec', () => {
  it('round-trips a tree ensemble, also from a buffer at an odd byte offset (a DuckDB BLOB)', () => {
    const model: TreeEnsembleModel = {
      type: 'forest',
      classCount: 2,
      roots: Int32Array.of(0),
      feature: Int32Array.of(1, -1, -1),
      threshold: Float64Array.of(0.5, 0, 0),
      left: Int32Array.of(1, 0, 1),
      right: Int32Array.of(2, -1, -1),
      valueWidth: 2,
      leafValues: Float64Array.of(1, 0, 0.25, 0.75),
      treeClass: new Int32Array(0),
      baseScore: new Float64Array(0),
    };
    const bytes = encodeModel(model);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const decoded = decodeModel(shifted.subarray(3)) as TreeEnsembleModel;
    expect(decoded.type).toBe('forest');
    expect(Array.from(decoded.feature)).toEqual([1, -1, -1]);
    expect(Array.from(decoded.leafValues)).toEqual([1, 0, 0.25, 0.75]);
    expect(decoded.threshold[0]).toBe(0.5);
  });

  it('round-trips a linear model and rejects bytes that are not a model', () => {
    const model: LinearModel = {
      type: 'linear',
      classCount: 2,
      featureCount: 1,
      mean: Float64Array.of(3),
      scale: Float64Array.of(2),
      weights: Float64Array.of(1, 2, 3, 4),
    };
    const decoded = decodeModel(encodeModel(model)) as LinearModel;
    expect(Array.from(decoded.weights)).toEqual([1, 2, 3, 4]);
    const bogus = new Uint8Array(16);
    new DataView(bogus.buffer).setUint32(0, 2, true);
    bogus.set(new TextEncoder().encode('{}'), 4);
    expect(() => decodeModel(bogus)).toThrow(/Expected a Flowlab model/);
  });
});
