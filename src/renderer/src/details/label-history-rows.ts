/** A flow's label history as rows for the details panel (pure shaping, unit-tested without a DOM). */
import type { FlowLabelActStatus, FlowLabelHistoryEntry } from '../../../shared/label-types';
import { formatTimestamp } from '../format/format-values';

export interface LabelHistoryRow {
  batchId: number;
  /** `malicious`, or `cleared`. */
  label: string;
  tags: string;
  when: string;
  who: string;
  /** The source, and the rule when a saved rule made the act. */
  how: string;
  why: string;
  /** What the act targeted (`selected flows (2)`, `filter: …`), with its size. */
  target: string;
  status: FlowLabelActStatus;
  statusText: string;
  undoable: boolean;
  redoable: boolean;
}

const STATUS_TEXT: Record<FlowLabelActStatus, string> = {
  current: 'current',
  conflicting: 'in conflict',
  superseded: 'superseded',
  undone: 'undone',
  discarded: 'discarded (undone, then replaced)',
};

/** One row per act, newest first (whatever order the entries come in). */
export function labelHistoryRows(entries: readonly FlowLabelHistoryEntry[]): LabelHistoryRow[] {
  return [...entries]
    .sort((a, b) => b.batchId - a.batchId)
    .map((entry) => ({
      batchId: entry.batchId,
      label: entry.kind === 'clear' ? 'cleared' : (entry.flowLabel ?? entry.label ?? '?'),
      tags: entry.flowTags.join(', '),
      when: formatTimestamp(entry.createdAt),
      who: entry.actor ?? 'unknown',
      how: entry.ruleId === null ? entry.source : `${entry.source} (rule ${entry.ruleId})`,
      why: entry.reason ?? '',
      target: `${entry.target} · ${entry.flows} flow${entry.flows === 1 ? '' : 's'}`,
      status: entry.status,
      statusText: STATUS_TEXT[entry.status],
      undoable: entry.undoable,
      redoable: entry.redoable,
    }));
}
