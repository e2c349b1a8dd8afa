/**
 * Records one labeling act, set-based: the target flows are selected once into a temp table,
 * then written as events and folded into flow_label_state, each step one INSERT ... SELECT
 * over all target flows (never row by row). Flows without a current label, and every flow of
 * a manual act, take the act's claim directly; the others are recomputed (label-state.ts).
 */
import { userInfo } from 'node:os';
import type { DuckDBType } from '@duckdb/node-api';
import type { LabelApplyResult, LabelSource } from '../../shared/label-types';
import type { SqlParams } from '../store/case-store';
import type { LabelDb } from './label-db';
import { unparkLabels } from './label-parking';
import { LIVE_TABLES, foldUniformClaim, recomputeLabelState } from './label-state';

export interface LabelAct {
  source: LabelSource;
  kind: 'label' | 'clear';
  /** The act's class (null: a clear, or rows of several classes that carry their own). */
  label: string | null;
  tags: string[];
  reason: string | null;
  target: string;
  ruleId?: number | null;
  /**
   * SQL whose rows are the labeled flows: `flow_id`, plus `label` (VARCHAR) and `tags`
   * (VARCHAR[]) when rows differ from the act's (else NULL). Several rows per flow are allowed
   * only when `uniform` is false.
   */
  rowsSql: string;
  params: SqlParams;
  types?: Record<string, DuckDBType>;
  /** True when every row takes the act's label and tags, one row per flow (the fast path). */
  uniform: boolean;
  /** Runs first inside the act's transaction (e.g. builds the temp tables `rowsSql` reads). */
  prepare?: () => Promise<void>;
}

/** The actor recorded with each act: the operating-system user running the backend. */
function currentActor(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}

/** Records `act` in one transaction; returns its batch id, flow count and conflicts. */
export function recordLabelAct(db: LabelDb, act: LabelAct): Promise<LabelApplyResult> {
  return db.transaction(async () => {
    await act.prepare?.();
    await unparkLabels(db);
    const now = new Date().toISOString();
    const next = await db.rows('SELECT coalesce(max(batch_id), 0) + 1 AS id FROM label_batches');
    const batchId = Number(next[0]!.id);
    // A new act ends the redo history.
    await db.run(
      `UPDATE label_batches SET state = 'discarded', state_changed_at = CAST($now AS TIMESTAMP) WHERE state = 'undone'`,
      { now },
    );
    await db.run(
      `INSERT INTO label_batches (batch_id, created_at, actor, source, kind, label, tags, reason, target, rule_id, state)
       VALUES ($batchId, CAST($now AS TIMESTAMP), $actor, $source, $kind, $label,
         list_sort(from_json($tags, '["VARCHAR"]')), $reason, $target, $ruleId, 'applied')`,
      {
        batchId,
        now,
        actor: currentActor(),
        source: act.source,
        kind: act.kind,
        label: act.label,
        tags: JSON.stringify(act.tags),
        reason: act.reason,
        target: act.target,
        ruleId: act.ruleId ?? null,
      },
    );
    await db.run(
      `CREATE OR REPLACE TEMP TABLE label_act AS
       SELECT r.flow_id, r.label, r.tags, s.flow_id IS NOT NULL AS labeled
       FROM (${act.rowsSql}) r LEFT JOIN flow_label_state s ON s.flow_id = r.flow_id`,
      act.params,
      act.types,
    );
    const counted = await db.rows(
      `SELECT count(*) AS rows, count(*) FILTER (WHERE labeled) AS labeled,
         ${act.uniform ? 'count(*)' : 'count(DISTINCT flow_id)'} AS flows FROM label_act`,
    );
    const rows = Number(counted[0]!.rows);
    const labeled = Number(counted[0]!.labeled);
    const flows = Number(counted[0]!.flows);
    // Every INSERT below is skipped when it would insert nothing: in DuckDB 1.5.5 an empty
    // INSERT, then a DELETE, then a large INSERT into one table in one transaction loses the
    // large INSERT's rows (seen here at 333,334 rows).
    if (rows)
      await db.run('INSERT INTO label_events SELECT $batchId, flow_id, label, tags FROM label_act', {
        batchId,
      });
    let conflicts = 0;
    if (act.uniform && act.source === 'manual') {
      // A manual act alone decides the label of every flow it touches.
      if (act.kind === 'clear') {
        if (labeled)
          await db.run(
            'DELETE FROM flow_label_state WHERE flow_id IN (SELECT flow_id FROM label_act WHERE labeled)',
          );
      } else {
        if (labeled) await takeOverState(db, batchId);
        if (rows > labeled) await insertDirectState(db, 'NOT labeled', batchId);
      }
    } else if (act.uniform) {
      // Flows without a current label carry exactly this act's claim.
      if (rows > labeled) await insertDirectState(db, 'NOT labeled', batchId);
      if (labeled) conflicts = await foldIntoLabeled(db, batchId);
    } else if (rows) {
      conflicts = await recomputeTouched(db, 'TRUE');
    }
    await db.run(
      'UPDATE label_batches SET flows = $flows, conflicts = $conflicts WHERE batch_id = $batchId',
      {
        flows,
        conflicts,
        batchId,
      },
    );
    await db.run('DROP TABLE IF EXISTS label_act');
    return { batchId, flows, conflicts };
  });
}

/** Points the state of the act's labeled flows at this act (UPDATE in place: cheaper than DELETE + INSERT). */
async function takeOverState(db: LabelDb, batchId: number): Promise<void> {
  await db.run(
    `UPDATE flow_label_state SET label = NULL, tags = NULL, conflict = false, claims = NULL
     FROM label_act a WHERE flow_label_state.flow_id = a.flow_id AND a.labeled
       AND (flow_label_state.label IS NOT NULL OR flow_label_state.tags IS NOT NULL OR flow_label_state.conflict)`,
  );
  await db.run(
    `UPDATE flow_label_state SET batch_id = $batchId
     FROM label_act a WHERE flow_label_state.flow_id = a.flow_id AND a.labeled`,
    { batchId },
  );
}

async function insertDirectState(db: LabelDb, condition: string, batchId: number): Promise<void> {
  await db.run(
    `INSERT INTO flow_label_state SELECT flow_id, $batchId, NULL, NULL, false, NULL FROM label_act WHERE ${condition}`,
    { batchId },
  );
}

/** Recomputes the state of the act's flows matching `condition`; returns those now in conflict. */
async function recomputeTouched(db: LabelDb, condition: string): Promise<number> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE label_affected AS SELECT DISTINCT flow_id FROM label_act WHERE ${condition}`,
  );
  await recomputeLabelState(db, LIVE_TABLES, 'label_affected');
  const rows = await db.rows(
    `SELECT count(*) AS flows FROM label_affected a JOIN flow_label_state s ON s.flow_id = a.flow_id WHERE s.conflict`,
  );
  await db.run('DROP TABLE IF EXISTS label_affected');
  return Number(rows[0]!.flows);
}

/**
 * Adds a uniform act's claim to its flows that already carry a label: flows not in conflict
 * are folded from their state alone, flows in conflict are recomputed from their history.
 */
async function foldIntoLabeled(db: LabelDb, batchId: number): Promise<number> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE label_conflicted AS
     SELECT s.flow_id FROM flow_label_state s WHERE s.conflict
       AND s.flow_id IN (SELECT flow_id FROM label_act WHERE labeled)`,
  );
  await db.run('CREATE OR REPLACE TEMP TABLE label_affected AS SELECT flow_id FROM label_act WHERE labeled');
  let conflicts = await foldUniformClaim(db, 'label_affected', batchId);
  const conflicted = await db.rows('SELECT count(*) AS n FROM label_conflicted');
  if (Number(conflicted[0]!.n) > 0) {
    await recomputeLabelState(db, LIVE_TABLES, 'label_conflicted');
    const still = await db.rows(
      `SELECT count(*) AS n FROM flow_label_state WHERE conflict AND flow_id IN (SELECT flow_id FROM label_conflicted)`,
    );
    conflicts += Number(still[0]!.n);
  }
  await db.run('DROP TABLE IF EXISTS label_conflicted');
  await db.run('DROP TABLE IF EXISTS label_affected');
  return conflicts;
}
