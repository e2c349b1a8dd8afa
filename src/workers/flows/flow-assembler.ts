import type { FlowBatch } from '../../shared/flow-schema';
import {
  DecodeStatus,
  FragmentFlag,
  TcpFlag,
  createPacketBatch,
  type PacketBatch,
} from '../../shared/packet-batch';
import { gapExceeds } from './capture-time';
import { FlowBatchBuilder, emptyFlowBatch } from './flow-batch-builder';
import { KEY_WORDS, buildFlowKey, hashKey } from './flow-key';
import { writeFlowRecord, type EndReason } from './flow-record';
import { FlowStore } from './flow-store';
import { FlowTable } from './flow-table';
import { FragmentTable } from './fragment-table';
import { BatchColumns } from './packet-columns';
import { grown } from './grown';
import { TimeOrderedList } from './time-ordered-list';

/** Flow timeouts in seconds of capture time; 0 disables either. */
export interface FlowAssemblerOptions {
  idleTimeoutSeconds: number;
  activeTimeoutSeconds: number;
}

/** All open flows are checked for timeouts whenever the packet clock advances this far. */
export const SWEEP_INTERVAL_SECONDS = 10;
const INITIAL_CAPACITY = 1024;
const TCP = 6;
const SYN_ACK = TcpFlag.syn | TcpFlag.ack;
/** Bound between pushes so the assembler keeps no reference to a batch it has handed back. */
const EMPTY_BATCH = createPacketBatch(0, 1);

/**
 * Bidirectional flow assembly over decoded PacketBatches.
 *
 * Keys: (ipVersion, vlanId, protocol, the two endpoints (address, port) in canonical order);
 * ICMP echo identifiers sit in both port columns, so they are part of the key. Flow indices
 * are handed out in order of creation. The initiator (src) is the sender of the flow's first
 * packet, except that a TCP SYN+ACK as first packet makes its receiver the initiator.
 *
 * Time: t = (tsSec - baseSec) + tsNsec * 1e-9 with baseSec the first packet's tsSec, so doubles
 * keep sub-µs precision; first_seen/last_seen are exact µs since the epoch. The packet clock is
 * the largest t seen so far. Everything is driven by packets in capture order, never by batch
 * boundaries, so any split of the same stream into batches yields identical results.
 *
 * Ending flows, in this order of checks when a packet at t arrives for an open flow (every
 * "gap > limit" here allows half a nanosecond of rounding, see capture-time.ts):
 *   1. idle-timeout: idle > 0 and t - (flow's latest packet time) > idle;
 *   2. active-timeout: active > 0 and t - (flow's first packet time) > active;
 *   3. tcp-reuse: a TCP segment with SYN and without ACK, after the flow carried a FIN or RST.
 * The old flow is emitted and the packet starts a new flow (new index) with the same key.
 * Sweeps: when the packet clock reaches the previous sweep's clock + SWEEP_INTERVAL_SECONDS
 * (the first sweep is due 10 s after the first packet), before that packet is processed, every
 * open flow that satisfies rule 1 or 2 at the clock is ended, in increasing flow index. So an
 * idle flow is emitted at most 10 s of capture time late; sweeps only change when a flow is
 * emitted and, when both timeouts have passed, which of the two is named. With both timeouts 0
 * flows end only by tcp-reuse or end of capture. `finish` first sweeps at the clock, then ends
 * the rest as end-of-capture.
 *
 * Fragments: the first fragment (FragmentFlag.first) carries the ports and records them under
 * (ipVersion, protocol, vlanId, ipId, src, dst) in a bounded FragmentTable (30 s lifetime);
 * later fragments of the datagram take those ports and so join its flow. A non-first fragment
 * whose first fragment has not been seen (out of order, lost, evicted) goes to the flow with
 * ports 0 for its addresses and protocol: batches are handed back filled, so attribution cannot
 * wait for later packets. Non-first fragments count in sizes, bytes and times but not in TCP
 * flags/state, window, MSS or ICMP type.
 *
 * Packets of no flow (decodeStatus nonIp or unsupportedLinkType, or ipVersion not 4/6) get
 * flowIndex -1 and direction 0.
 */
export class FlowAssembler {
  private readonly idleTimeout: number;
  private readonly activeTimeout: number;
  private readonly table = new FlowTable(INITIAL_CAPACITY);
  private readonly store = new FlowStore(INITIAL_CAPACITY);
  private readonly fragments = new FragmentTable();
  private readonly builder = new FlowBatchBuilder();
  private readonly key = new Uint32Array(KEY_WORDS);
  private readonly columns = new BatchColumns();
  private expired = new Int32Array(64);
  /** Open flows by last packet time (idle timeout) and by first packet time (active timeout). */
  private readonly byLastTime = new TimeOrderedList(INITIAL_CAPACITY);
  private readonly byFirstTime = new TimeOrderedList(INITIAL_CAPACITY);
  /** 1 for slots already collected by the current sweep. */
  private collected = new Uint8Array(INITIAL_CAPACITY);
  private baseSec = NaN;
  private clock = -Infinity;
  private nextSweep = Infinity;
  private nextFlowIndex = 0;

  constructor(options: FlowAssemblerOptions) {
    for (const [name, value] of Object.entries(options)) {
      if (!Number.isFinite(value) || value < 0)
        throw new RangeError(`Expected ${name} to be a finite number >= 0, got ${value}`);
    }
    this.idleTimeout = options.idleTimeoutSeconds;
    this.activeTimeout = options.activeTimeoutSeconds;
  }

  /** Flows created so far (== next flow index). */
  get flowCount(): number {
    return this.nextFlowIndex;
  }

  /**
   * Consumes one decoded batch (blocks arrive strictly in capture order). Fills
   * batch.flowIndex[i] and batch.direction[i] for every packet (flowIndex -1 for packets of no
   * flow). Returns the flows that ended while consuming this batch (idle/active timeout, TCP
   * reuse), in the order they ended, or null if none.
   */
  push(batch: PacketBatch): FlowBatch | null {
    const columns = this.columns;
    columns.bind(batch);
    for (let row = 0, count = batch.count; row < count; row++) this.addPacket(columns, row);
    columns.bind(EMPTY_BATCH);
    return this.builder.take();
  }

  /** End of capture: returns every flow still open (end_reason 'end-of-capture'), by flow index. */
  finish(): FlowBatch {
    if (this.clock > -Infinity) this.sweep(this.clock);
    let count = 0;
    for (let slot = 0; slot < this.table.highWater; slot++) {
      if (this.table.inUse[slot] === 1) count = this.collect(count, slot);
    }
    this.endCollected(count, 'end-of-capture');
    this.fragments.clear();
    return this.builder.take() ?? emptyFlowBatch();
  }

  private addPacket(batch: BatchColumns, row: number): void {
    const sec = batch.tsSec[row]!;
    if (this.baseSec !== this.baseSec) {
      this.baseSec = sec;
      if (this.idleTimeout > 0 || this.activeTimeout > 0)
        this.nextSweep = batch.tsNsec[row]! * 1e-9 + SWEEP_INTERVAL_SECONDS;
    }
    const t = sec - this.baseSec + batch.tsNsec[row]! * 1e-9;
    if (t > this.clock) this.clock = t;
    if (this.clock >= this.nextSweep) {
      this.sweep(this.clock);
      this.nextSweep = this.clock + SWEEP_INTERVAL_SECONDS;
    }

    const status = batch.decodeStatus[row]!;
    const version = batch.ipVersion[row]!;
    if (
      status === DecodeStatus.nonIp ||
      status === DecodeStatus.unsupportedLinkType ||
      (version !== 4 && version !== 6)
    ) {
      batch.flowIndex[row] = -1;
      batch.direction[row] = 0;
      return;
    }
    let srcPort = batch.srcPort[row]!;
    let dstPort = batch.dstPort[row]!;
    let hasTransportHeader = batch.l4HeaderLength[row]! > 0;
    const fragment = batch.fragment[row]!;
    if ((fragment & FragmentFlag.isFragment) !== 0) {
      if ((fragment & FragmentFlag.first) !== 0) this.fragments.remember(batch, row, t);
      else {
        hasTransportHeader = false;
        const ports = this.fragments.lookup(batch, row, t);
        srcPort = ports < 0 ? 0 : ports >>> 16;
        dstPort = ports < 0 ? 0 : ports & 0xffff;
      }
    }

    const key = this.key;
    const senderIsA = buildFlowKey(batch, row, srcPort, dstPort, key);
    const hash = hashKey(key, 0);
    const tcpFlags = hasTransportHeader && batch.protocol[row] === TCP ? batch.tcpFlags[row]! : 0;
    let slot = this.table.find(key, hash);
    if (slot >= 0) {
      let reason = this.timeoutReason(slot, t);
      if (reason === null && (tcpFlags & SYN_ACK) === TcpFlag.syn && this.store.tcp.sawFinOrRst(slot))
        reason = 'tcp-reuse';
      if (reason !== null) {
        this.end(slot, reason);
        slot = -1;
      }
    }
    if (slot < 0) {
      slot = this.table.insert(key, hash);
      if (this.table.capacity > this.store.capacity) {
        this.store.grow(this.table.capacity);
        this.byLastTime.grow(this.table.capacity);
        this.byFirstTime.grow(this.table.capacity);
        this.collected = grown(this.collected, this.table.capacity);
      }
      // A SYN+ACK first means we missed the SYN: its receiver initiated the connection
      // (unless both endpoints are the same, where that would flip nothing but the labels).
      const swap = (tcpFlags & SYN_ACK) === SYN_ACK && !sameEndpoints(key);
      const initiatorIsA = swap ? !senderIsA : senderIsA;
      const us = sec * 1e6 + Math.floor(batch.tsNsec[row]! / 1000);
      this.store.start(slot, this.nextFlowIndex++, initiatorIsA, t, us);
      this.byFirstTime.place(slot, this.store.firstT);
    }
    const direction = senderIsA === this.store.initiatorIsA(slot) ? 0 : 1;
    const flowIndex = this.store.flowIndex(slot);
    batch.flowIndex[row] = flowIndex;
    batch.direction[row] = direction;
    const lastT = this.store.lastT[slot]!;
    this.store.add(slot, direction, batch, row, t, hasTransportHeader);
    if (this.store.lastT[slot] !== lastT || flowIndex === this.nextFlowIndex - 1)
      this.byLastTime.place(slot, this.store.lastT);
  }

  /** Rule 1 or 2 of the class comment at time `t`, or null. */
  private timeoutReason(slot: number, t: number): EndReason | null {
    if (this.idleTimeout > 0 && gapExceeds(t, this.store.lastT[slot]!, this.idleTimeout))
      return 'idle-timeout';
    if (this.activeTimeout > 0 && gapExceeds(t, this.store.firstT[slot]!, this.activeTimeout))
      return 'active-timeout';
    return null;
  }

  /**
   * Ends every open flow that has timed out at `clock`, in increasing flow index. The time-ordered
   * lists give exactly the flows whose last (idle) or first (active) packet time is old enough,
   * without visiting the others.
   */
  private sweep(clock: number): void {
    if (this.idleTimeout === 0 && this.activeTimeout === 0) return;
    let count = 0;
    const { lastT, firstT } = this.store;
    if (this.idleTimeout > 0) {
      for (let slot = this.byLastTime.head; slot >= 0; slot = this.byLastTime.next[slot]!) {
        if (!gapExceeds(clock, lastT[slot]!, this.idleTimeout)) break;
        this.collected[slot] = 1;
        count = this.collect(count, slot);
      }
    }
    if (this.activeTimeout > 0) {
      for (let slot = this.byFirstTime.head; slot >= 0; slot = this.byFirstTime.next[slot]!) {
        if (!gapExceeds(clock, firstT[slot]!, this.activeTimeout)) break;
        if (this.collected[slot] === 0) count = this.collect(count, slot);
      }
    }
    for (let i = 0; i < count; i++) this.collected[this.expired[i]!] = 0;
    this.endCollected(count, null, clock);
  }

  private collect(count: number, slot: number): number {
    if (count === this.expired.length) {
      const expired = new Int32Array(count * 2);
      expired.set(this.expired);
      this.expired = expired;
    }
    this.expired[count] = slot;
    return count + 1;
  }

  /** Ends the `count` collected slots in flow-index order, with `reason` or their timeout reason at `clock`. */
  private endCollected(count: number, reason: EndReason | null, clock = 0): void {
    if (count === 0) return;
    const store = this.store;
    const slots = this.expired.subarray(0, count).sort((a, b) => store.flowIndex(a) - store.flowIndex(b));
    for (let i = 0; i < count; i++) this.end(slots[i]!, reason ?? this.timeoutReason(slots[i]!, clock)!);
  }

  private end(slot: number, reason: EndReason): void {
    writeFlowRecord(this.builder, this.store, this.table.keys, slot, reason);
    this.store.metadata.reset(slot); // drop string references until the slot is reused
    this.byLastTime.remove(slot);
    this.byFirstTime.remove(slot);
    this.table.remove(slot);
  }
}

/** Whether both endpoints of a canonical key are identical (address and port). */
function sameEndpoints(key: Uint32Array): boolean {
  if (key[1]! >>> 16 !== (key[1]! & 0xffff)) return false;
  for (let i = 0; i < 4; i++) {
    if (key[2 + i] !== key[6 + i]) return false;
  }
  return true;
}
