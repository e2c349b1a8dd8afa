/**
 * Labels of removed captures: parked under a stable flow identity (capture fingerprint, flow
 * key, first packet time) when the capture is removed, and moved back to flow ids when a
 * capture with that fingerprint is present again (re-ingest gives its flows new ids).
 * See label-schema.ts. Both run inside the caller's transaction.
 */
import type { SqlParams } from '../store/case-store';

/** The flow columns that, with the capture fingerprint, make a flow's stable identity. */
export const IDENTITY_COLUMNS = [
  'vlan_id',
  'protocol',
  'src_ip',
  'src_port',
  'dst_ip',
  'dst_port',
  'first_seen',
] as const;

/** `k.fingerprint = c.fingerprint AND k.vlan_id = f.vlan_id AND ...` */
export const identityMatch = (keys: string, flows: string): string =>
  IDENTITY_COLUMNS.map((column) => `${keys}.${column} = ${flows}.${column}`).join(' AND ');

export interface SqlSession {
  run(sql: string, params?: SqlParams): Promise<void>;
  rows(sql: string, params?: SqlParams): Promise<Record<string, unknown>[]>;
}

/** First and last+1 flow_id of a capture (flow_id = capture_id * 2^32 + n). */
const captureRange = (captureId: number) => ({ low: captureId * 2 ** 32, high: (captureId + 1) * 2 ** 32 });

/**
 * Parks the labels and label history of capture `captureId` (before its flows are deleted).
 * Identities parked earlier and present again are moved back first, so none is parked twice.
 */
export async function parkCaptureLabels(db: SqlSession, captureId: number): Promise<void> {
  await unparkLabels(db);
  const { low, high } = captureRange(captureId);
  const labeled = await db.rows(
    'SELECT count(*) AS n FROM label_events WHERE flow_id >= $low AND flow_id < $high',
    { low, high },
  );
  if (Number(labeled[0]!.n) === 0) return;
  const base = Number(
    (await db.rows('SELECT coalesce(max(park_id), 0) AS id FROM label_parked_keys'))[0]!.id,
  );
  const identity = IDENTITY_COLUMNS.map((column) => `f.${column}`).join(', ');
  // Flows equal in identity share one park_id.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE label_park_map AS
     SELECT f.flow_id, c.fingerprint, ${identity},
       ${base} + dense_rank() OVER (ORDER BY ${identity}) AS park_id
     FROM flows f JOIN captures c ON c.id = f.capture_id
     WHERE f.capture_id = $captureId
       AND f.flow_id IN (SELECT flow_id FROM label_events WHERE flow_id >= $low AND flow_id < $high)`,
    { captureId, low, high },
  );
  await insertAny(
    db,
    'label_parked_keys',
    `SELECT DISTINCT park_id, fingerprint, ${IDENTITY_COLUMNS.join(', ')} FROM label_park_map`,
  );
  await insertAny(
    db,
    'label_parked_events',
    `SELECT DISTINCT e.batch_id, m.park_id, e.label, e.tags
     FROM label_events e JOIN label_park_map m ON m.flow_id = e.flow_id`,
  );
  await insertAny(
    db,
    'label_parked_state',
    `SELECT DISTINCT ON (m.park_id) m.park_id, s.batch_id, s.label, s.tags, s.conflict, s.claims
     FROM flow_label_state s JOIN label_park_map m ON m.flow_id = s.flow_id
     ORDER BY m.park_id, s.batch_id DESC`,
  );
  await db.run('DELETE FROM label_events WHERE flow_id >= $low AND flow_id < $high', { low, high });
  await db.run('DELETE FROM flow_label_state WHERE flow_id >= $low AND flow_id < $high', { low, high });
  await db.run('DROP TABLE IF EXISTS label_park_map');
}

/** Moves parked labels whose flows are present again back to flow ids. */
export async function unparkLabels(db: SqlSession): Promise<void> {
  const parked = await db.rows('SELECT count(*) AS n FROM label_parked_keys');
  if (Number(parked[0]!.n) === 0) return;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE label_unpark_map AS
     SELECT k.park_id, f.flow_id
     FROM label_parked_keys k JOIN captures c ON c.fingerprint = k.fingerprint
     JOIN flows f ON f.capture_id = c.id AND ${identityMatch('k', 'f')}`,
  );
  const mapped = await db.rows('SELECT count(*) AS n FROM label_unpark_map');
  if (Number(mapped[0]!.n) === 0) {
    await db.run('DROP TABLE IF EXISTS label_unpark_map');
    return;
  }
  await insertAny(
    db,
    'label_events',
    `SELECT DISTINCT e.batch_id, m.flow_id, e.label, e.tags
     FROM label_parked_events e JOIN label_unpark_map m ON m.park_id = e.park_id`,
  );
  await insertAny(
    db,
    'flow_label_state',
    `SELECT DISTINCT ON (m.flow_id) m.flow_id, p.batch_id, p.label, p.tags, p.conflict, p.claims
     FROM label_parked_state p JOIN label_unpark_map m ON m.park_id = p.park_id
     WHERE m.flow_id NOT IN (SELECT flow_id FROM flow_label_state)
     ORDER BY m.flow_id, p.batch_id DESC`,
  );
  for (const table of ['label_parked_keys', 'label_parked_events', 'label_parked_state']) {
    await db.run(`DELETE FROM ${table} WHERE park_id IN (SELECT park_id FROM label_unpark_map)`);
  }
  await db.run('DROP TABLE IF EXISTS label_unpark_map');
}

/**
 * INSERT INTO `table` `select`, skipped when `select` has no rows: in DuckDB 1.5.5 an empty
 * INSERT, then a DELETE, then a large INSERT into one table in one transaction loses the large
 * INSERT's rows. The selects here are over the (small) parked sets.
 */
async function insertAny(db: SqlSession, table: string, select: string): Promise<void> {
  const found = await db.rows(`SELECT count(*) AS n FROM (${select})`);
  if (Number(found[0]!.n) > 0) await db.run(`INSERT INTO ${table} ${select}`);
}
