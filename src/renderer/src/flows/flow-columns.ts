/**
 * How each flow column is shown: its group (column chooser, details panel), its display format,
 * and the default visible set. Pure; derived from the shared flow schema by name.
 */
import { DERIVED_COLUMNS } from '../../../shared/derived-columns';
import { FLOW_COLUMNS } from '../../../shared/flow-schema';
import type { FlowColumn } from '../../../shared/flow-schema';
import {
  formatBytes,
  formatCount,
  formatDecimal,
  formatDuration,
  formatProtocol,
  formatTimestamp,
} from '../format/format-values';

/**
 * Every column the grid can show besides the label column (which has its own definition): the
 * flow columns and a model's predicted class and probability (see shared/derived-columns.ts).
 */
export const GRID_COLUMNS: readonly FlowColumn[] = [...FLOW_COLUMNS, ...DERIVED_COLUMNS.filter((column) => column.name !== 'label')];
export const GRID_COLUMN_NAMES: readonly string[] = GRID_COLUMNS.map((column) => column.name);

export type DisplayKind = 'bytes' | 'count' | 'duration' | 'timestamp' | 'decimal' | 'protocol' | 'plain';

export const COLUMN_GROUPS = [
  'Endpoints',
  'Time',
  'Volume',
  'Packet sizes',
  'Payload sizes',
  'Inter-arrival',
  'TCP',
  'Activity and bulk',
  'Application',
  'Model',
] as const;
export type ColumnGroup = (typeof COLUMN_GROUPS)[number];

export const DEFAULT_VISIBLE_COLUMNS: readonly string[] = [
  'first_seen',
  'duration_ms',
  'protocol',
  'src_ip',
  'src_port',
  'dst_ip',
  'dst_port',
  'application',
  'requested_server_name',
  'bidirectional_packets',
  'bidirectional_bytes',
  'src2dst_bytes',
  'dst2src_bytes',
  'tcp_state',
];

/** Port and id columns are numbers but read as identifiers: never "1,234". */
const IDENTIFIER_COLUMNS = new Set(['flow_id', 'capture_id', 'ip_version', 'vlan_id', 'src_port', 'dst_port', 'icmp_type', 'icmp_code', 'http_status']);

export function displayKind(column: FlowColumn): DisplayKind {
  const { name, type } = column;
  if (type === 'TIMESTAMP') return 'timestamp';
  if (type === 'VARCHAR') return 'plain';
  if (name === 'protocol') return 'protocol';
  if (IDENTIFIER_COLUMNS.has(name)) return 'plain';
  if (name.endsWith('_ms')) return 'duration';
  if (/_(bytes|ps|payload)$/.test(name)) return type === 'DOUBLE' ? 'decimal' : 'bytes';
  if (type === 'DOUBLE') return 'decimal';
  return 'count';
}

const FORMATTERS: Record<DisplayKind, (value: unknown) => string> = {
  bytes: formatBytes,
  count: formatCount,
  duration: formatDuration,
  timestamp: formatTimestamp,
  decimal: formatDecimal,
  protocol: formatProtocol,
  plain: (value) => (value === null || value === undefined ? '' : String(value)),
};

/** Formats a raw value of a column for display. */
export function formatColumnValue(column: FlowColumn, value: unknown): string {
  return FORMATTERS[displayKind(column)](value);
}

export function columnGroup(name: string): ColumnGroup {
  if (name.startsWith('predicted_')) return 'Model';
  if (/^(first_seen|last_seen|duration_ms|subflow_count|end_reason)$/.test(name)) return 'Time';
  if (/_ps$/.test(name)) return 'Packet sizes';
  if (/_(min|mean|stddev|max)_payload$/.test(name)) return 'Payload sizes';
  if (/_piat_ms$/.test(name)) return 'Inter-arrival';
  if (/^(active|idle)_|_bulk_/.test(name)) return 'Activity and bulk';
  if (/_(syn|ack|fin|rst|psh|urg|ece|cwr)_packets$|_init_window$|_mss$|_ttl$|^tcp_state$|_header_bytes$/.test(name)) return 'TCP';
  if (/_(packets|bytes)$/.test(name)) return 'Volume';
  if (/^(application|requested_server_name|dns_|tls_|http_|icmp_)/.test(name)) return 'Application';
  return 'Endpoints';
}

/** Flow columns grouped for the chooser and the details panel, schema order within a group. */
export function groupColumns(columns: readonly FlowColumn[] = GRID_COLUMNS): { group: ColumnGroup; columns: FlowColumn[] }[] {
  return COLUMN_GROUPS.map((group) => ({ group, columns: columns.filter((column) => columnGroup(column.name) === group) })).filter(
    (entry) => entry.columns.length > 0,
  );
}
