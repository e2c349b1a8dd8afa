import { describe, expect, it } from 'vitest';
import type { FlowBatch } from '../../../src/shared/flow-schema';
import { AppSignature, DecodeStatus, FragmentFlag } from '../../../src/shared/packet-batch';
import { FlowAssembler, type FlowAssemblerOptions } from '../../../src/workers/flows/flow-assembler';
import { referenceAssemble } from './reference-assembler';
import { BASE_SEC, flowRows, makeBatch, parseIp, type SyntheticPacket } from './synthetic-packets';

/** mulberry32 PRNG (Tommy Ettinger), so the stream is the same on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

interface Conversation {
  a: string;
  b: string;
  aPort: number;
  bPort: number;
  proto: number;
  vlan: number;
}

/** A few thousand packets over ~10 minutes: TCP/UDP/ICMP, v4/v6, VLANs, fragments, non-IP, gaps. */
function randomStream(seed: number, count: number): SyntheticPacket[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const v4 = Array.from({ length: 16 }, (_, i) => `10.0.${i % 3}.${i + 1}`);
  const v6 = Array.from({ length: 5 }, (_, i) => `2001:db8::${(i + 1).toString(16)}`);
  const conversations: Conversation[] = Array.from({ length: 70 }, () => {
    const hosts = random() < 0.2 ? v6 : v4;
    const a = pick(hosts);
    let b = pick(hosts);
    while (b === a) b = pick(hosts);
    const roll = random();
    const proto = roll < 0.5 ? 6 : roll < 0.85 ? 17 : a.includes(':') ? 58 : 1;
    const id = 1 + Math.floor(random() * 5);
    const icmp = proto === 1 || proto === 58;
    return {
      a,
      b,
      aPort: icmp ? id : 1024 + Math.floor(random() * 60000),
      bPort: icmp ? id : pick([53, 80, 443, 22, 5060, 8080, 12345]),
      proto,
      vlan: random() < 0.15 ? pick([10, 20]) : 0,
    };
  });
  const tcpFlags = ['S', 'SA', 'A', 'A', 'PA', 'PA', 'FA', 'R', 'RA', 'A', 'PA'];
  const packets: SyntheticPacket[] = [];
  let ms = 0;
  let ipId = 1;
  while (packets.length < count) {
    const roll = random();
    ms += roll < 0.01 ? 40_000 : roll < 0.03 ? -30 : random() * 400;
    ms = Math.max(0, Math.round(ms * 1000) / 1000);
    if (random() < 0.03) {
      packets.push({ ms, status: pick([DecodeStatus.nonIp, DecodeStatus.unsupportedLinkType]) });
      continue;
    }
    const c = pick(conversations);
    const forward = random() < 0.55;
    const payload = random() < 0.4 ? 0 : Math.floor(random() * 1400);
    const header = c.proto === 6 ? pick([20, 32, 40]) : 8;
    const packet: SyntheticPacket = {
      ms,
      src: forward ? c.a : c.b,
      dst: forward ? c.b : c.a,
      sport: forward ? c.aPort : c.bPort,
      dport: forward ? c.bPort : c.aPort,
      proto: c.proto,
      vlan: c.vlan,
      payload,
      header,
      frame: payload + header + 34,
      ttl: 32 + Math.floor(random() * 100),
      flags: c.proto === 6 ? pick(tcpFlags) : '',
      window: Math.floor(random() * 65535),
      mss: random() < 0.5 ? 1460 : 0,
      icmpType: c.proto === 1 ? pick([8, 0]) : c.proto === 58 ? pick([128, 129]) : 0,
      srcMac: '02:00:00:00:00:01',
      dstMac: '02:00:00:00:00:02',
    };
    if (c.proto === 17 && (c.bPort === 53 || c.aPort === 53) && random() < 0.5) {
      packet.app = AppSignature.dns;
      packet.meta = forward
        ? { dnsQuery: `q${packets.length}.example`, dnsQtype: 'A', dnsIsResponse: false }
        : { dnsIsResponse: true, dnsRcode: 'NOERROR', dnsAnswers: '192.0.2.1' };
    }
    if (c.proto === 17 && random() < 0.05) {
      // A fragmented datagram: first fragment (ports) and a later one, sometimes out of order.
      const first: SyntheticPacket = {
        ...packet,
        ipId,
        fragment: FragmentFlag.isFragment | FragmentFlag.first,
      };
      const later: SyntheticPacket = {
        ...packet,
        ms: ms + 0.001,
        ipId,
        sport: 0,
        dport: 0,
        header: 0,
        payload: 300,
        fragment: FragmentFlag.isFragment,
        meta: undefined,
        app: 0,
      };
      ipId++;
      if (random() < 0.25) packets.push({ ...later, ms }, { ...first, ms: ms + 0.001 });
      else packets.push(first, later);
      ms += 0.001;
      continue;
    }
    packets.push(packet);
  }
  return packets.slice(0, count);
}

interface Outcome {
  flowIndex: number[];
  direction: number[];
  rows: ReturnType<typeof flowRows>;
  flowCount: number;
}

function runInBatches(packets: SyntheticPacket[], size: number, options: FlowAssemblerOptions): Outcome {
  const assembler = new FlowAssembler(options);
  const emitted: (FlowBatch | null)[] = [];
  const flowIndex: number[] = [];
  const direction: number[] = [];
  for (let start = 0; start < packets.length; start += size) {
    const batch = makeBatch(packets.slice(start, start + size), start + 1);
    emitted.push(assembler.push(batch));
    flowIndex.push(...batch.flowIndex.subarray(0, batch.count));
    direction.push(...batch.direction.subarray(0, batch.count));
  }
  emitted.push(assembler.finish());
  return { flowIndex, direction, rows: flowRows(...emitted), flowCount: assembler.flowCount };
}

describe('FlowAssembler determinism', () => {
  const packets = randomStream(0xf10b, 4000);
  const options = { idleTimeoutSeconds: 30, activeTimeoutSeconds: 60 };
  const whole = runInBatches(packets, packets.length, options);

  it('agrees with the naive reference on flow assignment, directions, counts and end reasons', () => {
    const reference = referenceAssemble(makeBatch(packets), 30, 60);
    expect(whole.flowIndex).toEqual(reference.flowIndex);
    expect(whole.direction).toEqual(reference.direction);
    expect(whole.flowCount).toBe(reference.flowCount);
    const actual = whole.rows.map((row) => ({
      flowIndex: row.flowIndex,
      srcPort: row.src_port,
      dstPort: row.dst_port,
      packets: [row.src2dst_packets, row.dst2src_packets],
      bytes: [row.src2dst_bytes, row.dst2src_bytes],
      firstUs: row.first_seen,
      lastUs: row.last_seen,
      endReason: row.end_reason,
    }));
    expect(actual).toEqual(reference.flows.map(({ srcEndpoint: _srcEndpoint, ...flow }) => flow));
    // The stream exercises every end reason and both kinds of dropped packets.
    const reasons = new Set(whole.rows.map((row) => row.end_reason));
    expect([...reasons].sort()).toEqual(['active-timeout', 'end-of-capture', 'idle-timeout', 'tcp-reuse']);
    expect(whole.flowIndex.filter((index) => index === -1).length).toBeGreaterThan(50);
    expect(whole.rows.some((row) => row.ip_version === 6 && row.protocol === 58)).toBe(true);
    expect(whole.rows[0]!.first_seen).toBeGreaterThanOrEqual(BASE_SEC * 1e6);
  });

  it.each([1, 7, 1000])('gives identical flows and per-packet columns with batches of %i', (size) => {
    const split = runInBatches(packets, size, options);
    expect(split.flowIndex).toEqual(whole.flowIndex);
    expect(split.direction).toEqual(whole.direction);
    expect(split.flowCount).toBe(whole.flowCount);
    expect(split.rows).toEqual(whole.rows);
  });

  it('is also batch-invariant with timeouts disabled', () => {
    const off = { idleTimeoutSeconds: 0, activeTimeoutSeconds: 0 };
    const a = runInBatches(packets, packets.length, off);
    const b = runInBatches(packets, 13, off);
    expect(b).toEqual(a);
    const reference = referenceAssemble(makeBatch(packets), 0, 0);
    expect(a.flowIndex).toEqual(reference.flowIndex);
  });
});

describe('FlowAssembler table growth and slot reuse', () => {
  it('keeps thousands of concurrent flows apart across table growth', () => {
    const n = 5000;
    const packets: SyntheticPacket[] = [];
    const host = (i: number): string => `10.${(i >> 8) & 255}.${i & 255}.1`;
    for (let i = 0; i < n; i++)
      packets.push({ ms: i, src: host(i), dst: '192.0.2.1', sport: 1000 + (i % 7), dport: 53 });
    for (let i = n - 1; i >= 0; i--)
      packets.push({
        ms: n + (n - 1 - i),
        src: '192.0.2.1',
        dst: host(i),
        sport: 53,
        dport: 1000 + (i % 7),
        frame: 200,
      });
    const assembler = new FlowAssembler({ idleTimeoutSeconds: 0, activeTimeoutSeconds: 0 });
    const batch = makeBatch(packets);
    assembler.push(batch);
    const rows = flowRows(assembler.finish());
    expect(assembler.flowCount).toBe(n);
    expect(Array.from(batch.flowIndex.subarray(n, 2 * n))).toEqual(
      Array.from({ length: n }, (_, k) => n - 1 - k),
    );
    expect(Array.from(batch.direction.subarray(n, 2 * n)).every((d) => d === 1)).toBe(true);
    expect(
      rows.every(
        (row, i) => row.src_ip === host(i) && row.src2dst_bytes === 100 && row.dst2src_bytes === 200,
      ),
    ).toBe(true);
  });

  it('reuses the slots of ended flows so memory follows concurrently open flows', () => {
    const assembler = new FlowAssembler({ idleTimeoutSeconds: 1, activeTimeoutSeconds: 0 });
    const packets: SyntheticPacket[] = [];
    for (let i = 0; i < 20_000; i++)
      packets.push({
        ms: i * 100,
        src: parseIp('10.0.0.1') && `10.1.${(i >> 8) & 255}.${i & 255}`,
        sport: i % 65536,
        dport: 9,
      });
    let emitted = 0;
    for (let start = 0; start < packets.length; start += 500)
      emitted += assembler.push(makeBatch(packets.slice(start, start + 500)))?.count ?? 0;
    emitted += assembler.finish().count;
    expect(emitted).toBe(20_000);
    const table = (assembler as unknown as { table: { capacity: number } }).table;
    expect(table.capacity).toBeLessThanOrEqual(1024);
  });
});
