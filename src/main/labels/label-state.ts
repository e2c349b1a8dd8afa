/**
 * The current label of each flow, derived from the applied acts:
 *
 * - A manual act is the analyst's verdict: it opens a new window, earlier claims no longer count
 *   (a manual clear removes the label).
 * - Within the window, the claim of the highest-precedence source wins (manual > import >
 *   capture > rule > detection > model), the latest among equals: a later claim of a weaker
 *   source never silently overwrites a stronger one.
 * - The flow is in conflict when the window's claims name more than one class; `claims` then
 *   lists the strongest claim of each class so the views can show them.
 * - Tags are the union of the tags of the window's claims of the winning class.
 *
 * The state tables hold this per key (flow_id, or park_id for removed captures).
 * recomputeLabelState rebuilds it from the events; foldUniformClaim adds one act's claim to
 * flows not in conflict without reading their history (exact, see its comment).
 */
import type { LabelSource } from '../../shared/label-types';
import type { SqlSession } from './label-parking';

/** Precedence of each source (higher wins). */
export const SOURCE_PRECEDENCE: Record<LabelSource, number> = {
  manual: 6,
  import: 5,
  capture: 4,
  rule: 3,
  detection: 2,
  model: 1,
};

/** A claim's rank: precedence first, then the act (later wins). */
const rankSql = (source: string, batchId: string): string =>
  `(CASE ${source} ${Object.entries(SOURCE_PRECEDENCE)
    .map(([name, rank]) => `WHEN '${name}' THEN ${rank}`)
    .join(' ')} ELSE 0 END)::BIGINT * 1000000000000 + ${batchId}`;

/** Live tables (keyed by flow_id) or parked ones (keyed by park_id). */
export interface LabelTables {
  events: string;
  state: string;
  key: string;
}

export const LIVE_TABLES: LabelTables = { events: 'label_events', state: 'flow_label_state', key: 'flow_id' };
export const PARKED_TABLES: LabelTables = {
  events: 'label_parked_events',
  state: 'label_parked_state',
  key: 'park_id',
};

/**
 * Rebuilds the state of the keys listed in `affectedTable` (one column named like the key,
 * distinct). One aggregation gathers each key's claims; the window, winner, tags and conflict
 * are list operations on that small per-key list. Runs inside the caller's transaction.
 */
export async function recomputeLabelState(
  db: SqlSession,
  tables: LabelTables,
  affectedTable: string,
): Promise<void> {
  const { events, state, key } = tables;
  await db.run(`DELETE FROM ${state} WHERE ${key} IN (SELECT ${key} FROM ${affectedTable})`);
  const computed = `
    WITH grouped AS (
      SELECT e.${key} AS key,
        coalesce(max(e.batch_id) FILTER (WHERE b.source = 'manual'), 0) AS since,
        list({'rank': ${rankSql('b.source', 'e.batch_id')}, 'label': coalesce(e.label, b.label),
          'source': b.source, 'batch_id': e.batch_id, 'tags': coalesce(e.tags, b.tags, [])}) AS all_claims
      FROM ${events} e JOIN label_batches b ON b.batch_id = e.batch_id
      WHERE b.state = 'applied' AND e.${key} IN (SELECT ${key} FROM ${affectedTable})
      GROUP BY e.${key}
    ), windowed AS (
      SELECT key, list_filter(all_claims, lambda x: x.batch_id >= since AND x.label IS NOT NULL) AS claims
      FROM grouped
    ), decided AS (
      SELECT key, claims, list_max(claims) AS winner,
        len(list_distinct(list_transform(claims, lambda x: x.label))) > 1 AS conflict
      FROM windowed WHERE len(claims) > 0
    )
    SELECT d.key, d.winner.batch_id,
      CASE WHEN d.winner.label IS NOT DISTINCT FROM b.label THEN NULL ELSE d.winner.label END,
      CASE WHEN d.tags = list_sort(coalesce(b.tags, [])) THEN NULL ELSE d.tags END,
      d.conflict,
      CASE WHEN d.conflict THEN list_sort(list_transform(
        list_distinct(list_transform(d.claims, lambda x: x.label)),
        lambda l: struct_pack(label := l,
          source := list_max(list_filter(d.claims, lambda y: y.label = l)).source,
          batch_id := list_max(list_filter(d.claims, lambda y: y.label = l)).batch_id))) END
    FROM (
      SELECT *, list_sort(list_distinct(flatten(list_transform(
        list_filter(claims, lambda x: x.label = winner.label), lambda x: x.tags)))) AS tags
      FROM decided
    ) d JOIN label_batches b ON b.batch_id = d.winner.batch_id`;
  // An empty INSERT before a later DELETE + large INSERT in one transaction loses rows in
  // DuckDB 1.5.5 (see record-label-act.ts): insert only when there is something to insert.
  await db.run(`CREATE OR REPLACE TEMP TABLE label_recomputed AS ${computed}`);
  const found = await db.rows('SELECT count(*) AS n FROM label_recomputed');
  if (Number(found[0]!.n) > 0) await db.run(`INSERT INTO ${state} SELECT * FROM label_recomputed`);
  await db.run('DROP TABLE IF EXISTS label_recomputed');
}

/**
 * Adds the claim of act `batchId` (one class and tag set for all its flows, source not manual)
 * to the live flows of `keysTable` (column flow_id) whose state is not in conflict. Exact: with
 * no conflict every claim in the window has the winner's class, so the state alone decides —
 * the strongest of the old winner and the new claim wins; the same class merges tags, another
 * class makes a conflict whose claims are the old winner and the new claim. Returns the flows
 * now in conflict.
 */
export async function foldUniformClaim(db: SqlSession, keysTable: string, batchId: number): Promise<number> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE label_folded AS
     WITH old AS (
       SELECT s.flow_id, s.batch_id AS old_batch, s.label AS old_override, ob.source AS old_source,
         coalesce(s.label, ob.label) AS old_label, coalesce(s.tags, ob.tags, []) AS old_tags,
         list_sort(coalesce(ob.tags, [])) AS old_batch_tags,
         ${rankSql('ob.source', 's.batch_id')} AS old_rank,
         nb.label AS new_label, list_sort(coalesce(nb.tags, [])) AS new_tags, nb.source AS new_source,
         ${rankSql('nb.source', 'nb.batch_id')} AS new_rank
       FROM flow_label_state s
       JOIN label_batches ob ON ob.batch_id = s.batch_id
       JOIN label_batches nb ON nb.batch_id = $batchId
       WHERE s.flow_id IN (SELECT flow_id FROM ${keysTable}) AND NOT s.conflict
     ), decided AS (
       SELECT *, new_rank > old_rank AS new_wins, new_label <> old_label AS conflict,
         CASE WHEN new_label = old_label THEN list_sort(list_distinct(list_concat(old_tags, new_tags)))
              WHEN new_rank > old_rank THEN new_tags ELSE old_tags END AS tags
       FROM old
     )
     SELECT flow_id,
       CASE WHEN new_wins THEN $batchId ELSE old_batch END AS batch_id,
       CASE WHEN new_wins THEN NULL ELSE old_override END AS label,
       CASE WHEN tags = (CASE WHEN new_wins THEN new_tags ELSE old_batch_tags END) THEN NULL ELSE tags END AS tags,
       conflict,
       CASE WHEN conflict THEN list_sort([
         struct_pack(label := old_label, source := old_source, batch_id := old_batch),
         struct_pack(label := new_label, source := new_source, batch_id := $batchId::BIGINT)]) END AS claims
     FROM decided`,
    { batchId },
  );
  const found = await db.rows(
    'SELECT count(*) AS n, count(*) FILTER (WHERE conflict) AS conflicts FROM label_folded',
  );
  if (Number(found[0]!.n) > 0) {
    await db.run('DELETE FROM flow_label_state WHERE flow_id IN (SELECT flow_id FROM label_folded)');
    await db.run('INSERT INTO flow_label_state SELECT * FROM label_folded');
  }
  await db.run('DROP TABLE IF EXISTS label_folded');
  return Number(found[0]!.conflicts);
}
