/**
 * `flowlab label`: label flows of a case from the command line (the same functions as the UI).
 *
 *   flowlab label <case> --class C (--where SQL | --filter EXPR | --capture ID) [--tags a,b]
 *                 [--source S] [--reason TEXT] [--json]
 *   flowlab label <case> --import file.csv [--import-format five-tuple|ip|cicids2017]
 *                 [--utc-offset MINUTES] [--tolerance SECONDS] [--reason TEXT] [--json]
 *   flowlab label <case> --clear (--where SQL | --filter EXPR | --capture ID)
 *   flowlab label <case> --undo | --redo | --summary | --rules | --history FLOW_ID
 *   flowlab label <case> --save-rule NAME --class C [--filter EXPR] [--from ISO --to ISO] [--hosts a,b]
 *   flowlab label <case> --apply-rule NAME|ID [--capture ID]
 */
import type { LabelImportFormat, LabelSource } from '../../shared/label-types';
import { applyLabels, clearLabels, redoLabels, undoLabels } from '../labels/apply-labels';
import { importLabels } from '../labels/import-labels';
import { labelHistory, labelSummary } from '../labels/label-queries';
import { applyRule, listRules, saveRule } from '../labels/label-rules';
import type { InternalLabelTarget } from '../labels/label-target';
import { FlowlabService } from '../service/flowlab-service';
import { numberOption, UsageError } from './usage-error';
import type { ParsedArgs } from './usage-error';

export const LABEL_OPTIONS = {
  class: 'string',
  where: 'string',
  filter: 'string',
  capture: 'string',
  import: 'string',
  'import-format': 'string',
  'utc-offset': 'string',
  tolerance: 'string',
  tags: 'string',
  source: 'string',
  reason: 'string',
  clear: 'boolean',
  undo: 'boolean',
  redo: 'boolean',
  summary: 'boolean',
  rules: 'boolean',
  history: 'string',
  'save-rule': 'string',
  'apply-rule': 'string',
  from: 'string',
  to: 'string',
  hosts: 'string',
  json: 'boolean',
} as const;

const text = (args: ParsedArgs, name: string): string | undefined =>
  typeof args.values[name] === 'string' ? (args.values[name] as string) : undefined;
const list = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);

function target(args: ParsedArgs): InternalLabelTarget {
  const result: InternalLabelTarget = {};
  const where = text(args, 'where');
  const filter = text(args, 'filter');
  const capture = numberOption(args, 'capture');
  if (where !== undefined) result.sqlWhere = where;
  if (filter !== undefined) result.filter = { expression: filter };
  if (capture !== undefined) result.captureId = capture;
  if (!Object.keys(result).length)
    throw new UsageError('expected --where SQL, --filter EXPR or --capture ID');
  return result;
}

export async function runLabel(args: ParsedArgs): Promise<number> {
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one case file');
  const service = await FlowlabService.open(args.positionals[0]!);
  try {
    const result = await dispatch(service, args);
    if (args.values.json === true) process.stdout.write(JSON.stringify(result) + '\n');
    else process.stdout.write(describe(result) + '\n');
  } finally {
    await service.close();
  }
  return 0;
}

async function dispatch(service: FlowlabService, args: ParsedArgs): Promise<unknown> {
  const store = service.store;
  const reason = text(args, 'reason');
  const source = text(args, 'source') as LabelSource | undefined;
  if (args.values.undo === true) return { undone: await undoLabels(store) };
  if (args.values.redo === true) return { redone: await redoLabels(store) };
  if (args.values.summary === true) return labelSummary(store, {});
  if (args.values.rules === true) return listRules(store);
  const history = numberOption(args, 'history');
  if (history !== undefined) return labelHistory(store, { flowId: history });
  if (args.values.clear === true)
    return clearLabels(store, { target: target(args), reason }, { allowSql: true });
  const saveName = text(args, 'save-rule');
  if (saveName !== undefined) {
    const from = text(args, 'from');
    const to = text(args, 'to');
    if ((from === undefined) !== (to === undefined)) throw new UsageError('--from and --to go together');
    return saveRule(store, {
      name: saveName,
      label: requiredClass(args),
      tags: list(text(args, 'tags')),
      expression: text(args, 'filter') ?? '',
      timeRange: from && to ? { from, to } : null,
      hosts: list(text(args, 'hosts')),
      reason,
    });
  }
  const ruleRef = text(args, 'apply-rule');
  if (ruleRef !== undefined) {
    const rules = await listRules(store);
    const rule = rules.find((item) => item.name === ruleRef || String(item.ruleId) === ruleRef);
    if (!rule) throw new UsageError(`no saved rule ${JSON.stringify(ruleRef)}`);
    const capture = numberOption(args, 'capture');
    return applyRule(store, {
      ruleId: rule.ruleId,
      ...(capture !== undefined ? { captureIds: [capture] } : {}),
    });
  }
  const importPath = text(args, 'import');
  if (importPath !== undefined) {
    const format = (text(args, 'import-format') ?? 'five-tuple') as LabelImportFormat;
    const offset = numberOption(args, 'utc-offset', -900);
    const tolerance = numberOption(args, 'tolerance');
    return importLabels(store, {
      format,
      path: importPath,
      source: source ?? 'import',
      reason,
      ...(offset !== undefined ? { utcOffsetMinutes: offset } : {}),
      ...(tolerance !== undefined ? { toleranceSeconds: tolerance } : {}),
    });
  }
  const labelTarget = target(args);
  const defaultSource: LabelSource =
    labelTarget.captureId !== undefined && !labelTarget.sqlWhere && !labelTarget.filter
      ? 'capture'
      : 'manual';
  return applyLabels(
    store,
    {
      target: labelTarget,
      label: requiredClass(args),
      tags: list(text(args, 'tags')),
      source: source ?? defaultSource,
      reason,
    },
    { allowSql: true },
  );
}

function requiredClass(args: ParsedArgs): string {
  const label = text(args, 'class');
  if (label === undefined) throw new UsageError('expected --class C');
  return label;
}

/** One line for a person; --json gives the whole object. */
function describe(result: unknown): string {
  if (Array.isArray(result)) return result.map((item) => JSON.stringify(item)).join('\n') || '(none)';
  const value = result as Record<string, unknown>;
  if ('batchId' in value && 'flows' in value) {
    const extra =
      'rows' in value
        ? `; ${value.matchedRows} of ${value.rows} rows matched, ${value.skippedRows} skipped`
        : '';
    return `act ${value.batchId}: ${value.flows} flows labeled, ${value.conflicts} in conflict${extra}`;
  }
  if ('labeledFlows' in value) {
    const summary = value as {
      totalFlows: number;
      labeledFlows: number;
      conflicts: number;
      classes: { label: string; flows: number }[];
    };
    return [
      `${summary.labeledFlows} of ${summary.totalFlows} flows labeled, ${summary.conflicts} in conflict`,
      ...summary.classes.map((item) => `  ${item.label}\t${item.flows}`),
    ].join('\n');
  }
  return JSON.stringify(result);
}
