/**
 * The flow table's columns: stable names that the grid, analytics, exports and the CLI use.
 * Numeric columns travel as Float64Array (NaN = NULL); VARCHAR columns as UTF-8 (EncodedStrings).
 */
import type { EncodedStrings } from './encoded-strings';

export type FlowColumnType = 'BIGINT' | 'INTEGER' | 'DOUBLE' | 'VARCHAR' | 'TIMESTAMP';

export interface FlowColumn {
  name: string;
  type: FlowColumnType;
  description: string;
}

const directions = [
  ['bidirectional', 'both directions'],
  ['src2dst', 'src→dst'],
  ['dst2src', 'dst→src'],
] as const;
const sides = directions.slice(1);

const statColumns = (suffix: string, what: string, unit: string): FlowColumn[] =>
  directions.flatMap(([prefix, label]) =>
    (['min', 'mean', 'stddev', 'max'] as const).map((stat) => ({
      name: `${prefix}_${stat}_${suffix}`,
      type: 'DOUBLE' as const,
      description: `${stat === 'stddev' ? 'Population standard deviation' : stat[0]!.toUpperCase() + stat.slice(1)} of ${what} (${label}), ${unit}`,
    })),
  );

const tcpFlagNames = ['syn', 'ack', 'fin', 'rst', 'psh', 'urg', 'ece', 'cwr'] as const;

export const FLOW_COLUMNS: readonly FlowColumn[] = [
  { name: 'flow_id', type: 'BIGINT', description: 'Flow identifier, unique in the case (capture_id * 2^32 + flow number)' },
  { name: 'capture_id', type: 'INTEGER', description: 'Capture the flow came from (captures.id)' },
  { name: 'ip_version', type: 'INTEGER', description: '4 or 6 (innermost IP header when tunnelled)' },
  { name: 'vlan_id', type: 'INTEGER', description: 'Outer 802.1Q VLAN id, 0 when untagged' },
  { name: 'protocol', type: 'INTEGER', description: 'IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...)' },
  { name: 'src_ip', type: 'VARCHAR', description: 'Initiator address: sender of the first packet (of the SYN when seen)' },
  { name: 'src_port', type: 'INTEGER', description: 'Initiator port (ICMP echo: the identifier; other protocols: 0)' },
  { name: 'dst_ip', type: 'VARCHAR', description: 'Responder address' },
  { name: 'dst_port', type: 'INTEGER', description: 'Responder port (ICMP echo: the identifier; other protocols: 0)' },
  { name: 'src_mac', type: 'VARCHAR', description: 'Source MAC of the first src→dst packet, NULL without an Ethernet header' },
  { name: 'dst_mac', type: 'VARCHAR', description: 'Destination MAC of the first src→dst packet' },
  { name: 'first_seen', type: 'TIMESTAMP', description: 'Time of the first packet (UTC, microseconds)' },
  { name: 'last_seen', type: 'TIMESTAMP', description: 'Time of the last packet (UTC, microseconds)' },
  { name: 'duration_ms', type: 'DOUBLE', description: 'last_seen - first_seen, milliseconds' },
  ...directions.flatMap(([prefix, label]) => [
    { name: `${prefix}_packets`, type: 'BIGINT' as const, description: `Packets (${label})` },
    { name: `${prefix}_bytes`, type: 'BIGINT' as const, description: `On-wire frame bytes, as Wireshark frame.len (${label})` },
  ]),
  ...directions.map(([prefix, label]) => ({
    name: `${prefix}_payload_bytes`,
    type: 'BIGINT' as const,
    description: `Transport payload bytes from the IP/TCP/UDP length fields (${label})`,
  })),
  ...sides.flatMap(([prefix, label]) => [
    { name: `${prefix}_header_bytes`, type: 'BIGINT' as const, description: `Sum of transport header lengths (TCP with options, UDP 8, ICMP 8) (${label})` },
    { name: `${prefix}_min_header_bytes`, type: 'INTEGER' as const, description: `Smallest transport header length (${label}); CICFlowMeter min_seg_size` },
  ]),
  ...statColumns('ps', 'frame length', 'bytes'),
  ...statColumns('payload', 'transport payload length', 'bytes'),
  ...statColumns('piat_ms', 'packet inter-arrival time', 'milliseconds'),
  ...sides.flatMap(([prefix, label]) =>
    tcpFlagNames.map((flag) => ({
      name: `${prefix}_${flag}_packets`,
      type: 'BIGINT' as const,
      description: `TCP packets with ${flag.toUpperCase()} set (${label})`,
    })),
  ),
  ...sides.flatMap(([prefix, label]) => [
    { name: `${prefix}_init_window`, type: 'INTEGER' as const, description: `TCP window of the first packet (${label}), raw (unscaled); NULL when none` },
    { name: `${prefix}_mss`, type: 'INTEGER' as const, description: `TCP MSS option of the SYN (${label}); NULL when none` },
    { name: `${prefix}_data_packets`, type: 'BIGINT' as const, description: `Packets with transport payload > 0 (${label}); CICFlowMeter act_data_pkt` },
    { name: `${prefix}_min_ttl`, type: 'INTEGER' as const, description: `Smallest IP TTL / hop limit (${label})` },
    { name: `${prefix}_max_ttl`, type: 'INTEGER' as const, description: `Largest IP TTL / hop limit (${label})` },
  ]),
  ...(['active', 'idle'] as const).flatMap((kind) =>
    (['min', 'mean', 'stddev', 'max'] as const).map((stat) => ({
      name: `${kind}_${stat}_ms`,
      type: 'DOUBLE' as const,
      description: `${stat} of ${kind} periods, milliseconds (a gap > 5 s between packets ends an active period; CICFlowMeter activity timeout)`,
    })),
  ),
  ...sides.flatMap(([prefix, label]) => [
    { name: `${prefix}_bulk_count`, type: 'BIGINT' as const, description: `Bulk transfers (>= 4 consecutive payload packets one way, gaps < 1 s) (${label})` },
    { name: `${prefix}_bulk_packets`, type: 'BIGINT' as const, description: `Packets in bulk transfers (${label})` },
    { name: `${prefix}_bulk_bytes`, type: 'BIGINT' as const, description: `Payload bytes in bulk transfers (${label})` },
    { name: `${prefix}_bulk_duration_ms`, type: 'DOUBLE' as const, description: `Total duration of bulk transfers, milliseconds (${label})` },
  ]),
  { name: 'subflow_count', type: 'BIGINT', description: 'Sub-flows: a gap > 1 s between packets starts a new one (CICFlowMeter)' },
  { name: 'icmp_type', type: 'INTEGER', description: 'ICMP/ICMPv6 type of the first packet; NULL for other protocols' },
  { name: 'icmp_code', type: 'INTEGER', description: 'ICMP/ICMPv6 code of the first packet; NULL for other protocols' },
  { name: 'application', type: 'VARCHAR', description: 'Application guess: payload signature, else well-known port' },
  { name: 'requested_server_name', type: 'VARCHAR', description: 'TLS SNI, else HTTP Host, else DNS query name' },
  { name: 'dns_query', type: 'VARCHAR', description: 'First DNS query name' },
  { name: 'dns_qtype', type: 'VARCHAR', description: 'Type of the first DNS query (A, AAAA, TXT, ...)' },
  { name: 'dns_rcode', type: 'VARCHAR', description: 'Response code of the first DNS response (NOERROR, NXDOMAIN, ...)' },
  { name: 'dns_answers', type: 'VARCHAR', description: 'Answers of the first DNS response, comma-separated' },
  { name: 'tls_sni', type: 'VARCHAR', description: 'TLS ClientHello server_name (RFC 6066 3)' },
  { name: 'tls_version', type: 'VARCHAR', description: 'TLS version selected by the server, else offered by the client' },
  { name: 'http_method', type: 'VARCHAR', description: 'Method of the first HTTP request' },
  { name: 'http_host', type: 'VARCHAR', description: 'Host header of the first HTTP request' },
  { name: 'http_uri', type: 'VARCHAR', description: 'Request target of the first HTTP request' },
  { name: 'http_user_agent', type: 'VARCHAR', description: 'User-Agent of the first HTTP request' },
  { name: 'http_status', type: 'INTEGER', description: 'Status code of the first HTTP response' },
  { name: 'tcp_state', type: 'VARCHAR', description: 'Zeek-like conn_state (S0, S1, SF, REJ, RSTO, RSTR, SH, OTH, ...); NULL for non-TCP' },
  { name: 'end_reason', type: 'VARCHAR', description: 'Why the flow ended: idle-timeout, active-timeout, tcp-reuse, end-of-capture' },
];

export const FLOW_COLUMN_NAMES: readonly string[] = FLOW_COLUMNS.map((column) => column.name);

/** Finished flows in columnar form, as the assembler emits them. */
export interface FlowBatch {
  count: number;
  /** Every non-VARCHAR column of FLOW_COLUMNS except flow_id/capture_id (the store sets them); NaN = NULL. */
  numbers: Record<string, Float64Array>;
  /** Every VARCHAR column as UTF-8 (see encoded-strings.ts; decodeString reads a value). */
  strings: Record<string, EncodedStrings>;
  /** Flow number within the capture (0-based); flow_id = capture_id * 2^32 + flowIndex. */
  flowIndex: Float64Array;
}

/** Columns the assembler must fill (all but the ids the store assigns). */
export const ASSEMBLED_NUMBER_COLUMNS: readonly string[] = FLOW_COLUMNS.filter(
  (column) => column.type !== 'VARCHAR' && column.name !== 'flow_id' && column.name !== 'capture_id',
).map((column) => column.name);
export const ASSEMBLED_STRING_COLUMNS: readonly string[] = FLOW_COLUMNS.filter((column) => column.type === 'VARCHAR').map(
  (column) => column.name,
);
