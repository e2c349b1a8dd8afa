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
import { cachedCount, cursorAt, flowsStamp, queryKey, rememberCursor } from './page-cursors';
import type { PageCursor } from './page-cursors';
import { INDEX_MIN_OFFSET, indexedRows, prepareOrderIndex } from './order-index';
import type { IndexSource } from './order-index';
import { integerField, orderByTerms, requestObject } from './request-checks';
import { flowColumn } from './sql-parameters';
import type { SqlParameters } from './sql-parameters';
import { fetchRangeRows, fetchRows, fetchRowsByRowId } from './flow-rows';

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
 * Late materialisation, in two statements: the top-N runs over (sort key, flow_id, rowid) with
 * only the filter and sort columns read, then the page's rows are fetched (flow-rows.ts: a scan
 * bounded by the page's sort values, else by its rowids, else flow_id look-ups), so the ~120
 * columns are never read for rows outside the page. A block that continues the previous one
 * (the Infinite Row Model scrolling) seeks past the previous block's last (sort value, flow_id) instead of
 * skipping `offset` rows; random jumps use OFFSET, or past INDEX_MIN_OFFSET an ordered index
 * of the (filter, sort) built once, in the background after its first page (order-index.ts).
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
  // rows by position in the ordered index of the (filter, sort) (order-index.ts), which every
  // other page of it asks for in the background.
  const indexSource: IndexSource | undefined =
    stamp === undefined
      ? undefined
      : {
          key: queryKey(stamp, `flows order index\n${where}\n${orderBy}`, whereValues),
          family: 'flows',
          stamp,
          selectSql: `SELECT flows.flow_id AS flow_id, ${sortValue} AS sort_value FROM flows ${joins} WHERE ${where} ORDER BY ${orderBy}`,
          params: whereValues,
        };
  const jump = !cursor && offset >= INDEX_MIN_OFFSET;
  const indexed = jump && indexSource ? await indexedRows(store, indexSource, offset, limit) : undefined;
  const keys =
    indexed ??
    (await store.rows(
      `SELECT flows.flow_id AS flow_id, ${sortValue} AS sort_value, flows.rowid AS row_id FROM flows ${joins}
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
  const rows =
    ranged ??
    (await fetchRowsByRowId(store, keys, columns, context)) ??
    (await fetchRows(store, flowIds, columns, context));
  const count = await total;
  if (indexSource && !indexed && count > INDEX_MIN_OFFSET) prepareOrderIndex(store, indexSource);
  return { rows, total: count };
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
