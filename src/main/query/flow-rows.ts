/**
 * The rows of a flows page once its keys (flow_id, sort value, rowid) are known, with only the
 * requested columns read, by the cheapest way that gives exactly the page (see each function).
 * Reading a row costs ~2 ms of CPU with all 123 columns (each column's vector holding it is
 * decoded), ~0.2 ms with the grid's 15 visible ones: the work follows rows x columns, and every
 * way here reads each needed vector once.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { FlowColumn } from '../../shared/flow-schema';
import type { FlowFilter } from '../../shared/query-types';
import { isDerivedColumn } from '../../shared/derived-columns';
import type { CaseStore } from '../store/case-store';
import { compileFlowFilter } from './compile-flow-filter';
import { derivedJoins } from './derived-sql';
import type { DerivedContext } from './derived-sql';
import { flowSelectList, SqlParameters } from './sql-parameters';

/** Pages up to this many rows fetch them by point look-ups (see fetchRows). */
const MAX_POINT_LOOKUPS = 200;

/**
 * The rows at these rowids of flows, in the order of `keys`, when each still holds its flow_id
 * (undefined otherwise: a checkpoint may compact the table after a removal). A rowid range
 * with the ids in it is pushed into the scan; it reads only the vectors holding the rows, like
 * fetchRangeRows, and serves any sort (text, derived, NULL bounds), where point look-ups by
 * flow_id cost a scan of a row group each (~14 ms of CPU per row with all columns).
 */
export async function fetchRowsByRowId(
  store: CaseStore,
  keys: Record<string, unknown>[],
  columns: string[],
  context: DerivedContext,
): Promise<Record<string, unknown>[] | undefined> {
  const rowIds = keys.map((key) => Number(key.row_id));
  if (!keys.length || !rowIds.every((id) => Number.isSafeInteger(id))) return undefined;
  const params = new SqlParameters();
  const { select, joins } = rowSelection(columns, context, params);
  // Integers DuckDB gave back (checked above), as literals.
  const rows = await store.rows(
    `SELECT ${select} FROM flows ${joins}
      WHERE flows.rowid BETWEEN ${Math.min(...rowIds)} AND ${Math.max(...rowIds)}
        AND flows.rowid IN (${rowIds.join(', ')})`,
    params.values,
  );
  const byId = new Map(rows.map((row) => [row.flow_id, row]));
  const flowIds = keys.map((key) => key.flow_id);
  if (rows.length !== keys.length || flowIds.some((id) => !byId.has(id))) return undefined;
  return flowIds.map((id) => byId.get(id)!);
}

/**
 * The page's rows by one filtered scan bounded by the page's first and last (sort value,
 * flow_id) instead of point look-ups: rows sorted by a value lie all over the table, and each
 * look-up decodes its columns' segments (100 of them: ~0.3 s of CPU over 4 M flows), while the
 * bounds are pushed into the scan (zone maps skip most row groups; the filter's other columns
 * are read only where the sort value is in range). Undefined (use point look-ups) when a bound
 * is NULL or the scan does not give back exactly the page.
 */
export async function fetchRangeRows(
  store: CaseStore,
  filter: FlowFilter | undefined,
  column: FlowColumn,
  direction: 'asc' | 'desc',
  keys: Record<string, unknown>[],
  columns: string[],
  context: DerivedContext,
): Promise<Record<string, unknown>[] | undefined> {
  const first = keys[0]!;
  const last = keys[keys.length - 1]!;
  if (first.sort_value === null || last.sort_value === null) return undefined;
  const { where, params } = compileFlowFilter(filter);
  const name = `"${column.name}"`;
  const value = (raw: unknown): string => {
    const placeholder = params.add(raw as DuckDBValue);
    return column.type === 'TIMESTAMP' ? `make_timestamp(CAST(${placeholder} AS BIGINT))` : placeholder;
  };
  const [firstValue, lastValue, firstId, lastId] = [
    value(first.sort_value),
    value(last.sort_value),
    params.add(first.flow_id as number),
    params.add(last.flow_id as number),
  ];
  const [low, high] = direction === 'asc' ? [firstValue, lastValue] : [lastValue, firstValue];
  const after = direction === 'asc' ? '>' : '<';
  const before = direction === 'asc' ? '<' : '>';
  const flowIds = keys.map((key) => key.flow_id as number);
  const { select, joins } = rowSelection(columns, context, params);
  const rows = await store.rows(
    `SELECT ${select} FROM flows ${joins}
      WHERE ${where} AND flows.${name} BETWEEN ${low} AND ${high}
        AND flows.flow_id BETWEEN ${params.add(Math.min(...flowIds))} AND ${params.add(Math.max(...flowIds))}
        AND (flows.${name} ${after} ${firstValue} OR (flows.${name} = ${firstValue} AND flows.flow_id >= ${firstId}))
        AND (flows.${name} ${before} ${lastValue} OR (flows.${name} = ${lastValue} AND flows.flow_id <= ${lastId}))
      LIMIT ${params.add(keys.length + 1)}`,
    params.values,
  );
  const byId = new Map(rows.map((row) => [row.flow_id, row]));
  if (rows.length !== keys.length || flowIds.some((id) => !byId.has(id))) return undefined;
  return flowIds.map((id) => byId.get(id)!);
}

/**
 * The SELECT list and joins that give `columns` of the flows: flow columns (flow_id qualified:
 * the joined relations are renamed, but say which table is meant) and derived columns.
 */
function rowSelection(
  columns: string[],
  context: DerivedContext,
  params: SqlParameters,
): { select: string; joins: string } {
  const flowNames = columns.filter((name) => !isDerivedColumn(name));
  const derivedNames = columns.filter(isDerivedColumn);
  const select = [
    ...flowNames.map((name) => (name === 'flow_id' ? 'flows.flow_id AS "flow_id"' : flowSelectList([name]))),
    ...derivedNames.map((name) => `"${name}"`),
  ].join(', ');
  return { select, joins: derivedJoins(derivedNames, context, params) };
}

/** The flows with these ids (each once), in the order of `flowIds`. */
export async function fetchRows(
  store: CaseStore,
  flowIds: number[],
  columns: string[],
  context: DerivedContext,
): Promise<Record<string, unknown>[]> {
  if (!flowIds.length) return [];
  const params = new SqlParameters();
  const { select, joins } = rowSelection(columns, context, params);
  // Ids close together (a page in first_seen or flow_id order) are one range; a range of one
  // id is an equality. Either is pushed into the scan, whose zone maps skip the row groups
  // outside it, one UNION ALL branch per range. A bare `IN (...)` list is not pushed down: it
  // becomes a join over the whole table (4 M flows: ~40 % more CPU than 100 equalities).
  const conditions = idRanges(flowIds).map(([low, high, ids]) =>
    low === high
      ? `flows.flow_id = ${params.add(low)}`
      : `flows.flow_id BETWEEN ${params.add(low)} AND ${params.add(high)} AND flows.flow_id IN (${ids.map((id) => params.add(id)).join(', ')})`,
  );
  const sql =
    conditions.length <= MAX_POINT_LOOKUPS
      ? conditions
          .map((condition) => `SELECT ${select} FROM flows ${joins} WHERE ${condition}`)
          .join('\nUNION ALL ')
      : `SELECT ${select} FROM flows ${joins} WHERE flows.flow_id IN (${flowIds.map((id) => params.add(id)).join(', ')})`;
  const rows = await store.rows(sql, params.values);
  const byId = new Map(rows.map((row) => [row.flow_id, row]));
  return flowIds.map((id) => byId.get(id)).filter((row): row is Record<string, unknown> => row !== undefined);
}

/** Ids closer than this to the previous one (sorted) join its range. */
const RANGE_GAP = 65_536;

/** Sorted ids grouped into [low, high, ids] ranges of ids less than RANGE_GAP apart. */
export function idRanges(flowIds: readonly number[]): [number, number, number[]][] {
  const sorted = [...new Set(flowIds)].sort((a, b) => a - b);
  const ranges: [number, number, number[]][] = [];
  for (const id of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && id - last[1] < RANGE_GAP) {
      last[1] = id;
      last[2].push(id);
    } else ranges.push([id, id, [id]]);
  }
  return ranges;
}
