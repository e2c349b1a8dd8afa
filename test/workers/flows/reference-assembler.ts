import { DecodeStatus, FragmentFlag, TcpFlag, type PacketBatch } from '../../../src/shared/packet-batch';

/**
 * A deliberately naive reference for flow assignment: string keys in a Map, objects per flow,
 * no typed arrays and no hashing. It implements the documented semantics independently of the
 * code under test: initiator (first sender; SYN-ACK receiver), idle/active/tcp-reuse checks on
 * each packet, 10 s sweeps driven by the packet clock, fragments attributed through their first
 * fragment for 30 s (ports 0 otherwise), finish = sweep + end-of-capture.
 */
/** Timestamps are whole ns; comparisons of double gaps allow half of one. */
const HALF_NS = 5e-10;

export interface ReferenceFlow {
  flowIndex: number;
  srcEndpoint: string;
  srcPort: number;
  dstPort: number;
  packets: [number, number];
  bytes: [number, number];
  firstUs: number;
  lastUs: number;
  endReason: string;
}

interface OpenFlow extends ReferenceFlow {
  key: string;
  firstT: number;
  lastT: number;
  sawFinOrRst: boolean;
}

export function referenceAssemble(batch: PacketBatch, idle: number, active: number) {
  const open = new Map<string, OpenFlow>();
  const ended: ReferenceFlow[] = [];
  const fragments = new Map<string, { sport: number; dport: number; t: number }>();
  const flowIndex: number[] = [];
  const direction: number[] = [];
  let next = 0;
  let base: number | undefined;
  let clock = -Infinity;
  let nextSweep = Infinity;

  const reasonAt = (flow: OpenFlow, t: number): string | null => {
    if (idle > 0 && t - flow.lastT > idle + HALF_NS) return 'idle-timeout';
    if (active > 0 && t - flow.firstT > active + HALF_NS) return 'active-timeout';
    return null;
  };
  const end = (flow: OpenFlow, reason: string): void => {
    open.delete(flow.key);
    const { flowIndex, srcEndpoint, srcPort, dstPort, packets, bytes, firstUs, lastUs } = flow;
    ended.push({
      flowIndex,
      srcEndpoint,
      srcPort,
      dstPort,
      packets,
      bytes,
      firstUs,
      lastUs,
      endReason: reason,
    });
  };
  const sweep = (t: number): void => {
    const expired = [...open.values()]
      .filter((flow) => reasonAt(flow, t) !== null)
      .sort((a, b) => a.flowIndex - b.flowIndex);
    for (const flow of expired) end(flow, reasonAt(flow, t)!);
  };

  for (let i = 0; i < batch.count; i++) {
    const sec = batch.tsSec[i]!;
    if (base === undefined) {
      base = sec;
      if (idle > 0 || active > 0) nextSweep = batch.tsNsec[i]! * 1e-9 + 10;
    }
    const t = sec - base + batch.tsNsec[i]! * 1e-9;
    const us = sec * 1e6 + Math.floor(batch.tsNsec[i]! / 1000);
    clock = Math.max(clock, t);
    if (clock >= nextSweep) {
      sweep(clock);
      nextSweep = clock + 10;
    }
    const status = batch.decodeStatus[i];
    const version = batch.ipVersion[i];
    if (
      status === DecodeStatus.nonIp ||
      status === DecodeStatus.unsupportedLinkType ||
      (version !== 4 && version !== 6)
    ) {
      flowIndex.push(-1);
      direction.push(0);
      continue;
    }
    const src = Array.from(batch.srcAddr.subarray(i * 4, i * 4 + 4)).join('.');
    const dst = Array.from(batch.dstAddr.subarray(i * 4, i * 4 + 4)).join('.');
    let sport = batch.srcPort[i]!;
    let dport = batch.dstPort[i]!;
    let hasHeader = batch.l4HeaderLength[i]! > 0;
    const fragment = batch.fragment[i]!;
    const datagram = `${version}/${batch.protocol[i]}/${batch.vlanId[i]}/${batch.ipId[i]}/${src}/${dst}`;
    if (fragment & FragmentFlag.isFragment) {
      if (fragment & FragmentFlag.first) fragments.set(datagram, { sport, dport, t });
      else {
        hasHeader = false;
        const known = fragments.get(datagram);
        const live = known !== undefined && t - known.t <= 30 + HALF_NS;
        sport = live ? known.sport : 0;
        dport = live ? known.dport : 0;
      }
    }
    const senderEndpoint = `${src}#${sport}`;
    const receiverEndpoint = `${dst}#${dport}`;
    const key = `${version}|${batch.vlanId[i]}|${batch.protocol[i]}|${[senderEndpoint, receiverEndpoint].sort().join('|')}`;
    const flags = hasHeader && batch.protocol[i] === 6 ? batch.tcpFlags[i]! : 0;
    const synOnly = (flags & (TcpFlag.syn | TcpFlag.ack)) === TcpFlag.syn;
    const synAck = (flags & (TcpFlag.syn | TcpFlag.ack)) === (TcpFlag.syn | TcpFlag.ack);
    let flow = open.get(key);
    if (flow) {
      const reason = reasonAt(flow, t) ?? (synOnly && flow.sawFinOrRst ? 'tcp-reuse' : null);
      if (reason) {
        end(flow, reason);
        flow = undefined;
      }
    }
    if (!flow) {
      const initiatorIsSender = !synAck || senderEndpoint === receiverEndpoint;
      flow = {
        key,
        flowIndex: next++,
        srcEndpoint: initiatorIsSender ? senderEndpoint : receiverEndpoint,
        srcPort: initiatorIsSender ? sport : dport,
        dstPort: initiatorIsSender ? dport : sport,
        packets: [0, 0],
        bytes: [0, 0],
        firstUs: us,
        lastUs: us,
        firstT: t,
        lastT: t,
        sawFinOrRst: false,
        endReason: '',
      };
      open.set(key, flow);
    }
    const dir = senderEndpoint === flow.srcEndpoint ? 0 : 1;
    flowIndex.push(flow.flowIndex);
    direction.push(dir);
    flow.packets[dir]++;
    flow.bytes[dir] += batch.frameLength[i]!;
    if (t > flow.lastT) {
      flow.lastT = t;
      flow.lastUs = us;
    }
    if (flags & (TcpFlag.fin | TcpFlag.rst)) flow.sawFinOrRst = true;
  }
  if (clock > -Infinity && (idle > 0 || active > 0)) sweep(clock);
  for (const flow of [...open.values()].sort((a, b) => a.flowIndex - b.flowIndex))
    end(flow, 'end-of-capture');
  return { flowIndex, direction, flows: ended.sort((a, b) => a.flowIndex - b.flowIndex), flowCount: next };
}
