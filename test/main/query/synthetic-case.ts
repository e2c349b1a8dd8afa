/**
 * A small synthetic case for the query tests (the ingest decoders may not be finished): flows
 * written with CaptureWriter, and for capture 1 a real classic pcap file whose records match
 * the packet index, so payload bytes can be read back from it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ASSEMBLED_NUMBER_COLUMNS, ASSEMBLED_STRING_COLUMNS } from '../../../src/shared/flow-schema';
import type { FlowBatch } from '../../../src/shared/flow-schema';
import { createPacketBatch } from '../../../src/shared/packet-batch';
import { CaptureWriter } from '../../../src/main/store/capture-writer';
import { FlowlabService } from '../../../src/main/service/flowlab-service';

export interface SyntheticFlow {
  numbers: Record<string, number>;
  strings: Record<string, string | null>;
}

/** Epoch seconds of the first flow: 2024-01-01T00:00:00Z. */
export const T0 = 1704067200;

const flow = (
  src_ip: string,
  dst_ip: string,
  protocol: number,
  src_port: number,
  dst_port: number,
  startSeconds: number,
  s2d: [number, number],
  d2s: [number, number],
  extra: Partial<SyntheticFlow['numbers']> = {},
  strings: Record<string, string | null> = {},
): SyntheticFlow => ({
  numbers: {
    protocol,
    src_port,
    dst_port,
    ip_version: src_ip.includes(':') ? 6 : 4,
    vlan_id: 0,
    first_seen: (T0 + startSeconds) * 1e6,
    last_seen: (T0 + startSeconds + 2) * 1e6,
    duration_ms: 2000,
    src2dst_packets: s2d[0],
    src2dst_bytes: s2d[1],
    dst2src_packets: d2s[0],
    dst2src_bytes: d2s[1],
    bidirectional_packets: s2d[0] + d2s[0],
    bidirectional_bytes: s2d[1] + d2s[1],
    ...extra,
  },
  strings: { src_ip, dst_ip, ...strings },
});

/** Capture 1's flows (flow index = position). */
export const CAPTURE1_FLOWS: SyntheticFlow[] = [
  flow(
    '10.0.0.1',
    '93.184.216.34',
    6,
    40000,
    443,
    0,
    [3, 176],
    [2, 120],
    { bidirectional_mean_piat_ms: 5 },
    { application: 'TLS', tls_sni: 'example.org', tcp_state: 'SF' },
  ),
  flow(
    '10.0.0.2',
    '8.8.8.8',
    17,
    5353,
    53,
    30,
    [1, 80],
    [1, 120],
    { bidirectional_mean_piat_ms: 0 },
    { application: 'DNS', dns_query: 'Example.COM' },
  ),
  flow(
    '192.168.1.5',
    '10.0.0.1',
    6,
    50000,
    22,
    600,
    [10, 2000],
    [8, 3000],
    { bidirectional_mean_piat_ms: 50 },
    { application: 'SSH', tcp_state: 'S0' },
  ),
  flow(
    '2001:db8::1',
    '2001:4860:4860::8888',
    6,
    40001,
    443,
    1200,
    [5, 700],
    [5, 900],
    { bidirectional_mean_piat_ms: 500 },
    { application: 'TLS' },
  ),
  flow(
    '10.0.0.1',
    '10.0.0.2',
    6,
    40002,
    23,
    3600,
    [20, 1500],
    [15, 1400],
    { bidirectional_mean_piat_ms: 5000 },
    { application: 'Telnet', end_reason: 'idle-timeout' },
  ),
  flow('172.16.0.9', '224.0.0.251', 17, 5353, 5353, 7199, [1, 90], [0, 0], {}, { application: null }),
];

/** Capture 2 (a .gz capture, no file): one flow. */
export const CAPTURE2_FLOWS: SyntheticFlow[] = [
  flow(
    '10.9.9.9',
    '10.0.0.1',
    6,
    1234,
    80,
    100,
    [4, 400],
    [4, 4000],
    {},
    { application: 'HTTP', http_host: "it's <b>" },
  ),
];

/** Payloads of flow 0's packets (TCP): the second is short so its Ethernet frame is padded. */
export const FLOW0_PACKETS = [
  { direction: 0, payload: Buffer.from('GET / HTTP/1.1\r\nHost: example.org\r\n\r\n') },
  { direction: 1, payload: Buffer.from('hi') },
  { direction: 0, payload: Buffer.alloc(0) },
  { direction: 1, payload: Buffer.alloc(300, 0x41) },
] as const;

function flowBatch(flows: SyntheticFlow[]): FlowBatch {
  const numbers: Record<string, Float64Array> = {};
  for (const name of ASSEMBLED_NUMBER_COLUMNS)
    numbers[name] = new Float64Array(flows.length).fill(Number.NaN);
  const strings: Record<string, (string | null)[]> = {};
  for (const name of ASSEMBLED_STRING_COLUMNS) strings[name] = flows.map(() => null);
  flows.forEach((item, index) => {
    for (const [name, value] of Object.entries(item.numbers)) numbers[name]![index] = value;
    for (const [name, value] of Object.entries(item.strings)) strings[name]![index] = value;
  });
  return { count: flows.length, numbers, strings, flowIndex: Float64Array.from(flows, (_, index) => index) };
}

/** Ethernet + IPv4 + TCP frame (no checksums: nothing here verifies them). */
function tcpFrame(payload: Buffer): { frame: Buffer; ipLength: number } {
  const ipLength = 20 + 20 + payload.length;
  const frame = Buffer.alloc(Math.max(60, 14 + ipLength));
  frame.writeUInt16BE(0x0800, 12);
  frame[14] = 0x45;
  frame.writeUInt16BE(ipLength, 16);
  frame[22] = 64;
  frame[23] = 6;
  frame[46] = 0x50;
  payload.copy(frame, 54);
  return { frame, ipLength };
}

/** Builds the case in `dir`; returns the open service and the capture file path. */
export async function buildSyntheticCase(
  dir: string,
): Promise<{ service: FlowlabService; pcapPath: string }> {
  const service = await FlowlabService.open(path.join(dir, 'case.duckdb'));
  const store = service.store;
  const pcapPath = path.join(dir, 'capture1.pcap');
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const parts: Buffer[] = [header];
  let offset = 24;
  const batch = createPacketBatch(FLOW0_PACKETS.length, 1);
  batch.count = FLOW0_PACKETS.length;
  FLOW0_PACKETS.forEach((packet, i) => {
    const { frame, ipLength } = tcpFrame(packet.payload);
    const record = Buffer.alloc(16);
    record.writeUInt32LE(T0 + i, 0);
    record.writeUInt32LE(250_000, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    parts.push(record, frame);
    batch.tsSec[i] = T0 + i;
    batch.tsNsec[i] = 250_000_000 + i;
    batch.fileOffset[i] = offset;
    batch.recordLength[i] = 16 + frame.length;
    batch.linkType[i] = 1;
    batch.frameLength[i] = frame.length;
    batch.capturedLength[i] = frame.length;
    batch.ipVersion[i] = 4;
    batch.protocol[i] = 6;
    batch.ttl[i] = 64;
    batch.ipLength[i] = ipLength;
    batch.payloadLength[i] = packet.payload.length;
    batch.tcpFlags[i] = 0x18;
    batch.tcpSeq[i] = 1000 + i;
    batch.flowIndex[i] = 0;
    batch.direction[i] = packet.direction;
    offset += 16 + frame.length;
  });
  const file = Buffer.concat(parts);
  writeFileSync(pcapPath, file);

  const add = async (
    filePath: string,
    flows: SyntheticFlow[],
    compressed: boolean,
    sizeBytes: number,
    packets?: typeof batch,
  ) => {
    const id = await store.createCapture({
      path: filePath,
      fileName: path.basename(filePath),
      sizeBytes,
      fingerprint: filePath,
      idleTimeoutSeconds: 120,
      activeTimeoutSeconds: 1800,
    });
    const writer = await CaptureWriter.create(store, id);
    if (packets) writer.appendPackets(packets);
    writer.appendFlows(flowBatch(flows));
    await writer.close();
    await store.finishCapture(id, {
      status: 'complete',
      format: 'pcap',
      compressed,
      linkTypes: [1],
      warnings: [],
      elapsedMs: 1,
    });
    return id;
  };
  await add(pcapPath, CAPTURE1_FLOWS, false, file.length, batch);
  await add(path.join(dir, 'capture2.pcap.gz'), CAPTURE2_FLOWS, true, 1000);
  return { service, pcapPath };
}
