import { TcpFlag } from '../../shared/packet-batch';
import { FlowActivity } from './flow-activity';
import { FlowMetadata } from './flow-metadata';
import { grown } from './grown';
import { RunningStats, StatKind } from './running-stats';
import type { PacketColumns } from './packet-columns';
import { TcpStates } from './tcp-state';

const TCP = 6;
const ICMP = 1;
const ICMPV6 = 58;

/**
 * Per-flow numeric state as one record of STRIDE doubles per slot (see FlowTable): a packet or
 * the end of a flow touches a few neighbouring cache lines of its record instead of one line in
 * each of dozens of per-field arrays (at a million open flows those were cache misses, and they
 * dominated the per-packet and per-flow cost). Per-direction fields sit at `dir(slot, d) + F.*`
 * (d 0 = src→dst, 1 = dst→src). Counters are doubles so they cannot wrap. `add` is the
 * per-packet hot path: arithmetic on the record only (metadata strings are copied by reference
 * for the few packets that have a `meta`).
 *
 * firstT/lastT stay separate arrays: the time-ordered lists of open flows read them by slot.
 */
const R = {
  flowIndex: 0,
  /** 1 when the initiator (src) is key endpoint A. */
  initiatorIsA: 1,
  /** Capture-relative seconds of the previous packet (NaN before the first). */
  previousT: 2,
  /** Exact first/last timestamps, microseconds since the epoch. */
  firstUs: 3,
  lastUs: 4,
  /** NaN until set. */
  icmpType: 5,
  icmpCode: 6,
  appSignature: 7,
  /** 0 none yet, 1 from a src→dst packet, 2 from a dst→src packet (swapped). */
  macSource: 8,
  /** Counts per TCP flag bit position (fin = 0 ... cwr = 7): flags + direction * 8 + bit. */
  flags: 9,
  /** First per-direction block (DIRECTION_FIELDS each). */
  directions: 25,
} as const;
/** Offsets inside a per-direction block. */
export const F = {
  previousT: 0,
  packets: 1,
  bytes: 2,
  payloadBytes: 3,
  headerBytes: 4,
  /** +Infinity until a packet is seen. */
  minHeader: 5,
  dataPackets: 6,
  /** NaN until set. */
  initWindow: 7,
  mss: 8,
  /** ±Infinity until a packet is seen. */
  minTtl: 9,
  maxTtl: 10,
} as const;
const DIRECTION_FIELDS = 11;
const STRIDE = R.directions + 2 * DIRECTION_FIELDS;

export class FlowStore {
  capacity: number;
  /** The records, STRIDE doubles per slot. */
  private record: Float64Array;
  /** Capture-relative seconds of the first packet and the latest timestamp. */
  firstT: Float64Array;
  lastT: Float64Array;
  /** src MAC words then dst MAC words of the flow's src→dst orientation (6 per slot). */
  macs: Uint16Array;
  readonly stats: RunningStats;
  readonly activity: FlowActivity;
  readonly tcp: TcpStates;
  readonly metadata: FlowMetadata;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.record = new Float64Array(capacity * STRIDE);
    this.firstT = new Float64Array(capacity);
    this.lastT = new Float64Array(capacity);
    this.macs = new Uint16Array(capacity * 6);
    this.stats = new RunningStats(capacity);
    this.activity = new FlowActivity(capacity, this.stats);
    this.tcp = new TcpStates(capacity);
    this.metadata = new FlowMetadata(capacity);
  }

  /** Lengthens every column to `capacity` slots. */
  grow(capacity: number): void {
    this.record = grown(this.record, capacity * STRIDE);
    this.firstT = grown(this.firstT, capacity);
    this.lastT = grown(this.lastT, capacity);
    this.macs = grown(this.macs, capacity * 6);
    this.stats.grow(capacity);
    this.activity.grow(capacity);
    this.tcp.grow(capacity);
    this.metadata.grow(capacity);
    this.capacity = capacity;
  }

  flowIndex(slot: number): number {
    return this.record[slot * STRIDE + R.flowIndex]!;
  }

  initiatorIsA(slot: number): boolean {
    return this.record[slot * STRIDE + R.initiatorIsA] === 1;
  }

  firstUs(slot: number): number {
    return this.record[slot * STRIDE + R.firstUs]!;
  }

  lastUs(slot: number): number {
    return this.record[slot * STRIDE + R.lastUs]!;
  }

  icmpType(slot: number): number {
    return this.record[slot * STRIDE + R.icmpType]!;
  }

  icmpCode(slot: number): number {
    return this.record[slot * STRIDE + R.icmpCode]!;
  }

  appSignature(slot: number): number {
    return this.record[slot * STRIDE + R.appSignature]!;
  }

  /** Field `field` (F.*) of `slot` in `direction`. */
  side(slot: number, direction: number, field: number): number {
    return this.record[slot * STRIDE + R.directions + direction * DIRECTION_FIELDS + field]!;
  }

  /** Packets with TCP flag bit `bit` (fin = 0 ... cwr = 7) sent in `direction`. */
  flagCount(slot: number, direction: number, bit: number): number {
    return this.record[slot * STRIDE + R.flags + direction * 8 + bit]!;
  }

  /** Initialises `slot` for a new flow whose first packet is at `t` (`us` µs since the epoch). */
  start(slot: number, flowIndex: number, initiatorIsA: boolean, t: number, us: number): void {
    const r = this.record;
    const o = slot * STRIDE;
    r.fill(0, o, o + STRIDE);
    r[o + R.flowIndex] = flowIndex;
    r[o + R.initiatorIsA] = initiatorIsA ? 1 : 0;
    r[o + R.previousT] = NaN;
    r[o + R.firstUs] = us;
    r[o + R.lastUs] = us;
    r[o + R.icmpType] = NaN;
    r[o + R.icmpCode] = NaN;
    for (let d = o + R.directions; d < o + STRIDE; d += DIRECTION_FIELDS) {
      r[d + F.previousT] = NaN;
      r[d + F.minHeader] = Infinity;
      r[d + F.initWindow] = NaN;
      r[d + F.mss] = NaN;
      r[d + F.minTtl] = Infinity;
      r[d + F.maxTtl] = -Infinity;
    }
    this.firstT[slot] = t;
    this.lastT[slot] = t;
    this.macs.fill(0, slot * 6, slot * 6 + 6);
    this.stats.reset(slot);
    this.activity.reset(slot, t);
    this.tcp.reset(slot);
    this.metadata.reset(slot);
  }

  /**
   * Accounts packet `row` of `batch` (capture time `t`) to the flow in `slot`, sent in
   * `direction`. `hasTransportHeader` is false for non-first fragments and packets cut before
   * their L4 header: they count in sizes, bytes and times but not in TCP/ICMP header features.
   */
  add(
    slot: number,
    direction: number,
    batch: PacketColumns,
    row: number,
    t: number,
    hasTransportHeader: boolean,
  ): void {
    const r = this.record;
    const o = slot * STRIDE;
    const d = o + R.directions + direction * DIRECTION_FIELDS;
    const frameLength = batch.frameLength[row]!;
    const payload = batch.payloadLength[row]!;
    const header = batch.l4HeaderLength[row]!;
    const stats = this.stats;
    const isFirstPacket =
      r[o + R.directions + F.packets]! + r[o + R.directions + DIRECTION_FIELDS + F.packets]! === 0;

    // Inter-arrival times in capture order (negative if timestamps go backwards).
    const previousT = r[o + R.previousT]!;
    if (previousT === previousT) stats.add(slot, StatKind.iatBoth, (t - previousT) * 1000);
    const previousDirectionT = r[d + F.previousT]!;
    if (previousDirectionT === previousDirectionT)
      stats.add(slot, StatKind.iatSrc + direction, (t - previousDirectionT) * 1000);
    this.activity.add(slot, direction, t, payload, previousT);
    r[o + R.previousT] = t;
    r[d + F.previousT] = t;
    if (t > this.lastT[slot]!) {
      this.lastT[slot] = t;
      r[o + R.lastUs] = batch.tsSec[row]! * 1e6 + Math.floor(batch.tsNsec[row]! / 1000);
    }

    r[d + F.packets] = r[d + F.packets]! + 1;
    r[d + F.bytes] = r[d + F.bytes]! + frameLength;
    r[d + F.payloadBytes] = r[d + F.payloadBytes]! + payload;
    r[d + F.headerBytes] = r[d + F.headerBytes]! + header;
    if (header < r[d + F.minHeader]!) r[d + F.minHeader] = header;
    if (payload > 0) r[d + F.dataPackets] = r[d + F.dataPackets]! + 1;
    stats.add(slot, StatKind.sizeBoth, frameLength);
    stats.add(slot, StatKind.sizeSrc + direction, frameLength);
    stats.add(slot, StatKind.payloadBoth, payload);
    stats.add(slot, StatKind.payloadSrc + direction, payload);
    const ttl = batch.ttl[row]!;
    if (ttl < r[d + F.minTtl]!) r[d + F.minTtl] = ttl;
    if (ttl > r[d + F.maxTtl]!) r[d + F.maxTtl] = ttl;

    const protocol = batch.protocol[row]!;
    if (hasTransportHeader && protocol === TCP) {
      const flags = batch.tcpFlags[row]!;
      // One increment per set bit (lowest first), indexed by bit position.
      const f = o + R.flags + direction * 8;
      for (let rest = flags; rest !== 0; rest &= rest - 1) {
        const index = f + 31 - Math.clz32(rest & -rest);
        r[index] = r[index]! + 1;
      }
      if (r[d + F.initWindow] !== r[d + F.initWindow]) r[d + F.initWindow] = batch.tcpWindow[row]!;
      const mss = batch.tcpMss[row]!;
      if ((flags & TcpFlag.syn) !== 0 && mss > 0 && r[d + F.mss] !== r[d + F.mss]) r[d + F.mss] = mss;
      this.tcp.update(slot, direction === 0, flags, isFirstPacket);
    } else if (
      hasTransportHeader &&
      (protocol === ICMP || protocol === ICMPV6) &&
      r[o + R.icmpType] !== r[o + R.icmpType]
    ) {
      r[o + R.icmpType] = batch.icmpType[row]!;
      r[o + R.icmpCode] = batch.icmpCode[row]!;
    }
    const signature = batch.appSignature[row]!;
    if (r[o + R.appSignature] === 0) r[o + R.appSignature] = signature;
    const macSource = r[o + R.macSource]!;
    if (macSource === 0 || (macSource === 2 && direction === 0)) this.addMacs(slot, direction, batch, row);
    const metaIndex = batch.metaIndex[row]!;
    if (metaIndex >= 0 && metaIndex < batch.meta.length)
      this.metadata.add(slot, batch.meta[metaIndex]!, signature);
  }

  /** src_mac/dst_mac come from the first src→dst packet; until one is seen, from a dst→src one swapped. */
  private addMacs(slot: number, direction: number, batch: PacketColumns, row: number): void {
    const o = slot * 6;
    const from = direction === 0 ? batch.srcMac : batch.dstMac;
    const to = direction === 0 ? batch.dstMac : batch.srcMac;
    for (let i = 0; i < 3; i++) {
      this.macs[o + i] = from[row * 3 + i]!;
      this.macs[o + 3 + i] = to[row * 3 + i]!;
    }
    this.record[slot * STRIDE + R.macSource] = direction === 0 ? 1 : 2;
  }
}
