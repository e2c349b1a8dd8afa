/**
 * The grid's label column: flows pages come from flows.page, their labels from labels.forFlows
 * (one request per page); the label is merged into each row under LABEL_FIELD.
 */
import type { FlowLabel } from '../../../shared/label-types';

/** Row field holding the flow's label (not a flow column: it cannot clash with one). */
export const LABEL_FIELD = '__label';

/** What the label column shows for one flow. */
export interface RowLabel {
  label: string;
  tags: string[];
  source: string;
  conflict: boolean;
  /** Hover text: class, tags, source, and the disagreeing claims of a conflict. */
  title: string;
}

export function toRowLabel(label: FlowLabel): RowLabel {
  const claims = label.conflict
    ? `\nconflict: ${label.claims.map((claim) => `${claim.label} (${claim.source}, act ${claim.batchId})`).join(' vs ')}`
    : '';
  const tags = label.tags.length ? ` [${label.tags.join(', ')}]` : '';
  return {
    label: label.label,
    tags: label.tags,
    source: label.source,
    conflict: label.conflict,
    title: `${label.label}${tags} by ${label.source} at ${label.labeledAt}${claims}`,
  };
}

/** Rows with their labels merged in (unlabeled rows get null); the input rows are not changed. */
export function attachLabels<Row extends Record<string, unknown>>(
  rows: readonly Row[],
  labels: readonly FlowLabel[],
): Row[] {
  const byId = new Map(labels.map((label) => [label.flowId, label]));
  return rows.map((row) => {
    const label = typeof row.flow_id === 'number' ? byId.get(row.flow_id) : undefined;
    return { ...row, [LABEL_FIELD]: label ? toRowLabel(label) : null };
  });
}

/** The flow ids of a page, for labels.forFlows. */
export function pageFlowIds(rows: readonly Record<string, unknown>[]): number[] {
  return rows.map((row) => row.flow_id).filter((id): id is number => typeof id === 'number');
}
