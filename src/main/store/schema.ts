/**
 * Case-file schema and its migrations. `schema_version` in `case_meta` records the applied
 * version; each migration moves the case one version forward inside a transaction.
 */
import { FLOW_COLUMNS } from '../../shared/flow-schema';
import { LABELS_MIGRATION } from '../labels/label-schema';
import { ML_MIGRATION } from '../ml/ml-schema';
import { HOST_AGGREGATES_MIGRATION } from '../query/host-aggregates';
import { IAT_BINS_TABLE } from '../query/iat-aggregates';
import { HOST_GEO_MIGRATION } from '../query/host-geo';
import { HOST_ORDER_MIGRATION } from '../query/host-order';
import { DETECT_SUMMARIES_MIGRATION } from '../detect/detect-summary-schema';

/** Packet index columns, in the order the packet writer fills them. */
export const PACKET_COLUMNS = [
  ['capture_id', 'INTEGER'],
  ['packet_number', 'BIGINT'],
  ['ts', 'TIMESTAMP_NS'],
  ['file_offset', 'BIGINT'],
  ['record_length', 'UINTEGER'],
  ['interface_id', 'USMALLINT'],
  ['link_type', 'USMALLINT'],
  ['frame_length', 'UINTEGER'],
  ['captured_length', 'UINTEGER'],
  ['decode_status', 'UTINYINT'],
  ['flow_id', 'BIGINT'],
  ['direction', 'UTINYINT'],
  ['ip_version', 'UTINYINT'],
  ['protocol', 'UTINYINT'],
  ['vlan_id', 'USMALLINT'],
  ['ttl', 'UTINYINT'],
  ['ip_id', 'UINTEGER'],
  ['ip_flags', 'UTINYINT'],
  ['fragment_offset', 'UINTEGER'],
  ['ip_length', 'UINTEGER'],
  ['tcp_flags', 'UTINYINT'],
  ['tcp_seq', 'UINTEGER'],
  ['tcp_ack', 'UINTEGER'],
  ['tcp_window', 'USMALLINT'],
  ['payload_length', 'UINTEGER'],
  ['src_port', 'USMALLINT'],
  ['dst_port', 'USMALLINT'],
  ['icmp_type', 'UTINYINT'],
  ['icmp_code', 'UTINYINT'],
  ['app_signature', 'UTINYINT'],
] as const;

export const ARP_COLUMNS = [
  ['capture_id', 'INTEGER'],
  ['packet_number', 'BIGINT'],
  ['ts', 'TIMESTAMP_NS'],
  ['operation', 'INTEGER'],
  ['sender_mac', 'VARCHAR'],
  ['sender_ip', 'VARCHAR'],
  ['target_mac', 'VARCHAR'],
  ['target_ip', 'VARCHAR'],
  ['summary', 'VARCHAR'],
] as const;

/**
 * One row per DNS message (DNS, mDNS, LLMNR; the first message of a TCP segment): flows keep
 * only their first query, while tunnelling and NXDOMAIN detection need every query and answer.
 */
export const DNS_COLUMNS = [
  ['capture_id', 'INTEGER'],
  ['packet_number', 'BIGINT'],
  ['ts', 'TIMESTAMP_NS'],
  ['flow_id', 'BIGINT'],
  ['transaction_id', 'INTEGER'],
  ['is_response', 'BOOLEAN'],
  ['query', 'VARCHAR'],
  ['qtype', 'VARCHAR'],
  ['rcode', 'VARCHAR'],
  ['answers', 'VARCHAR'],
] as const;

const columnList = (columns: ReadonlyArray<readonly [string, string]>): string =>
  columns.map(([name, type]) => `${name} ${type}`).join(',\n  ');

/** Ordered migrations; index + 1 is the version each produces. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS captures (
  id INTEGER PRIMARY KEY,
  path VARCHAR NOT NULL,
  file_name VARCHAR NOT NULL,
  size_bytes BIGINT NOT NULL,
  fingerprint VARCHAR NOT NULL,
  format VARCHAR,
  compressed BOOLEAN,
  link_types VARCHAR,
  packets BIGINT DEFAULT 0,
  bytes BIGINT DEFAULT 0,
  flows BIGINT DEFAULT 0,
  first_packet TIMESTAMP_NS,
  last_packet TIMESTAMP_NS,
  status VARCHAR NOT NULL,
  warnings VARCHAR DEFAULT '[]',
  idle_timeout_s DOUBLE,
  active_timeout_s DOUBLE,
  started_at TIMESTAMP,
  finished_at TIMESTAMP,
  elapsed_ms DOUBLE
);
CREATE TABLE IF NOT EXISTS flows (
  ${columnList(FLOW_COLUMNS.map((column) => [column.name, column.type] as const))}
);
CREATE TABLE IF NOT EXISTS packets (
  ${columnList(PACKET_COLUMNS)}
);
CREATE TABLE IF NOT EXISTS arp_packets (
  ${columnList(ARP_COLUMNS)}
);`,
  LABELS_MIGRATION,
  ML_MIGRATION,
  HOST_AGGREGATES_MIGRATION,
  `CREATE TABLE IF NOT EXISTS dns_messages (
  ${columnList(DNS_COLUMNS)}
);`,
  IAT_BINS_TABLE,
  HOST_GEO_MIGRATION,
  DETECT_SUMMARIES_MIGRATION,
  HOST_ORDER_MIGRATION,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
