/**
 * A small synthetic case for the query tests (the ingest decoders may not be finished): flows
 * written with CaptureWriter, and for capture 1 a real classic pcap file whose records match
 * the packet index, so payload bytes can be read back from it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ASSEMBLED_NUMBER_COLUMNS, ASSEMBLED_STRING_COLUMNS, FLOW_COLUMNS } from '../../../src/shared/flow-schema';
import { encodeStrings } from '../../../src/shared/encoded-strings';
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
  const encoded: FlowBatch['strings'] = {};
  for (const [name, values] of Object.entries(strings)) encoded[name] = encodeStrings(values);
  return { count: flows.length, numbers, strings: encoded, flowIndex: Float64Array.from(flows, (_, index) => index) };
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

/** Public /8 networks the bulk generator spreads external peers over (many countries). */
const PUBLIC_FIRST_OCTETS = [3, 8, 13, 31, 41, 45, 52, 62, 77, 80, 85, 91, 101, 104, 110, 118, 133, 139, 151, 177, 185, 190, 196, 200, 203, 212];

/**
 * Adds a capture of `count` synthetic flows generated inside DuckDB (millions in seconds) with
 * every flow column filled, for the query benchmark and the aggregate tests. Clients 10.1.x.y
 * (20,000) talk to internal servers 10.2.x.y (2,000) and to external peers in public /8s
 * (30,000, skewed toward a popular few), on common ports; every 1000th flow is a host talking
 * to itself and every 5000th has no addresses (non-IP).
 */
export async function addManySyntheticFlows(
  store: FlowlabService['store'],
  captureId: number,
  count: number,
  options: { startSeconds?: number; spanSeconds?: number; hostOffset?: number } = {},
): Promise<void> {
  await store.run(
    `INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, status, flows)
     VALUES ($id, $path, $name, 0, $path, 'complete', $count)`,
    { id: captureId, path: `/synthetic/many-${captureId}.pcap`, name: `many-${captureId}.pcap`, count },
  );
  const octets = `[${PUBLIC_FIRST_OCTETS.join(', ')}]`;
  const expressions: Record<string, string> = {
    flow_id: '$id::BIGINT * 4294967296 + n',
    capture_id: '$id',
    ip_version: '4',
    vlan_id: '0',
    protocol: 'CASE WHEN port IN (53, 123) THEN 17 WHEN n % 50 = 7 THEN 1 ELSE 6 END',
    src_ip: `CASE WHEN n % 5000 = 3 THEN NULL ELSE '10.1.' || (client // 256) || '.' || (client % 256) END`,
    dst_ip: `CASE WHEN n % 5000 = 3 THEN NULL WHEN n % 1000 = 1 THEN '10.1.' || (client // 256) || '.' || (client % 256)
              WHEN h2 % 10 < 4 THEN '10.2.' || (server % 2000 // 256) || '.' || (server % 256)
              ELSE ${octets}[1 + server % ${PUBLIC_FIRST_OCTETS.length}] || '.' || (server // 26 % 256) || '.' || (server // 7 % 256) || '.' || (1 + server % 250) END`,
    src_port: '1024 + h1 % 64000',
    dst_port: 'port',
    first_seen: 'to_timestamp($start) + to_microseconds(CAST(n * $step AS BIGINT))',
    last_seen: 'to_timestamp($start) + to_microseconds(CAST(n * $step AS BIGINT) + h3 % 60000000)',
    duration_ms: '(h3 % 60000000) / 1000.0',
    src2dst_packets: '1 + h1 % 40',
    dst2src_packets: 'h2 % 60',
    src2dst_bytes: '(1 + h1 % 40) * (60 + h2 % 600)',
    dst2src_bytes: '(h2 % 60) * (60 + h3 % 1400)',
    bidirectional_packets: '1 + h1 % 40 + h2 % 60',
    bidirectional_bytes: '(1 + h1 % 40) * (60 + h2 % 600) + (h2 % 60) * (60 + h3 % 1400)',
    application: `CASE port WHEN 443 THEN 'TLS' WHEN 80 THEN 'HTTP' WHEN 53 THEN 'DNS' WHEN 22 THEN 'SSH' ELSE NULL END`,
    tls_sni: `CASE WHEN port = 443 THEN 'site' || (server % 500) || '.example.com' END`,
    requested_server_name: `CASE WHEN port = 443 THEN 'site' || (server % 500) || '.example.com' END`,
    tcp_state: `CASE WHEN h1 % 7 = 0 THEN 'S0' ELSE 'SF' END`,
    end_reason: `'idle-timeout'`,
  };
  const select = FLOW_COLUMNS.map((column, index) => {
    const given = expressions[column.name];
    if (given) return `${given} AS ${column.name}`;
    if (column.type === 'VARCHAR') return `CASE WHEN h${1 + (index % 3)} % 4 = 0 THEN '${column.name}-' || (h1 % 97) END AS ${column.name}`;
    if (column.type === 'DOUBLE') return `(hash(n, ${index}) % 100000) / 100.0 AS ${column.name}`;
    return `CAST(hash(n, ${index}) % 1000 AS ${column.type}) AS ${column.name}`;
  });
  const span = options.spanSeconds ?? 86_400;
  await store.run(
    `INSERT INTO flows (${FLOW_COLUMNS.map((column) => column.name).join(', ')})
     SELECT ${select.join(',\n ')} FROM (
       SELECT n, h1, h2, h3, ($offset + h1 % 20000) AS client,
              ($offset + CAST(floor(30000 * pow((h2 % 1000003) / 1000003.0, 3)) AS BIGINT)) AS server,
              [443, 443, 443, 80, 53, 53, 22, 25, 123, 3389, 8080, 445][1 + h3 % 12] AS port
         FROM (SELECT n, CAST(hash(n, $id, 1) % 1000000007 AS BIGINT) AS h1, CAST(hash(n, $id, 2) % 1000000007 AS BIGINT) AS h2, CAST(hash(n, $id, 3) % 1000000007 AS BIGINT) AS h3
                 FROM range($count) t(n)))`,
    { id: captureId, count, start: T0 + (options.startSeconds ?? 0), step: (span * 1e6) / count, offset: options.hostOffset ?? 0 },
  );
}
