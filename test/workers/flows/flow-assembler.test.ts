import { describe, expect, it } from 'vitest';
import { ASSEMBLED_NUMBER_COLUMNS, ASSEMBLED_STRING_COLUMNS } from '../../../src/shared/flow-schema';
import { AppSignature, DecodeStatus } from '../../../src/shared/packet-batch';
import { FlowAssembler } from '../../../src/workers/flows/flow-assembler';
import { BASE_SEC, flowRows, makeBatch, populationStats, type SyntheticPacket } from './synthetic-packets';

const TCP = 6;
const client = { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80, proto: TCP };
const server = { src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000, proto: TCP, ttl: 128 };
const noTimeouts = { idleTimeoutSeconds: 0, activeTimeoutSeconds: 0 };

/** Pushes `packets` as one batch and finishes; returns the rows and the batch. */
function assemble(packets: SyntheticPacket[], options = noTimeouts) {
  const assembler = new FlowAssembler(options);
  const batch = makeBatch(packets);
  const pushed = assembler.push(batch);
  const finished = assembler.finish();
  return { rows: flowRows(pushed, finished), batch, assembler, pushed, finished };
}

const handshake: SyntheticPacket[] = [
  {
    ...client,
    ms: 0,
    flags: 'S',
    frame: 74,
    header: 40,
    window: 64240,
    mss: 1460,
    ttl: 64,
    srcMac: '00:11:22:33:44:55',
    dstMac: '66:77:88:99:aa:bb',
  },
  { ...server, ms: 10, flags: 'SA', frame: 74, header: 40, window: 65160, mss: 1400, ttl: 128 },
  { ...client, ms: 20, flags: 'A', frame: 66, header: 32, window: 502 },
  {
    ...client,
    ms: 30,
    flags: 'PA',
    frame: 166,
    header: 32,
    payload: 100,
    app: AppSignature.httpRequest,
    meta: { httpMethod: 'GET', httpHost: 'example.com', httpUri: '/index.html', httpUserAgent: 'curl/8.0' },
  },
  { ...server, ms: 50, flags: 'A', frame: 66, header: 32 },
  {
    ...server,
    ms: 60,
    flags: 'PA',
    frame: 266,
    header: 32,
    payload: 200,
    app: AppSignature.httpResponse,
    meta: { httpStatus: 200 },
  },
  { ...client, ms: 100, flags: 'FA', frame: 66, header: 32 },
  { ...server, ms: 110, flags: 'FA', frame: 66, header: 32 },
  { ...client, ms: 120, flags: 'A', frame: 66, header: 32 },
];

describe('FlowAssembler: TCP handshake, data and FIN', () => {
  const { rows, batch, assembler } = assemble(handshake);
  const flow = rows[0]!;

  it('makes one flow with the SYN sender as src and per-packet directions', () => {
    expect(rows).toHaveLength(1);
    expect(assembler.flowCount).toBe(1);
    expect(Array.from(batch.flowIndex.subarray(0, 9))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(batch.direction.subarray(0, 9))).toEqual([0, 1, 0, 0, 1, 1, 0, 1, 0]);
    expect(flow).toMatchObject({
      flowIndex: 0,
      ip_version: 4,
      vlan_id: 0,
      protocol: 6,
      src_ip: '10.0.0.1',
      dst_ip: '10.0.0.2',
      src_port: 40000,
      dst_port: 80,
    });
    expect(flow).toMatchObject({ src_mac: '00:11:22:33:44:55', dst_mac: '66:77:88:99:aa:bb' });
  });

  it('counts packets, frame bytes, payload and header bytes per direction', () => {
    expect(flow).toMatchObject({
      bidirectional_packets: 9,
      src2dst_packets: 5,
      dst2src_packets: 4,
      src2dst_bytes: 74 + 66 + 166 + 66 + 66,
      dst2src_bytes: 74 + 66 + 266 + 66,
      bidirectional_bytes: 438 + 472,
      src2dst_payload_bytes: 100,
      dst2src_payload_bytes: 200,
      bidirectional_payload_bytes: 300,
      src2dst_header_bytes: 40 + 4 * 32,
      dst2src_header_bytes: 40 + 3 * 32,
      src2dst_min_header_bytes: 32,
      dst2src_min_header_bytes: 32,
      src2dst_data_packets: 1,
      dst2src_data_packets: 1,
    });
  });

  it('counts TCP flags, initial windows, MSS and TTLs per direction', () => {
    expect(flow).toMatchObject({
      src2dst_syn_packets: 1,
      src2dst_ack_packets: 4,
      src2dst_fin_packets: 1,
      src2dst_psh_packets: 1,
      src2dst_rst_packets: 0,
      src2dst_urg_packets: 0,
      dst2src_syn_packets: 1,
      dst2src_ack_packets: 4,
      dst2src_fin_packets: 1,
      dst2src_psh_packets: 1,
      src2dst_init_window: 64240,
      dst2src_init_window: 65160,
      src2dst_mss: 1460,
      dst2src_mss: 1400,
      src2dst_min_ttl: 64,
      src2dst_max_ttl: 64,
      dst2src_min_ttl: 128,
      dst2src_max_ttl: 128,
      tcp_state: 'SF',
      end_reason: 'end-of-capture',
    });
  });

  it('computes times and inter-arrival statistics (population stddev, ms)', () => {
    expect(flow.first_seen).toBe(BASE_SEC * 1e6);
    expect(flow.last_seen).toBe(BASE_SEC * 1e6 + 120_000);
    expect(flow.duration_ms).toBeCloseTo(120, 9);
    // Gaps 10,10,10,20,10,40,10,10 ms: mean 15, squared deviations sum 800, variance 100.
    expect(flow.bidirectional_mean_piat_ms).toBeCloseTo(15, 9);
    expect(flow.bidirectional_stddev_piat_ms).toBeCloseTo(10, 9);
    expect(flow.bidirectional_min_piat_ms).toBeCloseTo(10, 9);
    expect(flow.bidirectional_max_piat_ms).toBeCloseTo(40, 9);
    const src2dst = populationStats([20, 10, 70, 20]);
    const dst2src = populationStats([40, 10, 50]);
    expect(flow.src2dst_mean_piat_ms).toBeCloseTo(30, 9);
    expect(flow.src2dst_stddev_piat_ms).toBeCloseTo(Math.sqrt(550), 9);
    expect(flow.src2dst_stddev_piat_ms).toBeCloseTo(src2dst.stddev, 9);
    expect(flow.dst2src_mean_piat_ms).toBeCloseTo(dst2src.mean, 9);
    expect(flow.dst2src_stddev_piat_ms).toBeCloseTo(dst2src.stddev, 9);
    expect(flow.dst2src_min_piat_ms).toBeCloseTo(10, 9);
    expect(flow.dst2src_max_piat_ms).toBeCloseTo(50, 9);
  });

  it('computes frame and payload size statistics', () => {
    const all = populationStats([74, 74, 66, 166, 66, 266, 66, 66, 66]);
    expect(flow.bidirectional_min_ps).toBe(66);
    expect(flow.bidirectional_max_ps).toBe(266);
    expect(flow.bidirectional_mean_ps).toBeCloseTo(all.mean, 9);
    expect(flow.bidirectional_stddev_ps).toBeCloseTo(all.stddev, 9);
    expect(flow.src2dst_mean_payload).toBeCloseTo(20, 9);
    expect(flow.src2dst_stddev_payload).toBeCloseTo(40, 9);
    expect(flow.dst2src_max_payload).toBe(200);
  });

  it('takes HTTP metadata and the application from the payload signature', () => {
    expect(flow).toMatchObject({
      application: 'HTTP',
      http_method: 'GET',
      http_host: 'example.com',
      http_uri: '/index.html',
      http_user_agent: 'curl/8.0',
      http_status: 200,
      requested_server_name: 'example.com',
      dns_query: null,
      tls_sni: null,
    });
  });

  it('reports one active period of 120 ms, no idle period, one sub-flow, no bulk', () => {
    expect(flow.active_min_ms).toBeCloseTo(120, 9);
    expect(flow.active_stddev_ms).toBe(0);
    expect(flow.idle_mean_ms).toBeNaN();
    expect(flow.subflow_count).toBe(1);
    expect(flow.src2dst_bulk_count).toBe(0);
    expect(flow.icmp_type).toBeNaN();
  });

  it('fills every assembled column', () => {
    expect(Object.keys(flow).sort()).toEqual(
      [...ASSEMBLED_NUMBER_COLUMNS, ...ASSEMBLED_STRING_COLUMNS, 'flowIndex'].sort(),
    );
  });
});

describe('FlowAssembler: initiator and keys', () => {
  it('makes the receiver of a first-seen SYN-ACK the initiator', () => {
    const { rows, batch } = assemble([
      { ...server, ms: 0, flags: 'SA' },
      { ...client, ms: 1, flags: 'A' },
    ]);
    expect(rows[0]).toMatchObject({
      src_ip: '10.0.0.1',
      src_port: 40000,
      dst_ip: '10.0.0.2',
      dst_port: 80,
      src2dst_packets: 1,
      dst2src_packets: 1,
    });
    expect(Array.from(batch.direction.subarray(0, 2))).toEqual([1, 0]);
  });

  it('makes the sender of the first packet the initiator otherwise', () => {
    const { rows } = assemble([
      { ...server, ms: 0, flags: 'A' },
      { ...client, ms: 1, flags: 'A' },
    ]);
    expect(rows[0]).toMatchObject({ src_ip: '10.0.0.2', src_port: 80, tcp_state: 'OTH' });
  });

  it('keys ICMP echo by identifier and takes the type of the first packet', () => {
    const a = { src: '192.168.1.5', dst: '8.8.8.8', proto: 1 };
    const b = { src: '8.8.8.8', dst: '192.168.1.5', proto: 1 };
    const { rows, batch } = assemble([
      { ...a, ms: 0, sport: 7, dport: 7, icmpType: 8 },
      { ...b, ms: 5, sport: 7, dport: 7, icmpType: 0 },
      { ...a, ms: 10, sport: 8, dport: 8, icmpType: 8 },
    ]);
    expect(Array.from(batch.flowIndex.subarray(0, 3))).toEqual([0, 0, 1]);
    expect(Array.from(batch.direction.subarray(0, 3))).toEqual([0, 1, 0]);
    expect(rows[0]).toMatchObject({
      src_port: 7,
      dst_port: 7,
      icmp_type: 8,
      icmp_code: 0,
      bidirectional_packets: 2,
      tcp_state: null,
      application: null,
    });
    expect(rows[1]).toMatchObject({ src_port: 8, icmp_type: 8, bidirectional_packets: 1 });
  });

  it('handles IPv6 endpoints and formats them per RFC 5952', () => {
    const { rows } = assemble([
      {
        ms: 0,
        src: '2001:db8::1',
        dst: '2001:db8:0:0:1::2',
        sport: 5000,
        dport: 443,
        proto: TCP,
        flags: 'S',
      },
      {
        ms: 1,
        src: '2001:db8:0:0:1::2',
        dst: '2001:db8::1',
        sport: 443,
        dport: 5000,
        proto: TCP,
        flags: 'SA',
      },
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      ip_version: 6,
      src_ip: '2001:db8::1',
      dst_ip: '2001:db8::1:0:0:2',
      application: 'TLS',
      tcp_state: 'S1',
    });
  });

  it('separates otherwise identical flows on different VLANs', () => {
    const { rows, batch } = assemble([
      { ms: 0, sport: 1000, dport: 2000, vlan: 10 },
      { ms: 1, sport: 1000, dport: 2000, vlan: 20 },
      { ms: 2, src: '10.0.0.2', dst: '10.0.0.1', sport: 2000, dport: 1000, vlan: 10 },
    ]);
    expect(Array.from(batch.flowIndex.subarray(0, 3))).toEqual([0, 1, 0]);
    expect(rows.map((row) => [row.vlan_id, row.bidirectional_packets])).toEqual([
      [10, 2],
      [20, 1],
    ]);
  });

  it('gives non-IP packets flowIndex -1', () => {
    const { rows, batch } = assemble([
      { ms: 0, status: DecodeStatus.nonIp },
      { ms: 1, status: DecodeStatus.unsupportedLinkType },
      { ms: 2, status: DecodeStatus.truncated, sport: 1, dport: 2 },
      { ms: 3, sport: 1, dport: 2 },
    ]);
    // makeBatch leaves ipVersion 0 for non-IP statuses; truncated IP packets still get a flow.
    batch.ipVersion[2] = 4;
    expect(Array.from(batch.flowIndex.subarray(0, 4))).toEqual([-1, -1, 0, 0]);
    expect(rows).toHaveLength(1);
  });

  it('gives truncated packets without an IP version flowIndex -1', () => {
    const assembler = new FlowAssembler(noTimeouts);
    const batch = makeBatch([{ ms: 0, status: DecodeStatus.truncated }]);
    batch.ipVersion[0] = 0;
    assembler.push(batch);
    expect(batch.flowIndex[0]).toBe(-1);
    expect(assembler.finish().count).toBe(0);
  });

  it('returns an empty FlowBatch with every column from finish when nothing is open', () => {
    const finished = new FlowAssembler(noTimeouts).finish();
    expect(finished.count).toBe(0);
    expect(Object.keys(finished.numbers).sort()).toEqual([...ASSEMBLED_NUMBER_COLUMNS].sort());
    expect(Object.keys(finished.strings).sort()).toEqual([...ASSEMBLED_STRING_COLUMNS].sort());
  });

  it('rejects negative or non-finite timeouts', () => {
    expect(() => new FlowAssembler({ idleTimeoutSeconds: -1, activeTimeoutSeconds: 0 })).toThrow(RangeError);
    expect(() => new FlowAssembler({ idleTimeoutSeconds: 0, activeTimeoutSeconds: NaN })).toThrow(RangeError);
  });
});
