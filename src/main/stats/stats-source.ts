/**
 * The rows a statistic runs over: flows matching a FlowFilter, or the packets of those flows.
 * Column names are validated against the schema and only ever enter SQL double-quoted; values
 * come from the compiled (parameterised) filter.
 */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import { FLOW_COLUMNS } from '../../shared/flow-schema';
import type { StatsScope, StatsSource } from '../../shared/stats-types';
import { compileFlowFilter } from '../query/compile-flow-filter';
import { SqlParameters } from '../query/sql-parameters';
import type { CaseStore } from '../store/case-store';
import { PACKET_COLUMNS } from '../store/schema';

const FLOW_NUMERIC = FLOW_COLUMNS.filter((column) => ['BIGINT', 'INTEGER', 'DOUBLE'].includes(column.type)).map((column) => column.name);
const PACKET_NUMERIC = PACKET_COLUMNS.filter(([, type]) => type !== 'TIMESTAMP_NS').map(([name]) => name as string);

/** Numeric columns a statistic can use, per source. */
export function numericColumns(source: StatsSource): readonly string[] {
  return source === 'packets' ? PACKET_NUMERIC : FLOW_NUMERIC;
}

export function sourceOf(value: unknown): StatsSource {
  if (value === undefined || value === null || value === 'flows') return 'flows';
  if (value === 'packets') return 'packets';
  throw invalid('source', "'flows' or 'packets'", value);
}

/** A validated numeric column of `source`. */
export function numericColumn(source: StatsSource, name: unknown): string {
  if (typeof name !== 'string' || !numericColumns(source).includes(name))
    throw invalid('column', `a numeric ${source} column`, name);
  return name;
}

export interface SourceQuery {
  /** A SELECT yielding `flow_id` (packets: also `packet_number`), `v0..vN` (DOUBLE) and `g` when grouped. */
  sql: string;
  params: SqlParameters;
}

/** How rows are grouped: by a flow column, or by the flow's current label (issue #4's labels). */
export type GroupBy = { column: string } | { label: true };

/**
 * The rows of `scope` with `columns` as DOUBLE `v0`, `v1`, ... and, when grouped, the group's
 * value as VARCHAR `g` (NULL for unlabeled flows when grouping by label).
 */
export function sourceQuery(scope: StatsScope, columns: readonly string[], group?: GroupBy, params = new SqlParameters()): SourceQuery {
  const source = sourceOf(scope.source);
  const compiled = compileFlowFilter(scope.filter, params);
  const values = columns.map((column, index) => `CAST("${numericColumn(source, column)}" AS DOUBLE) AS v${index}`).join(', ');
  const groupValue = group && 'column' in group ? `, CAST("${group.column}" AS VARCHAR) AS g` : '';
  let sql: string;
  if (source === 'flows') sql = `SELECT flow_id, ${values}${groupValue} FROM flows WHERE ${compiled.where}`;
  else if (groupValue) {
    sql = `SELECT p.flow_id, p.packet_number, ${columns.map((column, index) => `CAST(p."${column}" AS DOUBLE) AS v${index}`).join(', ')}, f.g
           FROM packets p JOIN (SELECT flow_id${groupValue} FROM flows WHERE ${compiled.where}) f ON f.flow_id = p.flow_id`;
  } else {
    const where = compiled.where === 'TRUE' ? 'TRUE' : `flow_id IN (SELECT flow_id FROM flows WHERE ${compiled.where})`;
    sql = `SELECT flow_id, packet_number, ${values} FROM packets WHERE ${where}`;
  }
  if (group && 'label' in group) {
    sql = `SELECT s.*, CAST(l.label AS VARCHAR) AS g FROM (${sql}) s LEFT JOIN flow_labels_current l ON l.flow_id = s.flow_id`;
  }
  return { sql, params };
}

/**
 * A group-by: `label` (the flows' current labels, when the case has them) or any column the
 * flows table has, checked against the live schema (then double-quoted).
 */
export async function groupBy(store: CaseStore, name: unknown): Promise<GroupBy> {
  if (name === 'label') {
    const views = await store.rows("SELECT 1 FROM information_schema.tables WHERE table_name = 'flow_labels_current'");
    if (views.length) return { label: true };
  }
  const rows = await store.rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'flows'");
  const names = rows.map((row) => String(row.column_name));
  if (typeof name !== 'string' || !names.includes(name)) throw invalid('by', "'label' or a column of the flows table", name);
  return { column: name };
}

/** The parameters `sql` uses (DuckDB refuses to bind names a statement does not have). */
export function usedParams<T>(sql: string, values: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => new RegExp(`\\$${name}(?![A-Za-z0-9_])`).test(sql)));
}

export function invalid(what: string, expected: string, found: unknown): FlowlabError {
  return new FlowlabError(
    ErrorCode.invalidArgument,
    `Expected ${expected} for ${what}, found ${String(JSON.stringify(found)).slice(0, 120)}`,
  );
}
