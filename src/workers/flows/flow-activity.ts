import { grown } from './grown';
import { StatKind, type RunningStats } from './running-stats';
import { gapExceeds } from './capture-time';

/**
 * CICFlowMeter's time-structure features (cic.cs.unb.ca.jnetpcap.BasicFlow and FlowGenerator),
 * reproduced rule for rule but on seconds-since-capture-start doubles instead of µs longs, with
 * NaN standing for the Java code's "0 = not set" so a packet at t = 0 is not mistaken for none.
 *
 * Bulks (BasicFlow.updateFlowBulk / updateForwardBulk / updateBackwardBulk), per direction d:
 *   1. If the other direction's last bulk-candidate packet is later than d's candidate start,
 *      d's candidate is dropped (start := none). This runs for every packet of d.
 *   2. Packets with payload 0 stop here.
 *   3. No candidate: start one (start = last = t, packets = 1, bytes = payload).
 *   4. Gap t - last > 1 s: restart the candidate the same way.
 *   5. Otherwise packets += 1, bytes += payload; when packets reaches 4 a bulk is counted
 *      (count += 1, bulk packets += 4, bulk bytes += candidate bytes, duration += t - start);
 *      beyond 4 the packet extends it (bulk packets += 1, bytes += payload, duration += t - last);
 *      then last = t.
 *
 * Active/idle (BasicFlow.updateActiveIdleTime, called by FlowGenerator for every packet after
 * the first, activity timeout 5 s): if t - endActive > 5 s, the active period
 * endActive - startActive is recorded when > 0, the idle period t - endActive is recorded, and
 * a new active period starts at t; otherwise endActive = t. When the flow ends
 * (BasicFlow.endActiveIdleTime) the open active period is recorded when > 0. Unlike
 * CICFlowMeter we do not add a synthetic idle period derived from the flow timeout.
 *
 * Sub-flows (BasicFlow.detectUpdateSubflows): a gap > 1 s since the previous packet starts a
 * new sub-flow. CICFlowMeter's sfCount counts those gaps only; `subflow_count` counts the
 * sub-flows themselves, i.e. 1 + gaps (a flow with packets always has one).
 */
export const ACTIVITY_TIMEOUT_SECONDS = 5;
export const BULK_GAP_SECONDS = 1;
export const BULK_MIN_PACKETS = 4;
export const SUBFLOW_GAP_SECONDS = 1;

// Per slot: 8 fields per direction, then the slot's active period and sub-flow count, in one
// record so a packet touches one neighbourhood of memory.
const FIELDS = 8;
const START_ACTIVE = 2 * FIELDS;
const END_ACTIVE = START_ACTIVE + 1;
const SUBFLOWS = START_ACTIVE + 2;
const STRIDE = SUBFLOWS + 1;
const START = 0;
const LAST = 1;
const HELPER_PACKETS = 2;
const HELPER_BYTES = 3;
const COUNT = 4;
const PACKETS = 5;
const BYTES = 6;
const DURATION = 7;

export class FlowActivity {
  private bulk: Float64Array;

  constructor(
    capacity: number,
    private readonly stats: RunningStats,
  ) {
    this.bulk = new Float64Array(capacity * STRIDE);
  }

  grow(capacity: number): void {
    this.bulk = grown(this.bulk, capacity * STRIDE);
  }

  /** Starts the state of a flow whose first packet is at `t`. */
  reset(slot: number, t: number): void {
    const s = slot * STRIDE;
    this.bulk.fill(0, s, s + 2 * FIELDS);
    for (let o = s; o < s + 2 * FIELDS; o += FIELDS) {
      this.bulk[o + START] = NaN;
      this.bulk[o + LAST] = NaN;
    }
    this.bulk[s + START_ACTIVE] = t;
    this.bulk[s + END_ACTIVE] = t;
    this.bulk[s + SUBFLOWS] = 1;
  }

  /**
   * Accounts one packet of direction `direction` at `t` with `payload` bytes; `previousT` is
   * the flow's previous packet time (NaN for the first packet).
   */
  add(slot: number, direction: number, t: number, payload: number, previousT: number): void {
    if (previousT === previousT) {
      const bulk = this.bulk;
      const s = slot * STRIDE;
      if (gapExceeds(t, previousT, SUBFLOW_GAP_SECONDS)) bulk[s + SUBFLOWS] = bulk[s + SUBFLOWS]! + 1;
      const endActive = bulk[s + END_ACTIVE]!;
      if (gapExceeds(t, endActive, ACTIVITY_TIMEOUT_SECONDS)) {
        const active = endActive - bulk[s + START_ACTIVE]!;
        if (active > 0) this.stats.add(slot, StatKind.active, active * 1000);
        this.stats.add(slot, StatKind.idle, (t - endActive) * 1000);
        bulk[s + START_ACTIVE] = t;
      }
      bulk[s + END_ACTIVE] = t;
    }
    this.addBulk(slot, direction, t, payload);
  }

  /** Records the open active period; call once when the flow ends. */
  finish(slot: number): void {
    const s = slot * STRIDE;
    const active = this.bulk[s + END_ACTIVE]! - this.bulk[s + START_ACTIVE]!;
    if (active > 0) this.stats.add(slot, StatKind.active, active * 1000);
  }

  subflowCount(slot: number): number {
    return this.bulk[slot * STRIDE + SUBFLOWS]!;
  }

  bulkCount(slot: number, direction: number): number {
    return this.bulk[slot * STRIDE + direction * FIELDS + COUNT]!;
  }

  bulkPackets(slot: number, direction: number): number {
    return this.bulk[slot * STRIDE + direction * FIELDS + PACKETS]!;
  }

  bulkBytes(slot: number, direction: number): number {
    return this.bulk[slot * STRIDE + direction * FIELDS + BYTES]!;
  }

  /** Total bulk duration, milliseconds. */
  bulkDurationMs(slot: number, direction: number): number {
    return this.bulk[slot * STRIDE + direction * FIELDS + DURATION]! * 1000;
  }

  private addBulk(slot: number, direction: number, t: number, payload: number): void {
    const bulk = this.bulk;
    const o = slot * STRIDE + direction * FIELDS;
    const other = slot * STRIDE + (1 - direction) * FIELDS;
    // Step 1 (NaN compares false, like Java's 0 helpers).
    if (bulk[other + LAST]! > bulk[o + START]!) bulk[o + START] = NaN;
    if (payload <= 0) return;
    const start = bulk[o + START]!;
    if (start !== start || gapExceeds(t, bulk[o + LAST]!, BULK_GAP_SECONDS)) {
      bulk[o + START] = t;
      bulk[o + LAST] = t;
      bulk[o + HELPER_PACKETS] = 1;
      bulk[o + HELPER_BYTES] = payload;
      return;
    }
    const packets = bulk[o + HELPER_PACKETS]! + 1;
    bulk[o + HELPER_PACKETS] = packets;
    bulk[o + HELPER_BYTES] = bulk[o + HELPER_BYTES]! + payload;
    if (packets === BULK_MIN_PACKETS) {
      bulk[o + COUNT] = bulk[o + COUNT]! + 1;
      bulk[o + PACKETS] = bulk[o + PACKETS]! + packets;
      bulk[o + BYTES] = bulk[o + BYTES]! + bulk[o + HELPER_BYTES]!;
      bulk[o + DURATION] = bulk[o + DURATION]! + (t - start);
    } else if (packets > BULK_MIN_PACKETS) {
      bulk[o + PACKETS] = bulk[o + PACKETS]! + 1;
      bulk[o + BYTES] = bulk[o + BYTES]! + payload;
      bulk[o + DURATION] = bulk[o + DURATION]! + (t - bulk[o + LAST]!);
    }
    bulk[o + LAST] = t;
  }
}
