/** Reading labels: per flow (the grid's column), a flow's history, the summary and conflicts. */
import { BUILTIN_CLASSES } from '../../shared/label-types';
import type {
  FlowLabel,
  LabelConflict,
  LabelSource,
  LabelSummary,
} from '../../shared/label-types';
import type { CaseStore } from '../store/case-store';
import { integerField, requestObject } from '../query/request-checks';
import { timestampTextSql } from '../query/sql-parameters';
import { isoTime, toClaims, toFlowLabel, toLabelBatch } from './label-rows';
import { MAX_TARGET_FLOW_IDS, compileLabelTarget } from './label-target';

/** The current labels of the given flows (unlabeled ones are absent). */
export async function labelsForFlows(store: CaseStore, input: { flowIds: number[] }): Promise<FlowLabel[]> {
  const request = requestObject<{ flowIds?: unknown }>(input, 'labels.forFlows');
  const target = compileLabelTarget({ flowIds: request.flowIds ?? [] });
  const rows = await store.rows(
    `SELECT flow_id, label, tags, source, labeled_at, conflict, claims
     FROM flow_label_status WHERE ${target.where} ORDER BY flow_id`,
    target.params.values,
  );
  return rows.map(toFlowLabel);
}

export { labelHistory } from './label-history';

/** Counts per class and per capture, unlabeled share, conflicts and the latest acts. */
export async function labelSummary(store: CaseStore, input?: { recent?: number }): Promise<LabelSummary> {
  const request = requestObject<{ recent?: unknown }>(input, 'labels.summary');
  const recent = integerField(request.recent, 'recent', { min: 0, max: 1000, fallback: 20 });
  // One after another: they share the case's connection.
  const perCapture =
    await store.rows(`SELECT capture_id, label, count(*) AS flows, count(*) FILTER (WHERE conflict) AS conflicts
             FROM flow_label_status GROUP BY ALL ORDER BY capture_id, label`);
  const totals =
    await store.rows(`SELECT c.id, c.file_name, (SELECT count(*) FROM flows f WHERE f.capture_id = c.id) AS flows
             FROM captures c ORDER BY c.id`);
  const batches = await store.rows('SELECT * FROM label_batches ORDER BY batch_id DESC LIMIT $recent', {
    recent,
  });
  const classes = await store.rows(`SELECT DISTINCT label FROM label_events WHERE label IS NOT NULL
             UNION SELECT label FROM label_rules ORDER BY label`);
  const moves = await store.rows(`SELECT count(*) FILTER (WHERE state = 'applied') AS applied,
               count(*) FILTER (WHERE state = 'undone') AS undone FROM label_batches`);
  const captures = totals.map((row) => ({
    captureId: Number(row.id),
    fileName: String(row.file_name),
    flows: Number(row.flows),
    labeled: 0,
    conflicts: 0,
    classes: [] as { label: string; flows: number }[],
  }));
  const byCapture = new Map(captures.map((capture) => [capture.captureId, capture]));
  const classTotals = new Map<string, number>();
  for (const row of perCapture) {
    const label = String(row.label);
    const flows = Number(row.flows);
    classTotals.set(label, (classTotals.get(label) ?? 0) + flows);
    const capture = byCapture.get(Number(row.capture_id));
    if (!capture) continue;
    capture.labeled += flows;
    capture.conflicts += Number(row.conflicts);
    capture.classes.push({ label, flows });
  }
  const totalFlows = captures.reduce((sum, capture) => sum + capture.flows, 0);
  const labeledFlows = captures.reduce((sum, capture) => sum + capture.labeled, 0);
  return {
    totalFlows,
    labeledFlows,
    unlabeledShare: totalFlows ? (totalFlows - labeledFlows) / totalFlows : 0,
    conflicts: captures.reduce((sum, capture) => sum + capture.conflicts, 0),
    classes: [...classTotals]
      .map(([label, flows]) => ({ label, flows }))
      .sort((a, b) => b.flows - a.flows || a.label.localeCompare(b.label)),
    captures,
    recent: batches.map(toLabelBatch),
    knownClasses: [...new Set([...BUILTIN_CLASSES, ...classes.map((row) => String(row.label))])],
    canUndo: Number(moves[0]!.applied) > 0,
    canRedo: Number(moves[0]!.undone) > 0,
  };
}

/** Flows whose claims disagree, newest conflict first. */
export async function labelConflicts(store: CaseStore, input?: { limit?: number }): Promise<LabelConflict[]> {
  const request = requestObject<{ limit?: unknown }>(input, 'labels.conflicts');
  const limit = integerField(request.limit, 'limit', { min: 1, max: MAX_TARGET_FLOW_IDS, fallback: 200 });
  const rows = await store.rows(
    `SELECT f.flow_id, f.capture_id, f.src_ip, f.src_port, f.dst_ip, f.dst_port, f.protocol,
       ${timestampTextSql('f.first_seen')} AS first_seen, s.label, s.source, s.claims
     FROM (SELECT * FROM flow_label_status WHERE conflict) s JOIN flows f ON f.flow_id = s.flow_id
     ORDER BY s.batch_id DESC, f.flow_id LIMIT $limit`,
    { limit },
  );
  return rows.map((row) => ({
    flowId: Number(row.flow_id),
    captureId: Number(row.capture_id),
    srcIp: String(row.src_ip),
    srcPort: Number(row.src_port),
    dstIp: String(row.dst_ip),
    dstPort: Number(row.dst_port),
    protocol: Number(row.protocol),
    firstSeen: isoTime(row.first_seen),
    label: String(row.label),
    source: row.source as LabelSource,
    claims: toClaims(row.claims),
  }));
}
