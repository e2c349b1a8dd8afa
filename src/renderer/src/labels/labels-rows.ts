/** Pure shaping of the labels summary for the Labels view (unit-tested without a DOM). */
import type { LabelBatch, LabelSummary } from '../../../shared/label-types';

export interface ClassRow {
  label: string;
  flows: number;
  /** Share of all flows, 0..1. */
  share: number;
}

export interface CaptureRow {
  captureId: number;
  fileName: string;
  flows: number;
  labeled: number;
  unlabeledShare: number;
  conflicts: number;
  /** `benign 12 · malicious 3`, largest first. */
  classes: string;
}

/** One row per class plus `unlabeled`, largest first, with shares of all flows. */
export function classRows(summary: LabelSummary): ClassRow[] {
  const total = summary.totalFlows;
  const rows = summary.classes.map((item) => ({
    label: item.label,
    flows: item.flows,
    share: total ? item.flows / total : 0,
  }));
  rows.push({ label: 'unlabeled', flows: total - summary.labeledFlows, share: summary.unlabeledShare });
  return rows.sort((a, b) => b.flows - a.flows || a.label.localeCompare(b.label));
}

export function captureRows(summary: LabelSummary): CaptureRow[] {
  return summary.captures.map((capture) => ({
    captureId: capture.captureId,
    fileName: capture.fileName,
    flows: capture.flows,
    labeled: capture.labeled,
    unlabeledShare: capture.flows ? (capture.flows - capture.labeled) / capture.flows : 0,
    conflicts: capture.conflicts,
    classes: [...capture.classes]
      .sort((a, b) => b.flows - a.flows || a.label.localeCompare(b.label))
      .map((item) => `${item.label} ${item.flows}`)
      .join(' · '),
  }));
}

/** `manual: malicious [scan] on 12 flows (3 conflicts) — reason` for the activity list. */
export function describeBatch(batch: LabelBatch): string {
  const what = batch.kind === 'clear' ? 'cleared' : (batch.label ?? 'several classes');
  const tags = batch.tags.length ? ` [${batch.tags.join(', ')}]` : '';
  const conflicts = batch.conflicts ? ` (${batch.conflicts} in conflict)` : '';
  const reason = batch.reason ? ` — ${batch.reason}` : '';
  const state = batch.state === 'applied' ? '' : ` (${batch.state})`;
  return `${batch.source}: ${what}${tags} on ${batch.flows} flow${batch.flows === 1 ? '' : 's'}${conflicts}${reason}${state}`;
}

/** 0.1234 → `12.3%`. */
export function percent(share: number): string {
  return `${(share * 100).toFixed(share > 0 && share < 0.001 ? 3 : 1)}%`;
}
