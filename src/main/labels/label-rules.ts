/**
 * Saved labeling rules: a filter expression plus an optional time window and host list. A rule
 * can be applied again at any time, e.g. to a capture ingested after it was written.
 */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { FlowFilter } from '../../shared/query-types';
import type { LabelApplyResult, LabelRule, LabelRuleInput } from '../../shared/label-types';
import { validateFilterExpression } from '../../shared/filter/filter-parser';
import type { CaseStore } from '../store/case-store';
import { compileFlowFilter } from '../query/compile-flow-filter';
import { integerField, requestObject, stringField } from '../query/request-checks';
import { applyLabels } from './apply-labels';
import { className, reasonText, tagList } from './label-checks';
import { LabelDb } from './label-db';
import { toLabelRule } from './label-rows';

export async function listRules(store: CaseStore): Promise<LabelRule[]> {
  return (await store.rows('SELECT * FROM label_rules ORDER BY rule_id')).map(toLabelRule);
}

/** Saves a rule; a rule of the same name is replaced (keeping its id). */
export async function saveRule(store: CaseStore, input: LabelRuleInput): Promise<LabelRule> {
  const request = requestObject<LabelRuleInput>(input, 'labels.saveRule');
  const name = stringField(
    typeof request.name === 'string' ? request.name.trim() : request.name,
    'name',
    100,
  );
  const label = className(request.label);
  const tags = tagList(request.tags);
  const expression = request.expression ?? '';
  if (typeof expression !== 'string') throw invalid('expression', 'a filter expression', expression);
  const check = validateFilterExpression(expression);
  if (!check.ok) throw new FlowlabError(ErrorCode.invalidArgument, `Rule ${name}: ${check.error}`);
  const filter = ruleFilter({ expression, timeRange: request.timeRange ?? null, hosts: request.hosts ?? [] });
  compileFlowFilter(filter); // validates the time window and host list
  const reason = reasonText(request.reason);
  const db = await LabelDb.for(store);
  const ruleId = await db.transaction(async () => {
    const existing = await db.rows('SELECT rule_id FROM label_rules WHERE name = $name', { name });
    const id = existing.length
      ? Number(existing[0]!.rule_id)
      : Number((await db.rows('SELECT coalesce(max(rule_id), 0) + 1 AS id FROM label_rules'))[0]!.id);
    await db.run('DELETE FROM label_rules WHERE rule_id = $id', { id });
    await db.run(
      `INSERT INTO label_rules (rule_id, name, label, tags, expression, time_from, time_to, hosts, reason, created_at)
       VALUES ($id, $name, $label, from_json($tags, '["VARCHAR"]'), $expression, CAST($from AS TIMESTAMP),
         CAST($to AS TIMESTAMP), from_json($hosts, '["VARCHAR"]'), $reason, CAST($now AS TIMESTAMP))`,
      {
        id,
        name,
        label,
        tags: JSON.stringify(tags),
        expression,
        from: filter.timeRange?.from ?? null,
        to: filter.timeRange?.to ?? null,
        hosts: JSON.stringify(filter.hosts ?? []),
        reason,
        now: new Date().toISOString(),
      },
    );
    return id;
  });
  return (await getRule(store, ruleId))!;
}

export async function deleteRule(store: CaseStore, input: { ruleId: number }): Promise<void> {
  const request = requestObject<{ ruleId?: unknown }>(input, 'labels.deleteRule');
  const ruleId = integerField(request.ruleId, 'ruleId', { min: 1, max: 2 ** 31 - 1 });
  const db = await LabelDb.for(store);
  await db.exclusive(() => db.run('DELETE FROM label_rules WHERE rule_id = $ruleId', { ruleId }));
}

/** Applies a saved rule as one act of source `rule` (to `captureIds` only, when given). */
export async function applyRule(
  store: CaseStore,
  input: { ruleId: number; captureIds?: number[] },
): Promise<LabelApplyResult> {
  const request = requestObject<{ ruleId?: unknown; captureIds?: unknown }>(input, 'labels.applyRule');
  const ruleId = integerField(request.ruleId, 'ruleId', { min: 1, max: 2 ** 31 - 1 });
  const rule = await getRule(store, ruleId);
  if (!rule) throw new FlowlabError(ErrorCode.invalidArgument, `Expected a saved rule id, found ${ruleId}`);
  const filter = ruleFilter(rule);
  if (request.captureIds !== undefined && request.captureIds !== null)
    filter.captureIds = request.captureIds as number[];
  const result = await applyLabels(
    store,
    {
      target: { filter },
      label: rule.label,
      tags: rule.tags,
      source: 'rule',
      reason: rule.reason ?? `rule ${rule.name}`,
    },
    { ruleId },
  );
  const db = await LabelDb.for(store);
  await db.exclusive(() =>
    db.run('UPDATE label_rules SET last_applied_at = CAST($now AS TIMESTAMP) WHERE rule_id = $ruleId', {
      now: new Date().toISOString(),
      ruleId,
    }),
  );
  return result;
}

async function getRule(store: CaseStore, ruleId: number): Promise<LabelRule | undefined> {
  const rows = await store.rows('SELECT * FROM label_rules WHERE rule_id = $ruleId', { ruleId });
  return rows.length ? toLabelRule(rows[0]!) : undefined;
}

/** The flow filter of a rule: its expression, time window and hosts. */
export function ruleFilter(rule: Pick<LabelRule, 'expression' | 'timeRange' | 'hosts'>): FlowFilter {
  const filter: FlowFilter = {};
  if (rule.expression.trim()) filter.expression = rule.expression;
  if (rule.timeRange) filter.timeRange = rule.timeRange;
  if (rule.hosts.length) filter.hosts = rule.hosts;
  return filter;
}

function invalid(what: string, expected: string, found: unknown): FlowlabError {
  return new FlowlabError(
    ErrorCode.invalidArgument,
    `Expected ${what} to be ${expected}, found ${JSON.stringify(found)?.slice(0, 60)}`,
  );
}
