/**
 * A flow's label history: every act that touched it, newest first, each with where it stands
 * for this flow now (current, conflicting claim, superseded, undone, discarded) and whether
 * undo or redo would move it next.
 */
import type { FlowLabelActStatus, FlowLabelHistoryEntry, LabelBatch } from '../../shared/label-types';
import type { CaseStore } from '../store/case-store';
import { integerField, requestObject } from '../query/request-checks';
import { toClaims, toLabelBatch } from './label-rows';
import { attachParkedLabels } from './apply-labels';

/** The flow's current state: the winning act and, in a conflict, the acts of the claims. */
export interface FlowLabelStanding {
  /** The act whose claim the flow carries now (undefined: unlabeled). */
  winner: number | undefined;
  /** Acts of the disagreeing claims when the flow is in conflict. */
  claimActs: ReadonlySet<number>;
}

/**
 * Where act `entry` stands for the flow. `newestApplied` is the flow's newest applied act: when
 * the flow has no label and that act is a clear, the clear is what is in effect.
 */
export function actStatus(
  entry: Pick<LabelBatch, 'batchId' | 'state' | 'kind'>,
  standing: FlowLabelStanding,
  newestApplied: number | undefined,
): FlowLabelActStatus {
  if (entry.state !== 'applied') return entry.state;
  if (entry.batchId === standing.winner) return 'current';
  if (standing.claimActs.has(entry.batchId)) return 'conflicting';
  if (standing.winner === undefined && entry.kind === 'clear' && entry.batchId === newestApplied) return 'current';
  return 'superseded';
}

/** Every act that touched the flow, newest first, with the class it gave the flow and its status. */
export async function labelHistory(
  store: CaseStore,
  input: { flowId: number },
): Promise<FlowLabelHistoryEntry[]> {
  const request = requestObject<{ flowId?: unknown }>(input, 'labels.history');
  const flowId = integerField(request.flowId, 'flowId', { min: 0, max: Number.MAX_SAFE_INTEGER });
  await attachParkedLabels(store);
  // One after another: they share the case's connection.
  const rows = await store.rows(
    `SELECT b.*, coalesce(e.label, b.label) AS flow_label, coalesce(e.tags, b.tags, []) AS flow_tags
     FROM label_events e JOIN label_batches b ON b.batch_id = e.batch_id
     WHERE e.flow_id = $flowId
     ORDER BY b.batch_id DESC`,
    { flowId },
  );
  const state = await store.rows('SELECT batch_id, conflict, claims FROM flow_label_status WHERE flow_id = $flowId', { flowId });
  const moves = await store.rows(
    `SELECT max(batch_id) FILTER (WHERE state = 'applied') AS undo_next,
       min(batch_id) FILTER (WHERE state = 'undone') AS redo_next FROM label_batches`,
  );
  const standing: FlowLabelStanding = {
    winner: state[0] ? Number(state[0].batch_id) : undefined,
    claimActs: new Set(state[0]?.conflict ? toClaims(state[0].claims).map((claim) => claim.batchId) : []),
  };
  const undoNext = moves[0]?.undo_next ?? null;
  const redoNext = moves[0]?.redo_next ?? null;
  const batches = rows.map(toLabelBatch);
  const newestApplied = batches.find((batch) => batch.state === 'applied')?.batchId;
  return rows.map((row, index) => {
    const batch = batches[index]!;
    return {
      ...batch,
      flowLabel: row.flow_label === null || row.flow_label === undefined ? null : String(row.flow_label),
      flowTags: Array.isArray(row.flow_tags) ? row.flow_tags.map(String) : [],
      status: actStatus(batch, standing, newestApplied),
      undoable: undoNext !== null && Number(undoNext) === batch.batchId,
      redoable: redoNext !== null && Number(redoNext) === batch.batchId,
    };
  });
}
