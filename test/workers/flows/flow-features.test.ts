import { describe, expect, it } from 'vitest';
import { FragmentFlag } from '../../../src/shared/packet-batch';
import { FlowAssembler } from '../../../src/workers/flows/flow-assembler';
import { formatIpv4, formatIpv6, formatMac } from '../../../src/workers/flows/format-address';
import { flowRows, makeBatch, parseIp, type SyntheticPacket } from './synthetic-packets';

const noTimeouts = { idleTimeoutSeconds: 0, activeTimeoutSeconds: 0 };

function run(packets: SyntheticPacket[]) {
  const assembler = new FlowAssembler(noTimeouts);
  const batch = makeBatch(packets);
  const rows = flowRows(assembler.push(batch), assembler.finish());
  return {
    rows,
    flowIndex: Array.from(batch.flowIndex.subarray(0, packets.length)),
    direction: Array.from(batch.direction.subarray(0, packets.length)),
  };
}

describe('IP fragments', () => {
  const first = {
    src: '10.1.1.1',
    dst: '10.2.2.2',
    sport: 5353,
    dport: 53,
    ipId: 0x1234,
    fragment: FragmentFlag.isFragment | FragmentFlag.first,
    payload: 1472,
    header: 8,
  };
  const later = {
    src: '10.1.1.1',
    dst: '10.2.2.2',
    ipId: 0x1234,
    fragment: FragmentFlag.isFragment,
    payload: 600,
    header: 0,
  };

  it('attributes non-first fragments to the flow of their first fragment', () => {
    const { rows, flowIndex, direction } = run([
      { ms: 0, ...first },
      { ms: 1, ...later },
      { ms: 2, src: '10.2.2.2', dst: '10.1.1.1', sport: 53, dport: 5353, payload: 40 },
      { ms: 3, ...later, ipId: 0x9999 },
    ]);
    expect(flowIndex).toEqual([0, 0, 0, 1]);
    expect(direction).toEqual([0, 0, 1, 0]);
    expect(rows[0]).toMatchObject({
      src_port: 5353,
      dst_port: 53,
      src2dst_packets: 2,
      src2dst_payload_bytes: 2072,
      dst2src_packets: 1,
    });
    // A fragment of an unknown datagram falls back to a ports-0 flow.
    expect(rows[1]).toMatchObject({ src_port: 0, dst_port: 0, src2dst_packets: 1 });
  });

  it('sends a non-first fragment seen before its first fragment to the ports-0 flow', () => {
    const { rows, flowIndex } = run([
      { ms: 0, ...later },
      { ms: 1, ...first },
      { ms: 2, ...later, payload: 100 },
    ]);
    expect(flowIndex).toEqual([0, 1, 1]);
    expect(rows.map((row) => [row.src_port, row.dst_port, row.bidirectional_packets])).toEqual([
      [0, 0, 1],
      [5353, 53, 2],
    ]);
  });

  it('forgets a datagram 30 s after its first fragment', () => {
    const { flowIndex } = run([
      { ms: 0, ...first },
      { ms: 30_000, ...later },
      { ms: 30_001, ...later },
    ]);
    expect(flowIndex).toEqual([0, 0, 1]);
  });

  it('does not count TCP flags of non-first TCP fragments', () => {
    const { rows } = run([
      {
        ms: 0,
        proto: 6,
        sport: 1,
        dport: 2,
        flags: 'S',
        ipId: 7,
        fragment: FragmentFlag.isFragment | FragmentFlag.first,
      },
      { ms: 1, proto: 6, ipId: 7, fragment: FragmentFlag.isFragment, header: 0 },
    ]);
    expect(rows[0]).toMatchObject({
      bidirectional_packets: 2,
      src2dst_syn_packets: 1,
      src2dst_ack_packets: 0,
      tcp_state: 'S0',
      src2dst_min_header_bytes: 0,
    });
  });
});

describe('CICFlowMeter bulk, active/idle and sub-flow features', () => {
  const s2d = (ms: number, payload: number): SyntheticPacket => ({ ms, sport: 7000, dport: 8000, payload });
  const d2s = (ms: number, payload: number): SyntheticPacket => ({
    ms,
    src: '10.0.0.2',
    dst: '10.0.0.1',
    sport: 8000,
    dport: 7000,
    payload,
  });

  it('counts a bulk of 5 payload packets, active periods split by a > 5 s gap and sub-flows', () => {
    const { rows } = run([
      s2d(0, 100),
      s2d(100, 100),
      s2d(200, 100),
      s2d(300, 100),
      s2d(400, 100),
      d2s(500, 50),
      s2d(7000, 10),
      s2d(7200, 10),
    ]);
    const flow = rows[0]!;
    // Bulk: the 4th packet (0.3 s) opens it with duration 0.3 s, the 5th adds 0.1 s.
    expect(flow.src2dst_bulk_count).toBe(1);
    expect(flow.src2dst_bulk_packets).toBe(5);
    expect(flow.src2dst_bulk_bytes).toBe(500);
    expect(flow.src2dst_bulk_duration_ms).toBeCloseTo(400, 6);
    expect(flow.dst2src_bulk_count).toBe(0);
    // Active 0..0.5 s, idle 0.5..7.0 s, active 7.0..7.2 s (closed at the end).
    expect(flow.active_min_ms).toBeCloseTo(200, 6);
    expect(flow.active_max_ms).toBeCloseTo(500, 6);
    expect(flow.active_mean_ms).toBeCloseTo(350, 6);
    expect(flow.active_stddev_ms).toBeCloseTo(150, 6);
    expect(flow.idle_min_ms).toBeCloseTo(6500, 6);
    expect(flow.idle_max_ms).toBeCloseTo(6500, 6);
    expect(flow.idle_stddev_ms).toBe(0);
    expect(flow.subflow_count).toBe(2);
  });

  it('breaks a bulk candidate on payload in the other direction and on a gap > 1 s', () => {
    const interrupted = run([s2d(0, 1), s2d(100, 1), s2d(200, 1), d2s(250, 1), s2d(300, 1), s2d(400, 1)])
      .rows[0]!;
    expect(interrupted.src2dst_bulk_count).toBe(0);
    const gap = run([
      s2d(0, 1),
      s2d(100, 1),
      s2d(200, 1),
      s2d(1300, 1),
      s2d(1400, 1),
      s2d(1500, 1),
      s2d(1600, 1),
    ]).rows[0]!;
    expect([gap.src2dst_bulk_count, gap.src2dst_bulk_packets, gap.src2dst_bulk_bytes]).toEqual([1, 4, 4]);
    expect(gap.src2dst_bulk_duration_ms).toBeCloseTo(300, 6);
    expect(gap.subflow_count).toBe(2);
  });

  it('ignores pure ACKs of the other direction and zero-payload packets for bulks', () => {
    const flow = run([s2d(0, 10), d2s(50, 0), s2d(100, 10), s2d(200, 0), s2d(300, 10), s2d(400, 10)])
      .rows[0]!;
    expect([flow.src2dst_bulk_count, flow.src2dst_bulk_packets, flow.src2dst_bulk_bytes]).toEqual([1, 4, 40]);
  });

  it('uses NaN for statistics over empty samples and 0 for counts', () => {
    const flow = run([s2d(0, 0)]).rows[0]!;
    expect(flow.bidirectional_mean_piat_ms).toBeNaN();
    expect(flow.src2dst_stddev_ps).toBe(0);
    expect(flow.dst2src_mean_ps).toBeNaN();
    expect(flow.dst2src_min_ttl).toBeNaN();
    expect(flow.dst2src_min_header_bytes).toBeNaN();
    expect(flow.dst2src_packets).toBe(0);
    expect(flow.active_mean_ms).toBeNaN();
    expect(flow.idle_mean_ms).toBeNaN();
    expect(flow.src2dst_init_window).toBeNaN();
    expect(flow.src2dst_mss).toBeNaN();
    expect(flow.duration_ms).toBe(0);
    expect(flow.src_mac).toBeNull();
  });

  it('computes first_seen/last_seen exactly in microseconds', () => {
    const flow = run([s2d(0.0015, 0), s2d(2500.9999, 0)]).rows[0]!;
    expect(flow.first_seen).toBe(1_700_000_000_000_001);
    expect(flow.last_seen).toBe(1_700_000_002_500_999);
    expect(flow.duration_ms).toBeCloseTo(2500.9984, 9);
  });
});

describe('address formatting', () => {
  it('formats IPv4 and MACs', () => {
    expect(formatIpv4(parseIp('192.168.0.255').words[0]!)).toBe('192.168.0.255');
    expect(formatMac(Uint16Array.of(0x0011, 0x22aa, 0xbbff), 0)).toBe('00:11:22:aa:bb:ff');
    expect(formatMac(Uint16Array.of(0, 0, 0), 0)).toBeNull();
  });

  it.each([
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['fe80:0:0:0:abcd:ef01:2345:6789', 'fe80::abcd:ef01:2345:6789'],
    ['0:0:0:0:0:ffff:c000:0201', '::ffff:192.0.2.1'],
  ])('formats %s as %s (RFC 5952)', (input, expected) => {
    expect(formatIpv6(Uint32Array.from(parseIp(input).words), 0)).toBe(expected);
  });
});
