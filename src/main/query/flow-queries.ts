/** flows.page, flows.count and flows.columns over the filtered flows table. */
import { FLOW_COLUMN_NAMES, FLOW_COLUMNS } from '../../shared/flow-schema';
import type { FlowColumn } from '../../shared/flow-schema';
import type { FlowFilter, FlowPage, FlowPageRequest } from '../../shared/query-types';
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { CaseStore } from '../store/case-store';
import { compileFlowFilter } from './compile-flow-filter';
import { integerField, orderByTerms, requestObject } from './request-checks';
import { columnSql, flowColumn, flowSelectList } from './sql-parameters';

/** Most rows in one page. */
export const MAX_PAGE_ROWS = 10_000;

/** Every flow column with its type and description. */
export function flowColumns(): FlowColumn[] {
  return FLOW_COLUMNS.map((column) => ({ ...column }));
}

/**
 * One page of the filtered, sorted flows. Sorting is by the requested keys and then flow_id,
 * so pages are stable; `total` is the count of the filter (one cheap aggregate in DuckDB).
 *
 * Two phases in one statement: the top-N runs over row ids with only the filter and sort
 * columns, then only the page's rows are read in full (reading ~120 columns for every row
 * before the top-N is what makes a naive `SELECT * ... ORDER BY ... LIMIT` slow).
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
  const order = orderByTerms(request.sort, columnSql);
  if (!request.sort?.some((key) => key.column === 'flow_id')) order.push('"flow_id" ASC');
  const countParams = { ...params.values };
  const orderBy = order.join(', ');
  const sql = `SELECT ${flowSelectList(columns)} FROM flows
    WHERE rowid IN (SELECT rowid FROM flows WHERE ${where} ORDER BY ${orderBy} LIMIT ${params.add(limit)} OFFSET ${params.add(offset)})
    ORDER BY ${orderBy}`;
  const rows = await store.rows(sql, params.values);
  const countRows = await store.rows(`SELECT count(*) AS count FROM flows WHERE ${where}`, countParams);
  return { rows, total: Number(countRows[0]!.count) };
}

/** Flows matching the filter. */
export async function flowsCount(
  store: CaseStore,
  input: { filter: FlowFilter },
): Promise<{ count: number }> {
  const request = requestObject<{ filter?: FlowFilter }>(input, 'flows.count');
  const { where, params } = compileFlowFilter(request.filter);
  const rows = await store.rows(`SELECT count(*) AS count FROM flows WHERE ${where}`, params.values);
  return { count: Number(rows[0]!.count) };
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
  for (const name of requested) names.add(flowColumn(name).name);
  return [...names];
}
