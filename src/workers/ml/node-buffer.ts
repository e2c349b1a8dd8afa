/** Growable flat arrays that the tree growers append nodes to (see TreeEnsembleModel). */
export class NodeBuffer {
  feature = new Int32Array(1024);
  threshold = new Float64Array(1024);
  left = new Int32Array(1024);
  right = new Int32Array(1024);
  leafValues: Float64Array;
  nodeCount = 0;
  leafCount = 0;

  constructor(readonly valueWidth: number) {
    this.leafValues = new Float64Array(1024 * valueWidth);
  }

  /** A new node, to be made a split or a leaf. */
  addNode(): number {
    if (this.nodeCount === this.feature.length) {
      const size = this.feature.length * 2;
      this.feature = grow(this.feature, new Int32Array(size));
      this.threshold = grow(this.threshold, new Float64Array(size));
      this.left = grow(this.left, new Int32Array(size));
      this.right = grow(this.right, new Int32Array(size));
    }
    return this.nodeCount++;
  }

  /** `right` must be `left + 1` (prediction relies on it). */
  setSplit(node: number, feature: number, threshold: number, left: number, right: number): void {
    if (right !== left + 1)
      throw new Error(`Expected the right child next to the left one, found ${left} and ${right}`);
    this.feature[node] = feature;
    this.threshold[node] = threshold;
    this.left[node] = left;
    this.right[node] = right;
  }

  /** Makes `node` a leaf; returns the slot whose `valueWidth` values the caller fills. */
  setLeaf(node: number): number {
    const slot = this.leafCount++;
    if ((slot + 1) * this.valueWidth > this.leafValues.length)
      this.leafValues = grow(this.leafValues, new Float64Array(this.leafValues.length * 2));
    this.feature[node] = -1;
    this.threshold[node] = 0;
    this.left[node] = slot;
    this.right[node] = -1;
    return slot;
  }

  /** The arrays trimmed to their used length. */
  finish(): {
    feature: Int32Array;
    threshold: Float64Array;
    left: Int32Array;
    right: Int32Array;
    leafValues: Float64Array;
  } {
    return {
      feature: this.feature.slice(0, this.nodeCount),
      threshold: this.threshold.slice(0, this.nodeCount),
      left: this.left.slice(0, this.nodeCount),
      right: this.right.slice(0, this.nodeCount),
      leafValues: this.leafValues.slice(0, this.leafCount * this.valueWidth),
    };
  }
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
