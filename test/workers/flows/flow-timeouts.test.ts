import { describe, expect, it } from 'vitest';
import { FlowAssembler } from '../../../src/workers/flows/flow-assembler';
import { flowRows, makeBatch, type SyntheticPacket } from './synthetic-packets';

const TCP = 6;
const udp = (ms: number, extra: Partial<SyntheticPacket> = {}): SyntheticPacket => ({
  ms,
  sport: 1111,
  dport: 2222,
  ...extra,
});

describe('FlowAssembler timeouts', () => {
  it('splits a flow after an idle gap longer than the idle timeout', () => {
    const assembler = new FlowAssembler({ idleTimeoutSeconds: 60, activeTimeoutSeconds: 0 });
    const batch = makeBatch([udp(0), udp(1000), udp(100_000), udp(101_000)]);
    const pushed = assembler.push(batch);
    const finished = assembler.finish();
    expect(Array.from(batch.flowIndex.subarray(0, 4))).toEqual([0, 0, 1, 1]);
    expect(pushed?.count).toBe(1);
    const rows = flowRows(pushed, finished);
    expect(rows.map((row) => [row.bidirectional_packets, row.end_reason])).toEqual([
      [2, 'idle-timeout'],
      [2, 'end-of-capture'],
    ]);
    expect(rows[1]!.duration_ms).toBeCloseTo(1000, 6);
  });

  it('does not split at exactly the idle timeout (the gap must exceed it)', () => {
    const assembler = new FlowAssembler({ idleTimeoutSeconds: 5, activeTimeoutSeconds: 0 });
    const batch = makeBatch([udp(0), udp(5000), udp(10_001)]);
    assembler.push(batch);
    assembler.finish();
    expect(Array.from(batch.flowIndex.subarray(0, 3))).toEqual([0, 0, 1]);
  });

  it('treats gaps of exactly the timeout as not exceeding it despite double rounding', () => {
    const assembler = new FlowAssembler({ idleTimeoutSeconds: 1, activeTimeoutSeconds: 0 });
    const packets: SyntheticPacket[] = [udp(0, { sport: 1 })]; // anchors baseSec at 0
    // Pairs exactly 1 s apart that straddle t = 2^k s, where (2^k + x) - (2^k - 1 + x) rounds to
    // slightly more than 1 in doubles: 20 binades x 25 offsets.
    for (let k = 1; k <= 20; k++) {
      for (let j = 0; j < 25; j++) {
        const ms = 2 ** k * 1000 - 40 * (j + 1) + 0.000_001 * ((j * 7919 + k * 104_729) % 1_000_000);
        packets.push(udp(ms, { sport: k * 100 + j }), udp(ms + 1000, { sport: k * 100 + j }));
      }
    }
    packets.sort((a, b) => a.ms - b.ms);
    const rows = flowRows(assembler.push(makeBatch(packets)), assembler.finish());
    expect(rows).toHaveLength(501);
    expect(rows.slice(1).every((row) => row.bidirectional_packets === 2)).toBe(true);
  });

  it('emits idle flows from the periodic sweep while other traffic continues', () => {
    const assembler = new FlowAssembler({ idleTimeoutSeconds: 30, activeTimeoutSeconds: 0 });
    const packets: SyntheticPacket[] = [udp(0, { sport: 9 })];
    for (let s = 0; s <= 60; s += 5) packets.push(udp(s * 1000));
    // Push packet by packet: the idle flow (index 0) must come out with the packet at 40 s, the
    // first sweep (due every 10 s of capture time) at which its 30 s idle timeout has passed.
    const emittedAt: number[] = [];
    for (const packet of packets) {
      const ended = assembler.push(makeBatch([packet]));
      if (ended) emittedAt.push(packet.ms, ...Array.from(ended.flowIndex));
    }
    expect(emittedAt).toEqual([40_000, 0]);
    const finished = flowRows(assembler.finish());
    expect(finished.map((row) => [row.flowIndex, row.bidirectional_packets, row.end_reason])).toEqual([
      [1, 13, 'end-of-capture'],
    ]);
  });

  it('splits a flow when it outlives the active timeout', () => {
    const assembler = new FlowAssembler({ idleTimeoutSeconds: 0, activeTimeoutSeconds: 10 });
    const packets = Array.from({ length: 11 }, (_, i) => udp(i * 3000));
    const batch = makeBatch(packets);
    const rows = flowRows(assembler.push(batch), assembler.finish());
    // 0,3,6,9 | 12,15,18,21 | 24,27,30 s.
    expect(Array.from(batch.flowIndex.subarray(0, 11))).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2]);
    expect(rows.map((row) => row.end_reason)).toEqual(['active-timeout', 'active-timeout', 'end-of-capture']);
    expect(rows.map((row) => row.duration_ms)).toEqual([9000, 9000, 6000]);
  });

  it('never splits when both timeouts are 0', () => {
    const assembler = new FlowAssembler({ idleTimeoutSeconds: 0, activeTimeoutSeconds: 0 });
    const batch = makeBatch([udp(0), udp(1_000_000), udp(5_000_000)]);
    expect(assembler.push(batch)).toBeNull();
    const rows = flowRows(assembler.finish());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      bidirectional_packets: 3,
      end_reason: 'end-of-capture',
      duration_ms: 5_000_000,
    });
  });

  it('names idle-timeout at finish for flows idle at the last packet time', () => {
    const assembler = new FlowAssembler({ idleTimeoutSeconds: 2, activeTimeoutSeconds: 0 });
    assembler.push(makeBatch([udp(0, { sport: 1 }), udp(5000, { sport: 2 })]));
    const rows = flowRows(assembler.finish());
    expect(rows.map((row) => row.end_reason)).toEqual(['idle-timeout', 'end-of-capture']);
  });
});

describe('FlowAssembler TCP reuse', () => {
  const syn = (ms: number): SyntheticPacket => ({ ms, proto: TCP, sport: 50000, dport: 443, flags: 'S' });
  const synAck = (ms: number): SyntheticPacket => ({
    ms,
    proto: TCP,
    src: '10.0.0.2',
    dst: '10.0.0.1',
    sport: 443,
    dport: 50000,
    flags: 'SA',
  });
  const fromClient = (ms: number, flags: string): SyntheticPacket => ({
    ms,
    proto: TCP,
    sport: 50000,
    dport: 443,
    flags,
  });
  const fromServer = (ms: number, flags: string): SyntheticPacket => ({ ...synAck(ms), flags });

  it('starts a new flow for a SYN after FIN', () => {
    const assembler = new FlowAssembler({ idleTimeoutSeconds: 0, activeTimeoutSeconds: 0 });
    const batch = makeBatch([
      syn(0),
      synAck(1),
      fromClient(2, 'A'),
      fromClient(3, 'FA'),
      fromServer(4, 'FA'),
      fromClient(5, 'A'),
      syn(6),
      synAck(7),
    ]);
    const pushed = assembler.push(batch);
    const rows = flowRows(pushed, assembler.finish());
    expect(Array.from(batch.flowIndex.subarray(0, 8))).toEqual([0, 0, 0, 0, 0, 0, 1, 1]);
    expect(pushed?.count).toBe(1);
    expect(rows.map((row) => [row.end_reason, row.tcp_state, row.bidirectional_packets])).toEqual([
      ['tcp-reuse', 'SF', 6],
      ['end-of-capture', 'S1', 2],
    ]);
  });

  it('starts a new flow for a SYN after RST, but not for a retransmitted SYN or a SYN-ACK', () => {
    const assembler = new FlowAssembler({ idleTimeoutSeconds: 0, activeTimeoutSeconds: 0 });
    const batch = makeBatch([syn(0), syn(1000), fromServer(1001, 'RA'), fromServer(1002, 'SA'), syn(3000)]);
    const rows = flowRows(assembler.push(batch), assembler.finish());
    expect(Array.from(batch.flowIndex.subarray(0, 5))).toEqual([0, 0, 0, 0, 1]);
    expect(rows.map((row) => row.end_reason)).toEqual(['tcp-reuse', 'end-of-capture']);
    expect(rows[1]!.tcp_state).toBe('S0');
  });
});
