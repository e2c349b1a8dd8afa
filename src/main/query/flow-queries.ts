/** flows.page, flows.count and flows.columns over the filtered flows table. */
import { FLOW_COLUMN_NAMES, FLOW_COLUMNS } from '../../shared/flow-schema';
import type { FlowColumn } from '../../shared/flow-schema';
import type { FlowFilter, FlowPage, FlowPageRequest } from '../../shared/query-types';
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { CaseStore } from '../store/case-store';
import type { DuckDBValue } from '@duckdb/node-api';
import { DERIVED_COLUMN_NAMES, DERIVED_COLUMNS, isDerivedColumn } from '../../shared/derived-columns';
import { compileFlowFilter, derivedContext } from './compile-flow-filter';
import { derivedJoins } from './derived-sql';
import type { DerivedContext } from './derived-sql';
import { cachedCount, cursorAt, flowsStamp, queryKey, rememberCursor } from './page-cursors';
import type { PageCursor } from './page-cursors';
import { INDEX_MIN_OFFSET, indexedRows } from './order-index';
import { integerField, orderByTerms, requestObject } from './request-checks';
import { flowColumn, flowSelectList, SqlParameters } from './sql-parameters';

/** Pages up to this many rows fetch them by point look-ups (see fetchRows). */
const MAX_POINT_LOOKUPS = 200;

/** Most rows in one page. */
export const MAX_PAGE_ROWS = 10_000;

/** Every flow column with its type and description. */
export function flowColumns(): FlowColumn[] {
  return FLOW_COLUMNS.map((column) => ({ ...column }));
}

/**
 * One page of the filtered, sorted flows. Sorting is by the requested keys and then flow_id,
 * so pages are stable; `total` is the count of the filter (remembered per filter while the
 * flows do not change, see page-cursors.ts).
 *
 * Late materialisation, in two statements: the top-N runs over (sort key, flow_id) with only
 * the filter and sort columns read, then the page's rows are fetched by flow_id point look-ups
 * (fetchRows), so the ~120 columns are never read for rows outside the page. A block that
 * continues the previous one (the Infinite Row
 * Model scrolling) seeks past the previous block's last (sort value, flow_id) instead of
 * skipping `offset` rows; random jumps use OFFSET, or past INDEX_MIN_OFFSET an ordered index
 * of the (filter, sort) built once (order-index.ts).
 */
export async function flowsPage(store: CaseStore, input: FlowPageRequest): Promise<FlowPage> {
  const request = requestObject<FlowPageRequest>(input, 'flows.page');
  const offset = integerField(request.offset, 'offset', {
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    fallback: 0,
  });
  const limit = integerField(request.limit, 'limit', { min: 0, max: MAX_PAGE_ROWS, fallback: 100 });
  const columns = pageColumns(request.columns);
  const { where, params } = compileFlowFilter(request.filter);
  const context = derivedContext(request.filter);
  const order = orderByTerms(request.sort, gridColumnSql);
  const sortColumns = (request.sort ?? []).map((key) => gridColumn(key.column));
  if (!sortColumns.some((column) => column.name === 'flow_id')) order.push('"flow_id" ASC');
  const orderBy = order.join(', ');
  // Labels and predictions change without the flows changing: never remembered.
  const cacheable =
    !sortColumns.some((column) => isDerivedColumn(column.name)) && !filterUsesDerived(request.filter);
  const stamp = cacheable ? await flowsStamp(store) : undefined;
  const whereValues = { ...params.values };
  const total =
    stamp === undefined
      ? countRows(store, where, whereValues)
      : cachedCount(store, queryKey(stamp, where, whereValues), () => countRows(store, where, whereValues));
  // Keyset continuation: one sort key (or none) besides flow_id.
  const seekKey =
    sortColumns.length === 0 || (sortColumns.length === 1 && sortColumns[0]!.name !== 'flow_id')
      ? sortColumns[0]
      : undefined;
  const orderKey =
    stamp === undefined || (sortColumns.length && !seekKey)
      ? undefined
      : queryKey(stamp, `${where}\n${orderBy}`, whereValues);
  const cursor = orderKey !== undefined && offset > 0 ? cursorAt(store, orderKey, offset) : undefined;
  const seek = cursor
    ? seekCondition(seekKey, request.sort?.[0]?.direction ?? 'asc', cursor, params)
    : undefined;
  const sortValue = seekKey ? sortValueSql(seekKey) : 'NULL';
  const joins = derivedJoins(
    sortColumns.map((column) => column.name),
    context,
    params,
  );
  // A jump deep into a (filter, sort) that may be remembered (no labels or predictions): its
  // rows by position in the ordered index built at the first such jump (order-index.ts).
  const jump = !cursor && stamp !== undefined && offset >= INDEX_MIN_OFFSET;
  const indexed = jump
    ? await indexedRows(
        store,
        queryKey(stamp, `flows order index\n${where}\n${orderBy}`, whereValues),
        { family: 'flows', stamp },
        `SELECT flows.flow_id AS flow_id, ${sortValue} AS sort_value FROM flows ${joins} WHERE ${where} ORDER BY ${orderBy}`,
        whereValues,
        offset,
        limit,
      )
    : undefined;
  const keys =
    indexed ??
    (await store.rows(
      `SELECT flows.flow_id AS flow_id, ${sortValue} AS sort_value FROM flows ${joins}
        WHERE ${where}${seek ? ` AND ${seek}` : ''}
        ORDER BY ${orderBy} LIMIT ${params.add(limit)} OFFSET ${params.add(cursor ? 0 : offset)}`,
      params.values,
    ));
  const last = keys[keys.length - 1];
  if (orderKey !== undefined && last)
    rememberCursor(store, orderKey, offset + keys.length, {
      value: last.sort_value,
      flowId: last.flow_id as number,
    });
  const flowIds = keys.map((key) => key.flow_id as number);
  const direction = request.sort?.[0]?.direction === 'desc' ? 'desc' : 'asc';
  const ranged =
    seekKey && !isDerivedColumn(seekKey.name) && seekKey.type !== 'VARCHAR' && keys.length > 1
      ? await fetchRangeRows(store, request.filter, seekKey, direction, keys, columns, context)
      : undefined;
  const rows = ranged ?? (await fetchRows(store, flowIds, columns, context));
  return { rows, total: await total };
}

/**
 * The page's rows by one filtered scan bounded by the page's first and last (sort value,
 * flow_id) instead of point look-ups: rows sorted by a value lie all over the table, and each
 * look-up decodes its columns' segments (100 of them: ~0.3 s of CPU over 4 M flows), while the
 * bounds are pushed into the scan (zone maps skip most row groups; the filter's other columns
 * are read only where the sort value is in range). Undefined (use point look-ups) when a bound
 * is NULL or the scan does not give back exactly the page.
 */
async function fetchRangeRows(
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
async function fetchRows(
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

async function countRows(store: CaseStore, where: string, values: SqlParameters['values']): Promise<number> {
  const rows = await store.rows(`SELECT count(*) AS count FROM flows WHERE ${where}`, values);
  return Number(rows[0]!.count);
}

/** The sort key's exact value for a cursor (timestamps as epoch microseconds). */
function sortValueSql(column: FlowColumn): string {
  return column.type === 'TIMESTAMP' ? `epoch_us("${column.name}")` : `"${column.name}"`;
}

/**
 * Rows after `cursor` in the order `column direction NULLS LAST, flow_id ASC` (no key: flow_id
 * only). NULLs come last: after a NULL only NULLs with larger ids; after a value, the NULLs too.
 */
function seekCondition(
  column: FlowColumn | undefined,
  direction: 'asc' | 'desc',
  cursor: PageCursor,
  params: SqlParameters,
): string {
  const id = params.add(cursor.flowId);
  if (!column) return `("flow_id" > ${id})`;
  const name = `"${column.name}"`;
  if (cursor.value === null || cursor.value === undefined) return `(${name} IS NULL AND "flow_id" > ${id})`;
  const raw = params.add(cursor.value as DuckDBValue);
  const value = column.type === 'TIMESTAMP' ? `make_timestamp(CAST(${raw} AS BIGINT))` : raw;
  const beyond = direction === 'asc' ? '>' : '<';
  return `(${name} ${beyond} ${value} OR (${name} = ${value} AND "flow_id" > ${id}) OR ${name} IS NULL)`;
}

/** Whether the filter names a derived column (in the expression or a column filter). */
function filterUsesDerived(filter: FlowFilter | undefined): boolean {
  if (!filter) return false;
  if (filter.columns && Object.keys(filter.columns).some(isDerivedColumn)) return true;
  const expression = typeof filter.expression === 'string' ? filter.expression.toLowerCase() : '';
  return DERIVED_COLUMN_NAMES.some((name) => expression.includes(name));
}

/** A flow column or a derived one (label, predictions), validated. */
function gridColumn(name: unknown): FlowColumn {
  const derived =
    typeof name === 'string' ? DERIVED_COLUMNS.find((column) => column.name === name) : undefined;
  return derived ?? flowColumn(name);
}

function gridColumnSql(name: unknown): string {
  return `"${gridColumn(name).name}"`;
}

/** Flows matching the filter. */
export async function flowsCount(
  store: CaseStore,
  input: { filter: FlowFilter },
): Promise<{ count: number }> {
  const request = requestObject<{ filter?: FlowFilter }>(input, 'flows.count');
  const { where, params } = compileFlowFilter(request.filter);
  if (filterUsesDerived(request.filter)) return { count: await countRows(store, where, params.values) };
  const key = queryKey(await flowsStamp(store), where, params.values);
  return { count: await cachedCount(store, key, () => countRows(store, where, params.values)) };
}

/** Requested columns, validated, without duplicates; flow_id always included (the grid's row id). */
function pageColumns(requested: unknown): string[] {
  if (requested === undefined || requested === null) return [...FLOW_COLUMN_NAMES];
  if (!Array.isArray(requested) || requested.length > FLOW_COLUMN_NAMES.length * 2) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected columns to be a list of flow column names, found ${JSON.stringify(requested)?.slice(0, 80)}`,
    );
  }
  const names = new Set<string>(['flow_id']);
  for (const name of requested) names.add(gridColumn(name).name);
  return [...names];
}
