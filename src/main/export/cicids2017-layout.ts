/**
 * The CICIDS2017 layout: the 85 columns of the published CICIDS2017 CSVs
 * (MachineLearningCVE / GeneratedLabelledFlows, CICFlowMeter-V3), with their exact names —
 * leading spaces, the `CWE Flag Count` typo and the repeated ` Fwd Header Length` included —
 * and units: times in microseconds, lengths in transport payload bytes, rates per second.
 * Each column is computed from Flowlab's flow columns; `definition` is what docs/cicids2017-layout.md shows.
 */

export interface CicColumn {
  name: string;
  sql: string;
  definition: string;
}

/** Sample standard deviation (CICFlowMeter uses Apache Commons' n-1 form) from Flowlab's population one over n values. */
const sampleStd = (std: string, n: string) => `(CASE WHEN (${n}) > 1 THEN coalesce(${std}, 0) * sqrt((${n}) / ((${n}) - 1.0)) ELSE 0 END)`;
const zero = (expression: string) => `coalesce(${expression}, 0)`;
const microseconds = (millis: string) => `coalesce(${millis}, 0) * 1000.0`;
const seconds = 'duration_ms / 1000.0';
/** Per-second rate; NULL for a zero-length flow (CICFlowMeter writes Infinity/NaN there). */
const perSecond = (count: string) => `(CASE WHEN duration_ms > 0 THEN ${count} / (${seconds}) END)`;
const both = (flag: string) => `(${zero(`src2dst_${flag}_packets`)} + ${zero(`dst2src_${flag}_packets`)})`;

const direction = { Fwd: 'src2dst', Bwd: 'dst2src' } as const;
type Side = keyof typeof direction;

function lengthStats(side: Side, firstSpace: string): CicColumn[] {
  const p = direction[side];
  const what = `transport payload length of ${side === 'Fwd' ? 'src→dst' : 'dst→src'} packets, bytes`;
  return [
    { name: `${firstSpace}${side} Packet Length Max`, sql: zero(`${p}_max_payload`), definition: `Largest ${what} (${p}_max_payload)` },
    { name: ` ${side} Packet Length Min`, sql: zero(`${p}_min_payload`), definition: `Smallest ${what} (${p}_min_payload)` },
    { name: ` ${side} Packet Length Mean`, sql: zero(`${p}_mean_payload`), definition: `Mean ${what} (${p}_mean_payload)` },
    { name: ` ${side} Packet Length Std`, sql: sampleStd(`${p}_stddev_payload`, `${p}_packets`), definition: `Sample standard deviation of the ${what} (${p}_stddev_payload × √(n/(n−1)), 0 for n ≤ 1)` },
  ];
}

function iatStats(prefix: 'Flow' | Side): CicColumn[] {
  const p = prefix === 'Flow' ? 'bidirectional' : direction[prefix];
  const who = prefix === 'Flow' ? 'consecutive packets of the flow' : `consecutive ${p} packets`;
  const intervals = `(${p}_packets - 1)`;
  const columns: CicColumn[] = [
    { name: ` ${prefix} IAT Mean`, sql: microseconds(`${p}_mean_piat_ms`), definition: `Mean time between ${who}, µs (${p}_mean_piat_ms × 1000)` },
    { name: ` ${prefix} IAT Std`, sql: sampleStd(`${p}_stddev_piat_ms * 1000.0`, intervals), definition: `Sample standard deviation of the time between ${who}, µs` },
    { name: ` ${prefix} IAT Max`, sql: microseconds(`${p}_max_piat_ms`), definition: `Longest time between ${who}, µs` },
    { name: ` ${prefix} IAT Min`, sql: microseconds(`${p}_min_piat_ms`), definition: `Shortest time between ${who}, µs` },
  ];
  if (prefix === 'Flow') return columns;
  return [
    { name: `${prefix} IAT Total`, sql: `(CASE WHEN ${p}_packets > 1 THEN ${microseconds(`${p}_mean_piat_ms`)} * ${intervals} ELSE 0 END)`, definition: `Time from the first to the last ${p} packet, µs (mean gap × (packets − 1))` },
    ...columns,
  ];
}

function bulk(side: Side, lastSpace: string): CicColumn[] {
  const p = direction[side];
  const per = (what: string) => `(CASE WHEN ${p}_bulk_count > 0 THEN ${what} / ${p}_bulk_count ELSE 0 END)`;
  return [
    { name: `${side === 'Fwd' ? '' : ' '}${side} Avg Bytes/Bulk`, sql: per(`${p}_bulk_bytes`), definition: `Payload bytes per bulk transfer (${p}_bulk_bytes / ${p}_bulk_count, 0 without bulks)` },
    { name: ` ${side} Avg Packets/Bulk`, sql: per(`${p}_bulk_packets`), definition: `Packets per bulk transfer (${p}_bulk_packets / ${p}_bulk_count)` },
    { name: `${lastSpace}${side} Avg Bulk Rate`, sql: `(CASE WHEN ${p}_bulk_duration_ms > 0 THEN ${p}_bulk_bytes / (${p}_bulk_duration_ms / 1000.0) ELSE 0 END)`, definition: `Bulk payload bytes per second of bulk time (${p}_bulk_bytes / ${p}_bulk_duration_ms × 1000)` },
  ];
}

function activity(kind: 'Active' | 'Idle'): CicColumn[] {
  const k = kind.toLowerCase();
  return (['Mean', 'Std', 'Max', 'Min'] as const).map((stat, index) => ({
    name: `${index === 0 ? '' : ' '}${kind} ${stat}`,
    sql: microseconds(`${k}_${stat === 'Std' ? 'stddev' : stat.toLowerCase()}_ms`),
    definition: `${stat === 'Std' ? 'Population standard deviation' : stat} of the ${k} periods, µs (${k}_${stat === 'Std' ? 'stddev' : stat.toLowerCase()}_ms × 1000; a gap > 5 s ends an active period)`,
  }));
}

const fwdHeader: CicColumn = { name: ' Fwd Header Length', sql: zero('src2dst_header_bytes'), definition: 'Sum of the transport header lengths of src→dst packets, bytes (src2dst_header_bytes)' };

export const CICIDS2017_COLUMNS: readonly CicColumn[] = [
  { name: 'Flow ID', sql: "concat_ws('-', src_ip, dst_ip, src_port, dst_port, protocol)", definition: 'src_ip-dst_ip-src_port-dst_port-protocol' },
  { name: ' Source IP', sql: 'src_ip', definition: 'Initiator address (src_ip)' },
  { name: ' Source Port', sql: 'src_port', definition: 'Initiator port (src_port)' },
  { name: ' Destination IP', sql: 'dst_ip', definition: 'Responder address (dst_ip)' },
  { name: ' Destination Port', sql: 'dst_port', definition: 'Responder port (dst_port)' },
  { name: ' Protocol', sql: 'protocol', definition: 'IP protocol number (6 TCP, 17 UDP, ...)' },
  { name: ' Timestamp', sql: "strftime(first_seen, '%-d/%-m/%Y %-H:%M:%S')", definition: 'First packet time, day/month/year hour:minute:second, UTC (the published files use local time, some without seconds)' },
  { name: ' Flow Duration', sql: 'round(coalesce(duration_ms, 0) * 1000)::BIGINT', definition: 'Last minus first packet time, µs (duration_ms × 1000)' },
  { name: ' Total Fwd Packets', sql: zero('src2dst_packets'), definition: 'Packets src→dst' },
  { name: ' Total Backward Packets', sql: zero('dst2src_packets'), definition: 'Packets dst→src' },
  { name: 'Total Length of Fwd Packets', sql: zero('src2dst_payload_bytes'), definition: 'Transport payload bytes src→dst (src2dst_payload_bytes)' },
  { name: ' Total Length of Bwd Packets', sql: zero('dst2src_payload_bytes'), definition: 'Transport payload bytes dst→src (dst2src_payload_bytes)' },
  ...lengthStats('Fwd', ' '),
  ...lengthStats('Bwd', ''),
  { name: 'Flow Bytes/s', sql: perSecond('bidirectional_payload_bytes'), definition: 'Payload bytes (both directions) per second of flow duration; empty for a zero duration' },
  { name: ' Flow Packets/s', sql: perSecond('bidirectional_packets'), definition: 'Packets (both directions) per second; empty for a zero duration' },
  ...iatStats('Flow'),
  ...iatStats('Fwd'),
  ...iatStats('Bwd'),
  { name: 'Fwd PSH Flags', sql: zero('src2dst_psh_packets'), definition: 'src→dst TCP packets with PSH' },
  { name: ' Bwd PSH Flags', sql: zero('dst2src_psh_packets'), definition: 'dst→src TCP packets with PSH' },
  { name: ' Fwd URG Flags', sql: zero('src2dst_urg_packets'), definition: 'src→dst TCP packets with URG' },
  { name: ' Bwd URG Flags', sql: zero('dst2src_urg_packets'), definition: 'dst→src TCP packets with URG' },
  fwdHeader,
  { name: ' Bwd Header Length', sql: zero('dst2src_header_bytes'), definition: 'Sum of the transport header lengths of dst→src packets, bytes' },
  { name: 'Fwd Packets/s', sql: perSecond('src2dst_packets'), definition: 'src→dst packets per second; empty for a zero duration' },
  { name: ' Bwd Packets/s', sql: perSecond('dst2src_packets'), definition: 'dst→src packets per second; empty for a zero duration' },
  { name: ' Min Packet Length', sql: zero('bidirectional_min_payload'), definition: 'Smallest transport payload length, both directions, bytes' },
  { name: ' Max Packet Length', sql: zero('bidirectional_max_payload'), definition: 'Largest transport payload length, both directions, bytes' },
  { name: ' Packet Length Mean', sql: zero('bidirectional_mean_payload'), definition: 'Mean transport payload length, both directions, bytes' },
  { name: ' Packet Length Std', sql: sampleStd('bidirectional_stddev_payload', 'bidirectional_packets'), definition: 'Sample standard deviation of the payload length, both directions' },
  { name: ' Packet Length Variance', sql: `power(${sampleStd('bidirectional_stddev_payload', 'bidirectional_packets')}, 2)`, definition: 'Sample variance of the payload length (the Std column squared)' },
  { name: 'FIN Flag Count', sql: both('fin'), definition: 'TCP packets with FIN, both directions' },
  { name: ' SYN Flag Count', sql: both('syn'), definition: 'TCP packets with SYN, both directions' },
  { name: ' RST Flag Count', sql: both('rst'), definition: 'TCP packets with RST, both directions' },
  { name: ' PSH Flag Count', sql: both('psh'), definition: 'TCP packets with PSH, both directions' },
  { name: ' ACK Flag Count', sql: both('ack'), definition: 'TCP packets with ACK, both directions' },
  { name: ' URG Flag Count', sql: both('urg'), definition: 'TCP packets with URG, both directions' },
  { name: ' CWE Flag Count', sql: both('cwr'), definition: 'TCP packets with CWR, both directions (the published name has the typo CWE)' },
  { name: ' ECE Flag Count', sql: both('ece'), definition: 'TCP packets with ECE, both directions' },
  { name: ' Down/Up Ratio', sql: '(CASE WHEN src2dst_packets > 0 THEN dst2src_packets // src2dst_packets ELSE 0 END)', definition: 'dst→src packets divided by src→dst packets, integer division as CICFlowMeter-V3 (0 without src→dst packets)' },
  { name: ' Average Packet Size', sql: '(CASE WHEN bidirectional_packets > 0 THEN bidirectional_payload_bytes / bidirectional_packets ELSE 0 END)', definition: 'Payload bytes per packet, both directions' },
  { name: ' Avg Fwd Segment Size', sql: zero('src2dst_mean_payload'), definition: 'Mean src→dst payload length, bytes' },
  { name: ' Avg Bwd Segment Size', sql: zero('dst2src_mean_payload'), definition: 'Mean dst→src payload length, bytes' },
  { ...fwdHeader, definition: 'Repeats column 41 (the published files have this column twice; pandas reads it as " Fwd Header Length.1")' },
  ...bulk('Fwd', ' '),
  ...bulk('Bwd', ''),
  { name: 'Subflow Fwd Packets', sql: 'src2dst_packets // greatest(subflow_count, 1)', definition: 'src→dst packets per sub-flow (integer division by subflow_count)' },
  { name: ' Subflow Fwd Bytes', sql: 'src2dst_payload_bytes // greatest(subflow_count, 1)', definition: 'src→dst payload bytes per sub-flow' },
  { name: ' Subflow Bwd Packets', sql: 'dst2src_packets // greatest(subflow_count, 1)', definition: 'dst→src packets per sub-flow' },
  { name: ' Subflow Bwd Bytes', sql: 'dst2src_payload_bytes // greatest(subflow_count, 1)', definition: 'dst→src payload bytes per sub-flow' },
  { name: 'Init_Win_bytes_forward', sql: 'coalesce(src2dst_init_window, -1)', definition: 'TCP window of the first src→dst packet (raw), -1 when none' },
  { name: ' Init_Win_bytes_backward', sql: 'coalesce(dst2src_init_window, -1)', definition: 'TCP window of the first dst→src packet (raw), -1 when none' },
  { name: ' act_data_pkt_fwd', sql: zero('src2dst_data_packets'), definition: 'src→dst packets with transport payload' },
  { name: ' min_seg_size_forward', sql: zero('src2dst_min_header_bytes'), definition: 'Smallest src→dst transport header length, bytes' },
  ...activity('Active'),
  ...activity('Idle'),
  { name: ' Label', sql: "(CASE WHEN lower(label) = 'benign' THEN 'BENIGN' ELSE label END)", definition: "The flow's class; class benign is written BENIGN as in the published files; empty when unlabeled" },
];
