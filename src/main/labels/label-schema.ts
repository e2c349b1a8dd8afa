/**
 * The labeling tables (one migration, appended to MIGRATIONS in store/schema.ts).
 *
 * Labels of present captures are keyed by flow_id, so a bulk act writes only integers
 * (labeling a million flows is a few INSERT ... SELECT of ids). Labels must also survive
 * re-ingesting a capture, which gives its flows new ids: when a capture is removed (the only
 * way its flows go away, CaseStore.deleteCapture), its labels are "parked" under a stable
 * identity, the capture fingerprint plus the flow key (VLAN, protocol, addresses, ports) and
 * the first packet time, and they reattach by that identity when the same file is ingested
 * again (the views do it at once; the next labeling act moves them back to flow ids). Two flows
 * of one capture equal in all of these share one identity and so one label.
 *
 * - `label_batches`: one row per labeling act: who/when/how/why, its target and its undo state
 *   ('applied' | 'undone' | 'discarded': an undone act is discarded by the next new act);
 *   kind 'label' or 'clear'; `label`/`tags` are the act's (NULL label: a clear, or an import of
 *   several classes whose events carry their own).
 * - `label_events`: the flows an act touched; label/tags NULL = the act's.
 * - `flow_label_state`: per labeled flow, the act whose claim wins now (see label-state.ts), with
 *   label/tags when they differ from that act's (tags merged from agreeing claims), and the
 *   conflict flag with the disagreeing claims. Kept current by every act, undo and redo.
 * - `label_parked_*`: the same for removed captures, keyed by park_id → identity.
 * - `label_rules`: saved rules (filter expression + optional time window and host lists).
 * - views `flow_label_status` (per flow_id, with conflicts) and `flow_labels_current` (the
 *   shared interface other modules LEFT JOIN on flow_id).
 */
export const LABELS_MIGRATION = `
CREATE TABLE IF NOT EXISTS label_batches (
  batch_id BIGINT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  actor VARCHAR,
  source VARCHAR NOT NULL,
  kind VARCHAR NOT NULL DEFAULT 'label',
  label VARCHAR,
  tags VARCHAR[],
  reason VARCHAR,
  target VARCHAR,
  rule_id INTEGER,
  flows BIGINT NOT NULL DEFAULT 0,
  conflicts BIGINT NOT NULL DEFAULT 0,
  state VARCHAR NOT NULL DEFAULT 'applied',
  state_changed_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS label_events (
  batch_id BIGINT NOT NULL,
  flow_id BIGINT NOT NULL,
  label VARCHAR,
  tags VARCHAR[]
);
CREATE TABLE IF NOT EXISTS flow_label_state (
  flow_id BIGINT NOT NULL,
  batch_id BIGINT NOT NULL,
  label VARCHAR,
  tags VARCHAR[],
  conflict BOOLEAN NOT NULL DEFAULT false,
  claims STRUCT(label VARCHAR, source VARCHAR, batch_id BIGINT)[]
);
CREATE TABLE IF NOT EXISTS label_parked_keys (
  park_id BIGINT NOT NULL,
  fingerprint VARCHAR NOT NULL,
  vlan_id INTEGER,
  protocol INTEGER,
  src_ip VARCHAR,
  src_port INTEGER,
  dst_ip VARCHAR,
  dst_port INTEGER,
  first_seen TIMESTAMP
);
CREATE TABLE IF NOT EXISTS label_parked_events (
  batch_id BIGINT NOT NULL,
  park_id BIGINT NOT NULL,
  label VARCHAR,
  tags VARCHAR[]
);
CREATE TABLE IF NOT EXISTS label_parked_state (
  park_id BIGINT NOT NULL,
  batch_id BIGINT NOT NULL,
  label VARCHAR,
  tags VARCHAR[],
  conflict BOOLEAN NOT NULL DEFAULT false,
  claims STRUCT(label VARCHAR, source VARCHAR, batch_id BIGINT)[]
);
CREATE TABLE IF NOT EXISTS label_rules (
  rule_id INTEGER NOT NULL,
  name VARCHAR NOT NULL,
  label VARCHAR NOT NULL,
  tags VARCHAR[],
  expression VARCHAR,
  time_from TIMESTAMP,
  time_to TIMESTAMP,
  hosts VARCHAR[],
  reason VARCHAR,
  created_at TIMESTAMP NOT NULL,
  last_applied_at TIMESTAMP
);
CREATE OR REPLACE VIEW flow_label_status AS
SELECT s.flow_id, CAST(s.flow_id // 4294967296 AS INTEGER) AS capture_id,
  coalesce(s.label, b.label) AS label, coalesce(s.tags, b.tags, []) AS tags, b.source,
  b.created_at AS labeled_at, s.batch_id, s.conflict, s.claims
FROM flow_label_state s JOIN label_batches b ON b.batch_id = s.batch_id
UNION ALL
SELECT f.flow_id, f.capture_id, coalesce(p.label, b.label), coalesce(p.tags, b.tags, []), b.source,
  b.created_at, p.batch_id, p.conflict, p.claims
FROM label_parked_state p
JOIN label_batches b ON b.batch_id = p.batch_id
JOIN label_parked_keys k ON k.park_id = p.park_id
JOIN captures c ON c.fingerprint = k.fingerprint
JOIN flows f ON f.capture_id = c.id AND f.first_seen = k.first_seen AND f.src_ip = k.src_ip
  AND f.dst_ip = k.dst_ip AND f.src_port = k.src_port AND f.dst_port = k.dst_port
  AND f.protocol = k.protocol AND f.vlan_id = k.vlan_id;
CREATE OR REPLACE VIEW flow_labels_current AS
SELECT flow_id::BIGINT AS flow_id, capture_id::INTEGER AS capture_id, label::VARCHAR AS label,
  tags::VARCHAR[] AS tags, source::VARCHAR AS source, labeled_at::TIMESTAMP AS labeled_at
FROM flow_label_status;
`;
