/**
 * The tables of the per-capture detection summaries (detect-summaries.ts says what each
 * holds). Kept apart so the store's schema and capture deletion import no detector code.
 */

/** Tables holding a capture's detection summaries (deleted with the capture, case-store.ts). */
export const DETECT_SUMMARY_TABLES = [
  'detect_arp_groups',
  'detect_beacon_pairs',
  'detect_dns_nx',
  'detect_dns_groups',
  'detect_seq_moments',
  'detect_seq_uses',
  'detect_burst_pairs',
  'detect_summaries',
] as const;

/** Schema migration creating the summary tables (appended to MIGRATIONS). */
export const DETECT_SUMMARIES_MIGRATION = `
CREATE TABLE IF NOT EXISTS detect_summaries (
  capture_id INTEGER PRIMARY KEY, flows BIGINT NOT NULL, packets BIGINT NOT NULL, dns_messages BIGINT NOT NULL,
  arp_packets BIGINT NOT NULL,
  burst_gap_ns BIGINT NOT NULL, burst_min_bytes DOUBLE NOT NULL, burst_min_count DOUBLE NOT NULL,
  beacon_min_connections DOUBLE NOT NULL, beacon_min_span DOUBLE NOT NULL,
  first_packet TIMESTAMP_NS, last_packet TIMESTAMP_NS,
  built_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS detect_seq_moments (
  capture_id INTEGER NOT NULL, seq_values BIGINT NOT NULL, sum_n HUGEINT NOT NULL, sum_n2 HUGEINT NOT NULL
);
CREATE TABLE IF NOT EXISTS detect_seq_uses (capture_id INTEGER NOT NULL, tcp_seq UINTEGER NOT NULL, flow_id BIGINT NOT NULL, n BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS detect_burst_pairs (
  capture_id INTEGER NOT NULL, a VARCHAR NOT NULL, b VARCHAR NOT NULL, flows BIGINT NOT NULL, bursts BIGINT NOT NULL,
  mean_bytes DOUBLE, max_bytes DOUBLE, mean_packets DOUBLE, mean_seconds DOUBLE, max_seconds DOUBLE
);
CREATE TABLE IF NOT EXISTS detect_beacon_pairs (
  capture_id INTEGER NOT NULL, by_peer VARCHAR NOT NULL, src_ip VARCHAR, peer VARCHAR, connections BIGINT NOT NULL,
  first_ts BIGINT, last_ts BIGINT, ds_start BIGINT, ds_end BIGINT, size_mode DOUBLE, bins STRUCT(bin INTEGER, n BIGINT)[],
  ts_q1 DOUBLE, ts_q2 DOUBLE, ts_q3 DOUBLE, ts_mad DOUBLE, ts_r1 DOUBLE, ts_r2 DOUBLE, ts_r3 DOUBLE, ts_madm DOUBLE, ds_q1 DOUBLE, ds_q2 DOUBLE, ds_q3 DOUBLE, ds_mad DOUBLE, ds_r1 DOUBLE, ds_r2 DOUBLE, ds_r3 DOUBLE, ds_madm DOUBLE, ts_n BIGINT, ds_n BIGINT
);
CREATE TABLE IF NOT EXISTS detect_arp_groups (
  capture_id INTEGER NOT NULL, sender_ip VARCHAR, sender_mac VARCHAR, target_ip VARCHAR, operation INTEGER, packets BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS detect_dns_nx (
  capture_id INTEGER NOT NULL, per VARCHAR NOT NULL, who VARCHAR, n BIGINT NOT NULL, flows BIGINT NOT NULL,
  names BIGINT NOT NULL, domains BIGINT NOT NULL, ids BIGINT[]
);
CREATE TABLE IF NOT EXISTS detect_dns_groups (
  capture_id INTEGER NOT NULL, src_ip VARCHAR, domain VARCHAR, flows BIGINT NOT NULL, queries DOUBLE, subdomains BIGINT NOT NULL,
  longest_label BIGINT, entropy DOUBLE, tunnel_qtype_share DOUBLE, resolver VARCHAR, ids BIGINT[]
);`;
