/** Request/response shapes of the export and carving channels (issue 4). */
import type { FlowFilter } from './query-types';

/**
 * `csv` and `parquet` write the flow columns (or packet-index columns) as they are;
 * `cicids2017` writes CSV in the layout of the published CICIDS2017 files (85 columns).
 */
export type ExportFormat = 'csv' | 'parquet' | 'cicids2017';

/** What one exported row is: a flow, or a packet of the packet index (with its flow's label). */
export type ExportTarget = 'flows' | 'packets';

/** Derived ML features that can be added to a flow export (see DERIVED_FEATURES). */
export type DerivedFeature =
  | 'host_bytes'
  | 'ip_integers'
  | 'dst_port_frequency'
  | 'service_one_hot'
  | 'flow_inter_arrival';

/** The derived feature groups with the columns each adds, for the UI and the CLI help. */
export const DERIVED_FEATURES: readonly { id: DerivedFeature; label: string; columns: readonly string[] }[] = [
  {
    id: 'host_bytes',
    label: 'Running and total bytes per source and destination IP',
    columns: ['src_ip_running_bytes', 'src_ip_total_bytes', 'dst_ip_running_bytes', 'dst_ip_total_bytes'],
  },
  { id: 'ip_integers', label: 'IP addresses as integers', columns: ['src_ip_int', 'dst_ip_int'] },
  { id: 'dst_port_frequency', label: 'Destination-port frequency encoding', columns: ['dst_port_frequency'] },
  {
    id: 'service_one_hot',
    label: 'One-hot well-known services',
    columns: [
      'service_http',
      'service_https',
      'service_dns',
      'service_ssh',
      'service_ftp',
      'service_smtp',
      'service_telnet',
      'service_smb',
      'service_rdp',
      'service_ntp',
      'service_other',
    ],
  },
  {
    id: 'flow_inter_arrival',
    label: 'Flow inter-arrival times (overall and per source IP)',
    columns: ['flow_iat_ms', 'src_ip_flow_iat_ms'],
  },
];

/** A deterministic train/test split: whole captures or per-class shares go to one side. */
export interface ExportSplit {
  /** Share of rows (by class) or of captures that go to the training file, in (0, 1). */
  trainFraction: number;
  /** Any integer; the same seed gives the same split. */
  seed: number;
  /**
   * `class`: within each class, rows are ordered by md5('<seed>:<flow_id>') and the first
   * round(n × trainFraction) go to train. `capture`: captures are grouped by their most common
   * class and the same rule picks whole captures, so no capture is in both files.
   */
  by?: 'class' | 'capture';
}

export interface ExportRequest {
  /** Output file name (no directory): the server writes into the case's export directory. */
  fileName: string;
  format: ExportFormat;
  target?: ExportTarget;
  filter?: FlowFilter;
  /** Flow (or packet) columns, in order; default all, plus `label`. Not for cicids2017. */
  columns?: string[];
  labeledOnly?: boolean;
  split?: ExportSplit;
  derived?: DerivedFeature[];
  /** CSV only: prefix cells starting with = + - @ (tab, CR) with a quote. Default true. */
  neutralizeFormulas?: boolean;
}

export interface ExportedFile {
  path: string;
  rows: number;
  /** 'train' / 'test' for a split export. */
  part?: 'train' | 'test';
}

export interface ExportResult {
  jobId: number;
  files: ExportedFile[];
  elapsedMs: number;
}

export interface CarveRequest {
  /** Output file name ending in .pcap or .pcapng (written into the case's export directory). */
  fileName: string;
  /** The flows whose packets are carved. */
  filter?: FlowFilter;
  /** Or exactly these flows (e.g. the grid's selected rows); ANDed with `filter` when both are given. */
  flowIds?: number[];
  /**
   * .pcap output: nanosecond (default) or microsecond timestamps. A pcap of one pcap source with
   * its own resolution is copied byte for byte; otherwise records are rebuilt (pcapng → pcap).
   */
  timeResolution?: 'ns' | 'us';
}

export interface CarveResult {
  jobId: number;
  path: string;
  packets: number;
  bytes: number;
  elapsedMs: number;
}

/** Progress of a running export or carve (event 'export.progress'). */
export interface ExportProgress {
  jobId: number;
  kind: 'export' | 'carve';
  /** 0..1 when known. */
  fraction: number;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  message?: string;
}
