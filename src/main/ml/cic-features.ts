/**
 * The CICFlowMeter / CICIDS2017 feature columns: one canonical snake_case name per feature, the
 * header spellings of the published CSVs (the original 2017 files with leading spaces, and the
 * "improved" 2021/2022 re-extraction by Engelen et al.), and how to compute the feature from
 * Flowlab's flow columns so a model trained on imported rows can be applied to a capture.
 *
 * CICFlowMeter units: durations and inter-arrival times in microseconds; "packet length" is the
 * transport payload length. `flowSql` is an SQL expression over the `flows` table (our own
 * constant text, never user input); NULL where Flowlab has no counterpart.
 */

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

const us = (column: string) => `(${column} * 1000.0)`;
/** Per second over the flow duration; NULL for a zero-length flow (CICFlowMeter writes Infinity). */
const perSecond = (column: string) => `CASE WHEN duration_ms > 0 THEN ${column} / (duration_ms / 1000.0) END`;
const ratio = (a: string, b: string) => `(${a} * 1.0 / nullif(${b}, 0))`;
const flagSum = (flag: string) =>
  `(coalesce(src2dst_${flag}_packets, 0) + coalesce(dst2src_${flag}_packets, 0))`;

const stats = (
  cicPrefix: string,
  headerPrefix: string,
  flowColumn: (stat: 'min' | 'mean' | 'stddev' | 'max') => string,
  toUnits: (sql: string) => string = (sql) => sql,
): CicFeature[] =>
  (
    [
      ['max', 'Max', 'max'],
      ['min', 'Min', 'min'],
      ['mean', 'Mean', 'mean'],
      ['std', 'Std', 'stddev'],
    ] as const
  ).map(([suffix, header, stat]) => ({
    name: `${cicPrefix}_${suffix}`,
    headers: [`${headerPrefix} ${header}`],
    flowSql: toUnits(flowColumn(stat)),
  }));

export const CIC_FEATURES: readonly CicFeature[] = [
  { name: 'dst_port', headers: ['Destination Port', 'Dst Port'], flowSql: 'dst_port', identifier: true },
  { name: 'protocol', headers: ['Protocol'], flowSql: 'protocol' },
  { name: 'flow_duration', headers: ['Flow Duration'], flowSql: us('duration_ms') },
  {
    name: 'total_fwd_packets',
    headers: ['Total Fwd Packets', 'Total Fwd Packet'],
    flowSql: 'src2dst_packets',
  },
  {
    name: 'total_bwd_packets',
    headers: ['Total Backward Packets', 'Total Bwd packets'],
    flowSql: 'dst2src_packets',
  },
  {
    name: 'total_length_fwd_packets',
    headers: ['Total Length of Fwd Packets', 'Total Length of Fwd Packet'],
    flowSql: 'src2dst_payload_bytes',
  },
  {
    name: 'total_length_bwd_packets',
    headers: ['Total Length of Bwd Packets', 'Total Length of Bwd Packet'],
    flowSql: 'dst2src_payload_bytes',
  },
  ...stats('fwd_packet_length', 'Fwd Packet Length', (stat) => `src2dst_${stat}_payload`),
  ...stats('bwd_packet_length', 'Bwd Packet Length', (stat) => `dst2src_${stat}_payload`),
  { name: 'flow_bytes_s', headers: ['Flow Bytes/s'], flowSql: perSecond('bidirectional_payload_bytes') },
  { name: 'flow_packets_s', headers: ['Flow Packets/s'], flowSql: perSecond('bidirectional_packets') },
  ...stats('flow_iat', 'Flow IAT', (stat) => `bidirectional_${stat}_piat_ms`, us),
  {
    name: 'fwd_iat_total',
    headers: ['Fwd IAT Total'],
    flowSql: us('(src2dst_mean_piat_ms * greatest(src2dst_packets - 1, 0))'),
  },
  ...stats('fwd_iat', 'Fwd IAT', (stat) => `src2dst_${stat}_piat_ms`, us),
  {
    name: 'bwd_iat_total',
    headers: ['Bwd IAT Total'],
    flowSql: us('(dst2src_mean_piat_ms * greatest(dst2src_packets - 1, 0))'),
  },
  ...stats('bwd_iat', 'Bwd IAT', (stat) => `dst2src_${stat}_piat_ms`, us),
  { name: 'fwd_psh_flags', headers: ['Fwd PSH Flags'], flowSql: 'src2dst_psh_packets' },
  { name: 'bwd_psh_flags', headers: ['Bwd PSH Flags'], flowSql: 'dst2src_psh_packets' },
  { name: 'fwd_urg_flags', headers: ['Fwd URG Flags'], flowSql: 'src2dst_urg_packets' },
  { name: 'bwd_urg_flags', headers: ['Bwd URG Flags'], flowSql: 'dst2src_urg_packets' },
  { name: 'fwd_rst_flags', headers: ['Fwd RST Flags'], flowSql: 'src2dst_rst_packets' },
  { name: 'bwd_rst_flags', headers: ['Bwd RST Flags'], flowSql: 'dst2src_rst_packets' },
  { name: 'fwd_header_length', headers: ['Fwd Header Length'], flowSql: 'src2dst_header_bytes' },
  { name: 'bwd_header_length', headers: ['Bwd Header Length'], flowSql: 'dst2src_header_bytes' },
  { name: 'fwd_packets_s', headers: ['Fwd Packets/s'], flowSql: perSecond('src2dst_packets') },
  { name: 'bwd_packets_s', headers: ['Bwd Packets/s'], flowSql: perSecond('dst2src_packets') },
  {
    name: 'packet_length_min',
    headers: ['Min Packet Length', 'Packet Length Min'],
    flowSql: 'bidirectional_min_payload',
  },
  {
    name: 'packet_length_max',
    headers: ['Max Packet Length', 'Packet Length Max'],
    flowSql: 'bidirectional_max_payload',
  },
  { name: 'packet_length_mean', headers: ['Packet Length Mean'], flowSql: 'bidirectional_mean_payload' },
  { name: 'packet_length_std', headers: ['Packet Length Std'], flowSql: 'bidirectional_stddev_payload' },
  {
    name: 'packet_length_variance',
    headers: ['Packet Length Variance'],
    flowSql: '(bidirectional_stddev_payload * bidirectional_stddev_payload)',
  },
  ...(['fin', 'syn', 'rst', 'psh', 'ack', 'urg', 'ece'] as const).map((flag) => ({
    name: `${flag}_flag_count`,
    headers: [`${flag.toUpperCase()} Flag Count`],
    flowSql: flagSum(flag),
  })),
  // The 2017 files spell CWR "CWE".
  { name: 'cwr_flag_count', headers: ['CWE Flag Count', 'CWR Flag Count'], flowSql: flagSum('cwr') },
  { name: 'down_up_ratio', headers: ['Down/Up Ratio'], flowSql: ratio('dst2src_packets', 'src2dst_packets') },
  {
    name: 'average_packet_size',
    headers: ['Average Packet Size'],
    flowSql: ratio('bidirectional_payload_bytes', 'bidirectional_packets'),
  },
  {
    name: 'fwd_segment_size_avg',
    headers: ['Avg Fwd Segment Size', 'Fwd Segment Size Avg'],
    flowSql: 'src2dst_mean_payload',
  },
  {
    name: 'bwd_segment_size_avg',
    headers: ['Avg Bwd Segment Size', 'Bwd Segment Size Avg'],
    flowSql: 'dst2src_mean_payload',
  },
  ...(
    [
      ['fwd', 'Fwd', 'src2dst'],
      ['bwd', 'Bwd', 'dst2src'],
    ] as const
  ).flatMap(([side, header, prefix]) => [
    {
      name: `${side}_bytes_bulk_avg`,
      headers: [`${header} Avg Bytes/Bulk`, `${header} Bytes/Bulk Avg`],
      flowSql: ratio(`${prefix}_bulk_bytes`, `${prefix}_bulk_count`),
    },
    {
      name: `${side}_packets_bulk_avg`,
      headers: [`${header} Avg Packets/Bulk`, `${header} Packet/Bulk Avg`],
      flowSql: ratio(`${prefix}_bulk_packets`, `${prefix}_bulk_count`),
    },
    {
      name: `${side}_bulk_rate_avg`,
      headers: [`${header} Avg Bulk Rate`, `${header} Bulk Rate Avg`],
      flowSql: ratio(`${prefix}_bulk_bytes`, `(${prefix}_bulk_duration_ms / 1000.0)`),
    },
  ]),
  {
    name: 'subflow_fwd_packets',
    headers: ['Subflow Fwd Packets'],
    flowSql: ratio('src2dst_packets', 'subflow_count'),
  },
  {
    name: 'subflow_fwd_bytes',
    headers: ['Subflow Fwd Bytes'],
    flowSql: ratio('src2dst_payload_bytes', 'subflow_count'),
  },
  {
    name: 'subflow_bwd_packets',
    headers: ['Subflow Bwd Packets'],
    flowSql: ratio('dst2src_packets', 'subflow_count'),
  },
  {
    name: 'subflow_bwd_bytes',
    headers: ['Subflow Bwd Bytes'],
    flowSql: ratio('dst2src_payload_bytes', 'subflow_count'),
  },
  // CICFlowMeter writes -1 when no window was seen.
  {
    name: 'fwd_init_win_bytes',
    headers: ['Init_Win_bytes_forward', 'FWD Init Win Bytes'],
    flowSql: 'coalesce(src2dst_init_window, -1)',
  },
  {
    name: 'bwd_init_win_bytes',
    headers: ['Init_Win_bytes_backward', 'Bwd Init Win Bytes'],
    flowSql: 'coalesce(dst2src_init_window, -1)',
  },
  {
    name: 'fwd_act_data_pkts',
    headers: ['act_data_pkt_fwd', 'Fwd Act Data Pkts'],
    flowSql: 'src2dst_data_packets',
  },
  {
    name: 'fwd_seg_size_min',
    headers: ['min_seg_size_forward', 'Fwd Seg Size Min'],
    flowSql: 'src2dst_min_header_bytes',
  },
  ...stats('active', 'Active', (stat) => `active_${stat}_ms`, us),
  ...stats('idle', 'Idle', (stat) => `idle_${stat}_ms`, us),
  { name: 'icmp_code', headers: ['ICMP Code'], flowSql: 'coalesce(icmp_code, -1)' },
  { name: 'icmp_type', headers: ['ICMP Type'], flowSql: 'coalesce(icmp_type, -1)' },
  // The improved extraction's TCP connection time: no Flowlab counterpart.
  { name: 'total_tcp_flow_time', headers: ['Total TCP Flow Time'] },
];

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
