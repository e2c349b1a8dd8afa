/**
 * Running min/mean/stddev/max for several quantities per flow slot, in one Float64Array
 * (fields n, mean, M2, min, max per slot and kind). Mean and variance use Welford's online
 * algorithm (B. P. Welford 1962; Knuth, TAOCP vol. 2, 4.2.2), which is stable for long flows.
 * The standard deviation is the population one, sqrt(M2 / n), as the flow schema states
 * (nfstream's `*_stddev_*` columns are population deviations too).
 */
const FIELDS = 5;
const N = 0;
const MEAN = 1;
const M2 = 2;
const MIN = 3;
const MAX = 4;

/** Which quantity of a flow a running statistic tracks (`StatKind.*`). */
export const StatKind = {
  /** Frame length: both directions, src→dst, dst→src. */
  sizeBoth: 0,
  sizeSrc: 1,
  sizeDst: 2,
  /** Transport payload length. */
  payloadBoth: 3,
  payloadSrc: 4,
  payloadDst: 5,
  /** Packet inter-arrival time, milliseconds. */
  iatBoth: 6,
  iatSrc: 7,
  iatDst: 8,
  /** CICFlowMeter active and idle periods, milliseconds. */
  active: 9,
  idle: 10,
} as const;
const KINDS = 11;

export class RunningStats {
  private data: Float64Array;

  constructor(capacity: number) {
    this.data = new Float64Array(capacity * KINDS * FIELDS);
  }

  /** Grows to `capacity` slots, keeping existing values. */
  grow(capacity: number): void {
    const data = new Float64Array(capacity * KINDS * FIELDS);
    data.set(this.data);
    this.data = data;
  }

  /** Empties every statistic of `slot`. */
  reset(slot: number): void {
    const data = this.data;
    for (let kind = 0; kind < KINDS; kind++) {
      const o = (slot * KINDS + kind) * FIELDS;
      data[o + N] = 0;
      data[o + MEAN] = 0;
      data[o + M2] = 0;
      data[o + MIN] = Infinity;
      data[o + MAX] = -Infinity;
    }
  }

  /** Adds sample `x` to statistic `kind` of `slot` (Welford's update). */
  add(slot: number, kind: number, x: number): void {
    const data = this.data;
    const o = (slot * KINDS + kind) * FIELDS;
    const n = data[o + N]! + 1;
    const delta = x - data[o + MEAN]!;
    const mean = data[o + MEAN]! + delta / n;
    data[o + N] = n;
    data[o + MEAN] = mean;
    data[o + M2] = data[o + M2]! + delta * (x - mean);
    if (x < data[o + MIN]!) data[o + MIN] = x;
    if (x > data[o + MAX]!) data[o + MAX] = x;
  }

  count(slot: number, kind: number): number {
    return this.data[(slot * KINDS + kind) * FIELDS + N]!;
  }

  /** Smallest sample, NaN (NULL) when there is none. */
  min(slot: number, kind: number): number {
    return this.count(slot, kind) === 0 ? NaN : this.data[(slot * KINDS + kind) * FIELDS + MIN]!;
  }

  max(slot: number, kind: number): number {
    return this.count(slot, kind) === 0 ? NaN : this.data[(slot * KINDS + kind) * FIELDS + MAX]!;
  }

  mean(slot: number, kind: number): number {
    return this.count(slot, kind) === 0 ? NaN : this.data[(slot * KINDS + kind) * FIELDS + MEAN]!;
  }

  /** Population standard deviation sqrt(M2 / n); 0 for one sample, NaN for none. */
  stddev(slot: number, kind: number): number {
    const o = (slot * KINDS + kind) * FIELDS;
    const n = this.data[o + N]!;
    return n === 0 ? NaN : Math.sqrt(Math.max(0, this.data[o + M2]!) / n);
  }
}
