import { ASSEMBLED_NUMBER_COLUMNS, ASSEMBLED_STRING_COLUMNS } from '../../shared/flow-schema';

/**
 * Positions of the FlowBatch columns the emitter writes, resolved from the schema's names once
 * at module load. Loading fails if a name is unknown or a schema column has no writer, so the
 * emitter and flow-schema.ts cannot drift apart silently.
 */
const numberUsed = new Set<number>();
const stringUsed = new Set<number>();

function numberColumn(name: string): number {
  const index = ASSEMBLED_NUMBER_COLUMNS.indexOf(name);
  if (index < 0) throw new Error(`Flow emitter: '${name}' is not in ASSEMBLED_NUMBER_COLUMNS`);
  numberUsed.add(index);
  return index;
}

function stringColumn(name: string): number {
  const index = ASSEMBLED_STRING_COLUMNS.indexOf(name);
  if (index < 0) throw new Error(`Flow emitter: '${name}' is not in ASSEMBLED_STRING_COLUMNS`);
  stringUsed.add(index);
  return index;
}

const SIDES = ['src2dst', 'dst2src'] as const;
/** flow-schema tcpFlagNames with their TcpFlag bit positions (RFC 9293 3.1: FIN bit 0 ... CWR bit 7). */
const FLAG_BITS = [
  ['syn', 1],
  ['ack', 4],
  ['fin', 0],
  ['rst', 2],
  ['psh', 3],
  ['urg', 5],
  ['ece', 6],
  ['cwr', 7],
] as const;

/** min, mean, stddev, max column positions of one statistic. */
export type StatColumns = readonly [min: number, mean: number, stddev: number, max: number];
const statColumns = (prefix: string, suffix: string): StatColumns => [
  numberColumn(`${prefix}_min_${suffix}`),
  numberColumn(`${prefix}_mean_${suffix}`),
  numberColumn(`${prefix}_stddev_${suffix}`),
  numberColumn(`${prefix}_max_${suffix}`),
];
/** Per statistic: bidirectional, src2dst, dst2src. */
const threeWay = (suffix: string): StatColumns[] =>
  ['bidirectional', ...SIDES].map((prefix) => statColumns(prefix, suffix));

export const NumberColumn = {
  ipVersion: numberColumn('ip_version'),
  vlanId: numberColumn('vlan_id'),
  protocol: numberColumn('protocol'),
  srcPort: numberColumn('src_port'),
  dstPort: numberColumn('dst_port'),
  firstSeen: numberColumn('first_seen'),
  lastSeen: numberColumn('last_seen'),
  durationMs: numberColumn('duration_ms'),
  packets: numberColumn('bidirectional_packets'),
  bytes: numberColumn('bidirectional_bytes'),
  payloadBytes: numberColumn('bidirectional_payload_bytes'),
  /** Per direction (0 = src2dst, 1 = dst2src). */
  sides: SIDES.map((side) => ({
    packets: numberColumn(`${side}_packets`),
    bytes: numberColumn(`${side}_bytes`),
    payloadBytes: numberColumn(`${side}_payload_bytes`),
    headerBytes: numberColumn(`${side}_header_bytes`),
    minHeaderBytes: numberColumn(`${side}_min_header_bytes`),
    /** [column, TcpFlag bit position]. */
    flags: FLAG_BITS.map(([flag, bit]) => [numberColumn(`${side}_${flag}_packets`), bit] as const),
    initWindow: numberColumn(`${side}_init_window`),
    mss: numberColumn(`${side}_mss`),
    dataPackets: numberColumn(`${side}_data_packets`),
    minTtl: numberColumn(`${side}_min_ttl`),
    maxTtl: numberColumn(`${side}_max_ttl`),
    bulkCount: numberColumn(`${side}_bulk_count`),
    bulkPackets: numberColumn(`${side}_bulk_packets`),
    bulkBytes: numberColumn(`${side}_bulk_bytes`),
    bulkDurationMs: numberColumn(`${side}_bulk_duration_ms`),
  })),
  /** Index 0 bidirectional, 1 src2dst, 2 dst2src. */
  sizeStats: threeWay('ps'),
  payloadStats: threeWay('payload'),
  iatStats: threeWay('piat_ms'),
  activeStats: statColumns('active', 'ms'),
  idleStats: statColumns('idle', 'ms'),
  subflowCount: numberColumn('subflow_count'),
  icmpType: numberColumn('icmp_type'),
  icmpCode: numberColumn('icmp_code'),
  httpStatus: numberColumn('http_status'),
} as const;

export const StringColumn = {
  srcIp: stringColumn('src_ip'),
  dstIp: stringColumn('dst_ip'),
  srcMac: stringColumn('src_mac'),
  dstMac: stringColumn('dst_mac'),
  application: stringColumn('application'),
  requestedServerName: stringColumn('requested_server_name'),
  dnsQuery: stringColumn('dns_query'),
  dnsQtype: stringColumn('dns_qtype'),
  dnsRcode: stringColumn('dns_rcode'),
  dnsAnswers: stringColumn('dns_answers'),
  tlsSni: stringColumn('tls_sni'),
  tlsVersion: stringColumn('tls_version'),
  httpMethod: stringColumn('http_method'),
  httpHost: stringColumn('http_host'),
  httpUri: stringColumn('http_uri'),
  httpUserAgent: stringColumn('http_user_agent'),
  tcpState: stringColumn('tcp_state'),
  endReason: stringColumn('end_reason'),
} as const;

const unwritten = [
  ...ASSEMBLED_NUMBER_COLUMNS.filter((_, i) => !numberUsed.has(i)),
  ...ASSEMBLED_STRING_COLUMNS.filter((_, i) => !stringUsed.has(i)),
];
if (unwritten.length > 0) throw new Error(`Flow emitter has no writer for columns: ${unwritten.join(', ')}`);
