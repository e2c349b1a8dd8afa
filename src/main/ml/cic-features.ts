/**
 * The CICFlowMeter / CICIDS2017 feature columns: one canonical snake_case name per feature, the
 * header spellings of the published CSVs (the original 2017 files with leading spaces, and the
 * "improved" 2021/2022 re-extraction by Engelen et al.), and how to compute the feature from
 * Flowlab's flow columns so a model trained on imported rows can be applied to a capture.
 *
 * The computation is the CICIDS2017 export's (src/main/export/cicids2017-layout.ts, same units:
 * microseconds, transport payload bytes, per second), looked up by header, so the two cannot
 * drift apart; only the improved files' extra columns (RST flags, ICMP) are defined here.
 */
import { CICIDS2017_COLUMNS } from '../export/cicids2017-layout';

export interface CicFeature {
  /** Canonical name: the column in ml_imported_flows and the feature name in models. */
  name: string;
  /** Header spellings (compared after trimming, lower-casing and dropping non-alphanumerics). */
  headers: string[];
  /** SQL over `flows` giving the same quantity in CICFlowMeter's units; undefined = no counterpart. */
  flowSql?: string;
  /** Identifiers (ports) are features only when asked. */
  identifier?: boolean;
}

type FeatureSpec = Omit<CicFeature, 'flowSql'> & { flowSql?: string };

const stats = (cicPrefix: string, headerPrefix: string): FeatureSpec[] =>
  (
    [
      ['max', 'Max'],
      ['min', 'Min'],
      ['mean', 'Mean'],
      ['std', 'Std'],
    ] as const
  ).map(([suffix, header]) => ({ name: `${cicPrefix}_${suffix}`, headers: [`${headerPrefix} ${header}`] }));

const FEATURE_SPECS: readonly FeatureSpec[] = [
  { name: 'dst_port', headers: ['Destination Port', 'Dst Port'], identifier: true },
  { name: 'protocol', headers: ['Protocol'] },
  { name: 'flow_duration', headers: ['Flow Duration'] },
  { name: 'total_fwd_packets', headers: ['Total Fwd Packets', 'Total Fwd Packet'] },
  { name: 'total_bwd_packets', headers: ['Total Backward Packets', 'Total Bwd packets'] },
  { name: 'total_length_fwd_packets', headers: ['Total Length of Fwd Packets', 'Total Length of Fwd Packet'] },
  { name: 'total_length_bwd_packets', headers: ['Total Length of Bwd Packets', 'Total Length of Bwd Packet'] },
  ...stats('fwd_packet_length', 'Fwd Packet Length'),
  ...stats('bwd_packet_length', 'Bwd Packet Length'),
  { name: 'flow_bytes_s', headers: ['Flow Bytes/s'] },
  { name: 'flow_packets_s', headers: ['Flow Packets/s'] },
  ...stats('flow_iat', 'Flow IAT'),
  { name: 'fwd_iat_total', headers: ['Fwd IAT Total'] },
  ...stats('fwd_iat', 'Fwd IAT'),
  { name: 'bwd_iat_total', headers: ['Bwd IAT Total'] },
  ...stats('bwd_iat', 'Bwd IAT'),
  { name: 'fwd_psh_flags', headers: ['Fwd PSH Flags'] },
  { name: 'bwd_psh_flags', headers: ['Bwd PSH Flags'] },
  { name: 'fwd_urg_flags', headers: ['Fwd URG Flags'] },
  { name: 'bwd_urg_flags', headers: ['Bwd URG Flags'] },
  // Only in the improved files.
  { name: 'fwd_rst_flags', headers: ['Fwd RST Flags'], flowSql: 'coalesce(src2dst_rst_packets, 0)' },
  { name: 'bwd_rst_flags', headers: ['Bwd RST Flags'], flowSql: 'coalesce(dst2src_rst_packets, 0)' },
  { name: 'fwd_header_length', headers: ['Fwd Header Length'] },
  { name: 'bwd_header_length', headers: ['Bwd Header Length'] },
  { name: 'fwd_packets_s', headers: ['Fwd Packets/s'] },
  { name: 'bwd_packets_s', headers: ['Bwd Packets/s'] },
  { name: 'packet_length_min', headers: ['Min Packet Length', 'Packet Length Min'] },
  { name: 'packet_length_max', headers: ['Max Packet Length', 'Packet Length Max'] },
  { name: 'packet_length_mean', headers: ['Packet Length Mean'] },
  { name: 'packet_length_std', headers: ['Packet Length Std'] },
  { name: 'packet_length_variance', headers: ['Packet Length Variance'] },
  ...(['fin', 'syn', 'rst', 'psh', 'ack', 'urg', 'ece'] as const).map((flag) => ({
    name: `${flag}_flag_count`,
    headers: [`${flag.toUpperCase()} Flag Count`],
  })),
  // The 2017 files spell CWR "CWE".
  { name: 'cwr_flag_count', headers: ['CWE Flag Count', 'CWR Flag Count'] },
  { name: 'down_up_ratio', headers: ['Down/Up Ratio'] },
  { name: 'average_packet_size', headers: ['Average Packet Size'] },
  { name: 'fwd_segment_size_avg', headers: ['Avg Fwd Segment Size', 'Fwd Segment Size Avg'] },
  { name: 'bwd_segment_size_avg', headers: ['Avg Bwd Segment Size', 'Bwd Segment Size Avg'] },
  ...(
    [
      ['fwd', 'Fwd'],
      ['bwd', 'Bwd'],
    ] as const
  ).flatMap(([side, header]) => [
    { name: `${side}_bytes_bulk_avg`, headers: [`${header} Avg Bytes/Bulk`, `${header} Bytes/Bulk Avg`] },
    { name: `${side}_packets_bulk_avg`, headers: [`${header} Avg Packets/Bulk`, `${header} Packet/Bulk Avg`] },
    { name: `${side}_bulk_rate_avg`, headers: [`${header} Avg Bulk Rate`, `${header} Bulk Rate Avg`] },
  ]),
  { name: 'subflow_fwd_packets', headers: ['Subflow Fwd Packets'] },
  { name: 'subflow_fwd_bytes', headers: ['Subflow Fwd Bytes'] },
  { name: 'subflow_bwd_packets', headers: ['Subflow Bwd Packets'] },
  { name: 'subflow_bwd_bytes', headers: ['Subflow Bwd Bytes'] },
  { name: 'fwd_init_win_bytes', headers: ['Init_Win_bytes_forward', 'FWD Init Win Bytes'] },
  { name: 'bwd_init_win_bytes', headers: ['Init_Win_bytes_backward', 'Bwd Init Win Bytes'] },
  { name: 'fwd_act_data_pkts', headers: ['act_data_pkt_fwd', 'Fwd Act Data Pkts'] },
  { name: 'fwd_seg_size_min', headers: ['min_seg_size_forward', 'Fwd Seg Size Min'] },
  ...stats('active', 'Active'),
  ...stats('idle', 'Idle'),
  // Only in the improved files; -1 when not ICMP, as they write it.
  { name: 'icmp_code', headers: ['ICMP Code'], flowSql: 'coalesce(icmp_code, -1)' },
  { name: 'icmp_type', headers: ['ICMP Type'], flowSql: 'coalesce(icmp_type, -1)' },
  // The improved extraction's TCP connection time: no Flowlab counterpart.
  { name: 'total_tcp_flow_time', headers: ['Total TCP Flow Time'] },
];

/** The export layout's SQL per header key (its repeated Fwd Header Length column is the same SQL). */
const EXPORT_SQL = new Map<string, string>();
for (const column of CICIDS2017_COLUMNS)
  if (!EXPORT_SQL.has(headerKey(column.name))) EXPORT_SQL.set(headerKey(column.name), column.sql);

export const CIC_FEATURES: readonly CicFeature[] = FEATURE_SPECS.map((spec) => {
  const exported = spec.headers.map((header) => EXPORT_SQL.get(headerKey(header))).find(Boolean);
  const flowSql = spec.flowSql ?? exported;
  return flowSql === undefined ? spec : { ...spec, flowSql };
});

/** Identifier and label columns of the CSVs (kept as text, never features). */
export const CIC_META_COLUMNS = {
  srcIp: ['Source IP', 'Src IP'],
  srcPort: ['Source Port', 'Src Port'],
  dstIp: ['Destination IP', 'Dst IP'],
  timestamp: ['Timestamp'],
  label: ['Label'],
} as const;

/** Header text compared loosely: `' Fwd Header Length'` and `'fwd header length'` are the same. */
export function headerKey(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const BY_HEADER = new Map<string, CicFeature>();
for (const feature of CIC_FEATURES)
  for (const header of feature.headers) BY_HEADER.set(headerKey(header), feature);

/** The feature a CSV header names, if any. */
export function featureForHeader(header: string): CicFeature | undefined {
  return BY_HEADER.get(headerKey(header));
}

export const CIC_FEATURE_NAMES: readonly string[] = CIC_FEATURES.map((feature) => feature.name);
