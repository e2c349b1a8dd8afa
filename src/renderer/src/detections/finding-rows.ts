/** Findings for the Detections table and its chart, and the filter actions of "show flows" (pure). */
import type { Finding, FindingKind } from '../../../shared/detect-types';
import type { FlowFilter } from '../../../shared/query-types';
import type { FilterAction } from '../filter/filter-model';

/** Findings of the chosen kinds at or above a minimum score, best first (stable). */
export function visibleFindings(findings: readonly Finding[], kinds: ReadonlySet<FindingKind> | undefined, minScore: number): Finding[] {
  return findings.filter((finding) => (!kinds || kinds.has(finding.kind)) && finding.score >= minScore);
}

/** Count and best score per kind, for the overview chart (kinds in descending best score). */
export function kindSummary(findings: readonly Finding[]): { kind: FindingKind; count: number; best: number }[] {
  const byKind = new Map<FindingKind, { kind: FindingKind; count: number; best: number }>();
  for (const finding of findings) {
    const entry = byKind.get(finding.kind) ?? { kind: finding.kind, count: 0, best: 0 };
    entry.count++;
    entry.best = Math.max(entry.best, finding.score);
    byKind.set(finding.kind, entry);
  }
  return [...byKind.values()].sort((a, b) => b.best - a.best || a.kind.localeCompare(b.kind));
}

/** Severity band of a score, for the row colour. */
export function severity(score: number): 'high' | 'medium' | 'low' {
  return score >= 0.8 ? 'high' : score >= 0.6 ? 'medium' : 'low';
}

/**
 * The actions that replace the shared filter with a finding's filter (its expression, capture
 * and host or host pair): "show these flows" in the flows grid.
 */
export function showFlowsActions(filter: FlowFilter): FilterAction[] {
  const actions: FilterAction[] = [{ type: 'clear' }];
  if (filter.expression) actions.push({ type: 'setExpression', expression: filter.expression });
  if (filter.captureIds?.length) actions.push({ type: 'setCaptures', captureIds: filter.captureIds });
  if (filter.hostPair) actions.push({ type: 'setHostPair', a: filter.hostPair.a, b: filter.hostPair.b });
  for (const host of filter.hosts ?? []) actions.push({ type: 'selectHost', host });
  return actions;
}

/** The `labels.apply` request of a confirmed "Label these…" (the class as the analyst left it). */
export function labelRequest(finding: Finding, label: string) {
  return {
    target: { filter: finding.filter },
    label: label.trim(),
    tags: [finding.kind],
    source: 'detection' as const,
    reason: `${finding.kind} (score ${finding.score}): ${finding.summary}`.slice(0, 1000),
  };
}
