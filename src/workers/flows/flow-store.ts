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
 * Per-flow state as struct-of-arrays columns indexed by slot (see FlowTable); per-direction
 * columns are indexed `slot * 2 + direction` (0 = src→dst, 1 = dst→src). Counters are doubles
 * so they cannot wrap. `add` is the per-packet hot path: it only does arithmetic on these
 * arrays (metadata strings are copied by reference for the few packets that have a `meta`).
 */
export class FlowStore {
  capacity: number;
  flowIndex: Int32Array;
  /** 1 when the initiator (src) is key endpoint A. */
  initiatorIsA: Uint8Array;
  /** Capture-relative seconds of the first packet, the latest timestamp and the previous packet. */
  firstT: Float64Array;
  lastT: Float64Array;
  previousT: Float64Array;
  /** Exact first/last timestamps, microseconds since the epoch. */
  firstUs: Float64Array;
  lastUs: Float64Array;
  private previousDirectionT: Float64Array;
  packets: Float64Array;
  bytes: Float64Array;
  payloadBytes: Float64Array;
  headerBytes: Float64Array;
  /** +Infinity until a packet is seen. */
  minHeader: Float64Array;
  dataPackets: Float64Array;
  /** Counts per TCP flag bit position (fin = 0 ... cwr = 7): index (slot * 2 + direction) * 8 + bit. */
  flagCounts: Float64Array;
  /** NaN until set. */
  initWindow: Float64Array;
  mss: Float64Array;
  /** ±Infinity until a packet is seen. */
  minTtl: Float64Array;
  maxTtl: Float64Array;
  icmpType: Float64Array;
  icmpCode: Float64Array;
  appSignature: Uint8Array;
  /** src MAC words then dst MAC words of the flow's src→dst orientation (6 per slot). */
  macs: Uint16Array;
  /** 0 none yet, 1 from a src→dst packet, 2 from a dst→src packet (swapped). */
  private macSource: Uint8Array;
  readonly stats: RunningStats;
  readonly activity: FlowActivity;
  readonly tcp: TcpStates;
  readonly metadata: FlowMetadata;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.flowIndex = new Int32Array(capacity);
    this.initiatorIsA = new Uint8Array(capacity);
    this.firstT = new Float64Array(capacity);
    this.lastT = new Float64Array(capacity);
    this.previousT = new Float64Array(capacity);
    this.firstUs = new Float64Array(capacity);
    this.lastUs = new Float64Array(capacity);
    this.previousDirectionT = new Float64Array(capacity * 2);
    this.packets = new Float64Array(capacity * 2);
    this.bytes = new Float64Array(capacity * 2);
    this.payloadBytes = new Float64Array(capacity * 2);
    this.headerBytes = new Float64Array(capacity * 2);
    this.minHeader = new Float64Array(capacity * 2);
    this.dataPackets = new Float64Array(capacity * 2);
    this.flagCounts = new Float64Array(capacity * 16);
    this.initWindow = new Float64Array(capacity * 2);
    this.mss = new Float64Array(capacity * 2);
    this.minTtl = new Float64Array(capacity * 2);
    this.maxTtl = new Float64Array(capacity * 2);
    this.icmpType = new Float64Array(capacity);
    this.icmpCode = new Float64Array(capacity);
    this.appSignature = new Uint8Array(capacity);
    this.macs = new Uint16Array(capacity * 6);
    this.macSource = new Uint8Array(capacity);
    this.stats = new RunningStats(capacity);
    this.activity = new FlowActivity(capacity, this.stats);
    this.tcp = new TcpStates(capacity);
    this.metadata = new FlowMetadata(capacity);
  }

  /** Lengthens every column to `capacity` slots. */
  grow(capacity: number): void {
    const one = capacity;
    const two = capacity * 2;
    this.flowIndex = grown(this.flowIndex, one);
    this.initiatorIsA = grown(this.initiatorIsA, one);
    this.firstT = grown(this.firstT, one);
    this.lastT = grown(this.lastT, one);
    this.previousT = grown(this.previousT, one);
    this.firstUs = grown(this.firstUs, one);
    this.lastUs = grown(this.lastUs, one);
    this.previousDirectionT = grown(this.previousDirectionT, two);
    this.packets = grown(this.packets, two);
    this.bytes = grown(this.bytes, two);
    this.payloadBytes = grown(this.payloadBytes, two);
    this.headerBytes = grown(this.headerBytes, two);
    this.minHeader = grown(this.minHeader, two);
    this.dataPackets = grown(this.dataPackets, two);
    this.flagCounts = grown(this.flagCounts, capacity * 16);
    this.initWindow = grown(this.initWindow, two);
    this.mss = grown(this.mss, two);
    this.minTtl = grown(this.minTtl, two);
    this.maxTtl = grown(this.maxTtl, two);
    this.icmpType = grown(this.icmpType, one);
    this.icmpCode = grown(this.icmpCode, one);
    this.appSignature = grown(this.appSignature, one);
    this.macs = grown(this.macs, capacity * 6);
    this.macSource = grown(this.macSource, one);
    this.stats.grow(capacity);
    this.activity.grow(capacity);
    this.tcp.grow(capacity);
    this.metadata.grow(capacity);
    this.capacity = capacity;
  }

  /** Initialises `slot` for a new flow whose first packet is at `t` (`us` µs since the epoch). */
  start(slot: number, flowIndex: number, initiatorIsA: boolean, t: number, us: number): void {
    this.flowIndex[slot] = flowIndex;
    this.initiatorIsA[slot] = initiatorIsA ? 1 : 0;
    this.firstT[slot] = t;
    this.lastT[slot] = t;
    this.previousT[slot] = NaN;
    this.firstUs[slot] = us;
    this.lastUs[slot] = us;
    for (let d = slot * 2; d < slot * 2 + 2; d++) {
      this.previousDirectionT[d] = NaN;
      this.packets[d] = 0;
      this.bytes[d] = 0;
      this.payloadBytes[d] = 0;
      this.headerBytes[d] = 0;
      this.minHeader[d] = Infinity;
      this.dataPackets[d] = 0;
      this.initWindow[d] = NaN;
      this.mss[d] = NaN;
      this.minTtl[d] = Infinity;
      this.maxTtl[d] = -Infinity;
    }
    this.flagCounts.fill(0, slot * 16, slot * 16 + 16);
    this.icmpType[slot] = NaN;
    this.icmpCode[slot] = NaN;
    this.appSignature[slot] = 0;
    this.macSource[slot] = 0;
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
    const d = slot * 2 + direction;
    const frameLength = batch.frameLength[row]!;
    const payload = batch.payloadLength[row]!;
    const header = batch.l4HeaderLength[row]!;
    const stats = this.stats;
    const isFirstPacket = this.packets[slot * 2]! + this.packets[slot * 2 + 1]! === 0;

    // Inter-arrival times in capture order (negative if timestamps go backwards).
    const previousT = this.previousT[slot]!;
    if (previousT === previousT) stats.add(slot, StatKind.iatBoth, (t - previousT) * 1000);
    const previousDirectionT = this.previousDirectionT[d]!;
    if (previousDirectionT === previousDirectionT)
      stats.add(slot, StatKind.iatSrc + direction, (t - previousDirectionT) * 1000);
    this.activity.add(slot, direction, t, payload, previousT);
    this.previousT[slot] = t;
    this.previousDirectionT[d] = t;
    if (t > this.lastT[slot]!) {
      this.lastT[slot] = t;
      this.lastUs[slot] = batch.tsSec[row]! * 1e6 + Math.floor(batch.tsNsec[row]! / 1000);
    }

    this.packets[d] = this.packets[d]! + 1;
    this.bytes[d] = this.bytes[d]! + frameLength;
    this.payloadBytes[d] = this.payloadBytes[d]! + payload;
    this.headerBytes[d] = this.headerBytes[d]! + header;
    if (header < this.minHeader[d]!) this.minHeader[d] = header;
    if (payload > 0) this.dataPackets[d] = this.dataPackets[d]! + 1;
    stats.add(slot, StatKind.sizeBoth, frameLength);
    stats.add(slot, StatKind.sizeSrc + direction, frameLength);
    stats.add(slot, StatKind.payloadBoth, payload);
    stats.add(slot, StatKind.payloadSrc + direction, payload);
    const ttl = batch.ttl[row]!;
    if (ttl < this.minTtl[d]!) this.minTtl[d] = ttl;
    if (ttl > this.maxTtl[d]!) this.maxTtl[d] = ttl;

    const protocol = batch.protocol[row]!;
    if (hasTransportHeader && protocol === TCP) {
      const flags = batch.tcpFlags[row]!;
      // One increment per set bit (lowest first), indexed by bit position.
      for (let rest = flags; rest !== 0; rest &= rest - 1) {
        const index = d * 8 + 31 - Math.clz32(rest & -rest);
        this.flagCounts[index] = this.flagCounts[index]! + 1;
      }
      if (this.initWindow[d] !== this.initWindow[d]) this.initWindow[d] = batch.tcpWindow[row]!;
      const mss = batch.tcpMss[row]!;
      if ((flags & TcpFlag.syn) !== 0 && mss > 0 && this.mss[d] !== this.mss[d]) this.mss[d] = mss;
      this.tcp.update(slot, direction === 0, flags, isFirstPacket);
    } else if (
      hasTransportHeader &&
      (protocol === ICMP || protocol === ICMPV6) &&
      this.icmpType[slot] !== this.icmpType[slot]
    ) {
      this.icmpType[slot] = batch.icmpType[row]!;
      this.icmpCode[slot] = batch.icmpCode[row]!;
    }
    const signature = batch.appSignature[row]!;
    if (this.appSignature[slot] === 0) this.appSignature[slot] = signature;
    this.addMacs(slot, direction, batch, row);
    const metaIndex = batch.metaIndex[row]!;
    if (metaIndex >= 0 && metaIndex < batch.meta.length)
      this.metadata.add(slot, batch.meta[metaIndex]!, signature);
  }

  /** src_mac/dst_mac come from the first src→dst packet; until one is seen, from a dst→src one swapped. */
  private addMacs(slot: number, direction: number, batch: PacketColumns, row: number): void {
    const source = this.macSource[slot]!;
    if (source === 1 || (source === 2 && direction === 1)) return;
    const o = slot * 6;
    const from = direction === 0 ? batch.srcMac : batch.dstMac;
    const to = direction === 0 ? batch.dstMac : batch.srcMac;
    for (let i = 0; i < 3; i++) {
      this.macs[o + i] = from[row * 3 + i]!;
      this.macs[o + 3 + i] = to[row * 3 + i]!;
    }
    this.macSource[slot] = direction === 0 ? 1 : 2;
  }
}
