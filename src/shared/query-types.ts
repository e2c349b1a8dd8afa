/** Request/response shapes of the query channels (flows grid, details, dashboards, hosts). */
import type { PredictionFilter } from './ml-types';

/** A column filter from the grid (subset of ag-grid's filter models, normalised). */
export type ColumnFilter =
  | { kind: 'number'; op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'between'; value: number; valueTo?: number }
  | { kind: 'text'; op: 'contains' | 'notContains' | 'equals' | 'notEqual' | 'startsWith' | 'endsWith'; value: string }
  | { kind: 'blank'; blank: boolean };

/**
 * The one shared filter model: every view narrows by it; a selection in a chart, the graph or
 * the grid adds to it. All parts are ANDed. Never SQL: the server validates and parameterises.
 */
export interface FlowFilter {
  /** Quick filter in Flowlab's filter language, e.g. `dst_port = 23 and src2dst_packets > 10`. */
  expression?: string;
  columns?: Record<string, ColumnFilter>;
  captureIds?: number[];
  /** ISO 8601 bounds on first_seen (inclusive from, exclusive to). */
  timeRange?: { from: string; to: string };
  /** Flows with any of these addresses as src or dst. */
  hosts?: string[];
  /** Flows between exactly these two addresses (either direction). */
  hostPair?: { a: string; b: string };
  /** Flows a model predicted (of these classes, within a probability range): see ml-types. */
  prediction?: PredictionFilter;
  /**
   * The model (ml_models.id) whose predictions the `predicted_class` / `predicted_probability`
   * columns show and filter on; absent: the newest model that has predictions.
   */
  predictionModel?: number;
}

export interface SortKey {
  column: string;
  direction: 'asc' | 'desc';
}

export interface FlowPageRequest {
  filter: FlowFilter;
  sort?: SortKey[];
  offset: number;
  limit: number;
  /** Columns to return (default: all flow columns). */
  columns?: string[];
}

export interface FlowPage {
  rows: Record<string, unknown>[];
  /** Total rows matching the filter, when cheap to know (the grid uses it for the last row). */
  total?: number;
}

export interface PacketRow {
  packetNumber: number;
  /** ISO timestamp with nanoseconds, e.g. 2024-01-01T00:00:00.123456789Z. */
  ts: string;
  /** Seconds since the flow's first packet. */
  relativeSeconds: number;
  direction: 0 | 1;
  frameLength: number;
  capturedLength: number;
  tcpFlags: number;
  ttl: number;
  tcpSeq: number;
  tcpAck: number;
  tcpWindow: number;
  payloadLength: number;
}

export interface FlowDetails {
  flow: Record<string, unknown>;
  packets: PacketRow[];
  /** First payload bytes of the first packets carrying payload, read from the capture file. */
  payload: { packetNumber: number; direction: 0 | 1; bytes: number[] }[];
  /** Why `payload` is empty or short (e.g. a .gz capture cannot be read at an offset; the file moved). */
  payloadNote?: string;
}

export interface DashboardRequest {
  filter: FlowFilter;
}

export interface TimeSeries {
  binSeconds: number;
  /** Bin start times (ISO) with bytes/packets/flows starting in that bin (by flow first_seen). */
  points: { t: string; bytes: number; packets: number; flows: number }[];
}

export interface TopRequest extends DashboardRequest {
  by: 'src_ip' | 'dst_ip' | 'tcp_port' | 'udp_port' | 'application' | 'protocol';
  limit?: number;
}

export interface TopEntry {
  /** The grouped value as text, usable in a filter (`protocol = 6`, `dst_port = 443`); '' for NULL. */
  key: string;
  /** Human name when it differs from `key` (protocol 6 → 'TCP'; NULL application → '(none)'). */
  label?: string;
  bytes: number;
  packets: number;
  flows: number;
}

export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

export interface PacketSizePoint {
  ts: string;
  size: number;
  /** Destination address of the packet. */
  dst: string;
}

export interface HostRow {
  ip: string;
  packetsSent: number;
  packetsReceived: number;
  bytesSent: number;
  bytesReceived: number;
  peers: number;
  ports: number;
  flows: number;
  firstSeen: string | null;
  lastSeen: string | null;
  country?: string | null;
  asn?: number | null;
  asOrganization?: string | null;
}

export interface HostPageRequest {
  filter: FlowFilter;
  sort?: SortKey[];
  offset: number;
  limit: number;
}

export interface HostPage {
  rows: HostRow[];
  total: number;
}

export interface HostGraphRequest {
  filter: FlowFilter;
  /** Keep edges with at least this many bytes. */
  minBytes?: number;
  /** Keep the N heaviest edges. */
  topN?: number;
}

export interface HostGraph {
  nodes: { id: string; bytes: number; packets: number; external: boolean }[];
  edges: { source: string; target: string; bytes: number; packets: number; flows: number }[];
}
