/**
 * Labeling flows: the function every module uses (the API handlers, the CLI, and detection or
 * model proposals once the analyst confirms them), plus clear, undo and redo.
 */
import type {
  LabelApplyRequest,
  LabelApplyResult,
  LabelBatch,
  LabelClearRequest,
} from '../../shared/label-types';
import type { CaseStore } from '../store/case-store';
import { requestObject } from '../query/request-checks';
import { className, labelSource, reasonText, tagList } from './label-checks';
import { LabelDb } from './label-db';
import { compileLabelTarget } from './label-target';
import type { InternalLabelTarget } from './label-target';
import { unparkLabels } from './label-parking';
import { LIVE_TABLES, PARKED_TABLES, recomputeLabelState } from './label-state';
import { recordLabelAct } from './record-label-act';
import { toLabelBatch } from './label-rows';

/** applyLabels' request: the API's, with a target that may carry a CLI-only SQL condition. */
export interface ApplyLabelsRequest extends Omit<LabelApplyRequest, 'target'> {
  target: InternalLabelTarget;
}

export interface ApplyOptions {
  /** Accept `target.sqlWhere` (the local CLI only). */
  allowSql?: boolean;
  /** The saved rule this act applies. */
  ruleId?: number;
}

/**
 * Labels every flow of `request.target` with `request.label` (+ tags) as one act, set-based
 * (one INSERT ... SELECT over the target, any size). Flows another claim disagrees with are
 * counted in `conflicts` and keep the label of the stronger source (see label-state.ts).
 */
export async function applyLabels(
  store: CaseStore,
  input: ApplyLabelsRequest,
  options: ApplyOptions = {},
): Promise<LabelApplyResult> {
  const request = requestObject<ApplyLabelsRequest>(input, 'labels.apply');
  const label = className(request.label);
  const tags = tagList(request.tags);
  const source = labelSource(request.source);
  const reason = reasonText(request.reason);
  const target = compileLabelTarget(request.target, { allowSql: options.allowSql });
  const db = await LabelDb.for(store);
  return recordLabelAct(db, {
    source,
    kind: 'label',
    label,
    tags,
    reason,
    target: target.description,
    ruleId: options.ruleId ?? null,
    rowsSql: `SELECT flow_id, NULL::VARCHAR AS label, NULL::VARCHAR[] AS tags FROM flows WHERE ${target.where}`,
    params: target.params.values,
    uniform: true,
  });
}

/** Removes the label of every target flow (a manual act: it can be undone). */
export async function clearLabels(
  store: CaseStore,
  input: LabelClearRequest & { target: InternalLabelTarget },
  options: ApplyOptions = {},
): Promise<LabelApplyResult> {
  const request = requestObject<LabelClearRequest>(input, 'labels.clear');
  const reason = reasonText(request.reason);
  const target = compileLabelTarget(request.target, { allowSql: options.allowSql });
  const db = await LabelDb.for(store);
  return recordLabelAct(db, {
    source: 'manual',
    kind: 'clear',
    label: null,
    tags: [],
    reason,
    target: target.description,
    rowsSql: `SELECT flow_id, NULL::VARCHAR AS label, NULL::VARCHAR[] AS tags FROM flows WHERE ${target.where}`,
    params: target.params.values,
    uniform: true,
  });
}

/** Undoes the latest applied act; returns it (null when there is nothing to undo). */
export async function undoLabels(store: CaseStore): Promise<LabelBatch | null> {
  return moveAct(store, 'undo');
}

/** Re-applies the act undone last; returns it (null when there is nothing to redo). */
export async function redoLabels(store: CaseStore): Promise<LabelBatch | null> {
  return moveAct(store, 'redo');
}

async function moveAct(store: CaseStore, direction: 'undo' | 'redo'): Promise<LabelBatch | null> {
  const db = await LabelDb.for(store);
  return db.transaction(async () => {
    const found = await db.rows(
      direction === 'undo'
        ? "SELECT batch_id FROM label_batches WHERE state = 'applied' ORDER BY batch_id DESC LIMIT 1"
        : "SELECT batch_id FROM label_batches WHERE state = 'undone' ORDER BY batch_id ASC LIMIT 1",
    );
    if (!found.length) return null;
    const batchId = Number(found[0]!.batch_id);
    await db.run(
      'UPDATE label_batches SET state = $state, state_changed_at = CAST($now AS TIMESTAMP) WHERE batch_id = $batchId',
      { state: direction === 'undo' ? 'undone' : 'applied', now: new Date().toISOString(), batchId },
    );
    await unparkLabels(db);
    // The act's flows, present (flow ids) or of removed captures (park ids).
    for (const tables of [LIVE_TABLES, PARKED_TABLES]) {
      await db.run(
        `CREATE OR REPLACE TEMP TABLE label_affected AS SELECT DISTINCT ${tables.key} FROM ${tables.events} WHERE batch_id = $batchId`,
        { batchId },
      );
      await recomputeLabelState(db, tables, 'label_affected');
    }
    await db.run('DROP TABLE IF EXISTS label_affected');
    const rows = await db.rows('SELECT * FROM label_batches WHERE batch_id = $batchId', { batchId });
    return toLabelBatch(rows[0]!);
  });
}

/** Moves labels of re-ingested captures back to flow ids now (reads of the history need it). */
export async function attachParkedLabels(store: CaseStore): Promise<void> {
  const parked = await store.rows('SELECT count(*) AS n FROM label_parked_keys');
  if (Number(parked[0]!.n) === 0) return;
  const db = await LabelDb.for(store);
  await db.transaction(() => unparkLabels(db));
}
