/** Plain rows of the labeling tables → the shared API types. */
import type { FlowLabel, LabelBatch, LabelRule, LabelSource } from '../../shared/label-types';

type Row = Record<string, unknown>;

const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** A TIMESTAMP column read as a JS value → ISO text with a Z. */
export function isoTime(value: unknown): string {
  const raw = String(value);
  return raw.endsWith('Z') ? raw : `${raw.replace(' ', 'T')}Z`;
}

export function toLabelBatch(row: Row): LabelBatch {
  return {
    batchId: Number(row.batch_id),
    createdAt: isoTime(row.created_at),
    actor: text(row.actor),
    source: row.source as LabelSource,
    kind: row.kind === 'clear' ? 'clear' : 'label',
    label: text(row.label),
    tags: strings(row.tags),
    reason: text(row.reason),
    target: String(row.target ?? ''),
    ruleId: row.rule_id === null || row.rule_id === undefined ? null : Number(row.rule_id),
    flows: Number(row.flows ?? 0),
    conflicts: Number(row.conflicts ?? 0),
    state: row.state as LabelBatch['state'],
  };
}

export function toClaims(value: unknown): FlowLabel['claims'] {
  if (!Array.isArray(value)) return [];
  return value.map((claim: Row) => ({
    label: String(claim.label),
    source: claim.source as LabelSource,
    batchId: Number(claim.batch_id),
  }));
}

export function toFlowLabel(row: Row): FlowLabel {
  return {
    flowId: Number(row.flow_id),
    label: String(row.label),
    tags: strings(row.tags),
    source: row.source as LabelSource,
    labeledAt: isoTime(row.labeled_at),
    conflict: Boolean(row.conflict),
    claims: toClaims(row.claims),
  };
}

export function toLabelRule(row: Row): LabelRule {
  const from = text(row.time_from);
  const to = text(row.time_to);
  return {
    ruleId: Number(row.rule_id),
    name: String(row.name),
    label: String(row.label),
    tags: strings(row.tags),
    expression: String(row.expression ?? ''),
    timeRange: from && to ? { from: isoTime(from), to: isoTime(to) } : null,
    hosts: strings(row.hosts),
    reason: text(row.reason),
    createdAt: isoTime(row.created_at),
    lastAppliedAt: row.last_applied_at ? isoTime(row.last_applied_at) : null,
  };
}
