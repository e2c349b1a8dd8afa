/**
 * The Infinite Row Model datasource over flowsPage: block [startRow, endRow) of the filtered,
 * sorted flows. Sort and column filters come from the grid; the rest of the shared filter
 * (expression, time range, hosts, captures) from `getFilter`, read at request time.
 */
import type { IDatasource, IGetRowsParams } from 'ag-grid-community';
import type { FlowlabApi } from '../../../shared/api-contract';
import type { FlowColumnType } from '../../../shared/flow-schema';
import type { FlowFilter, FlowPageRequest } from '../../../shared/query-types';
import { normalizeFilter } from '../filter/filter-model';
import { toColumnFilters, toSortKeys } from './grid-models';

export interface FlowsDatasourceOptions {
  api: Pick<FlowlabApi, 'flowsPage'>;
  getFilter: () => FlowFilter;
  /** Columns to fetch (visible ones; flow_id is always added). */
  getColumns: () => readonly string[];
  types: ReadonlyMap<string, FlowColumnType>;
  onError?: (error: unknown) => void;
  onPage?: (request: FlowPageRequest, elapsedMs: number) => void;
  /** Adds per-row data from elsewhere (the labels) before rows reach the grid. */
  decorate?: (rows: Record<string, unknown>[]) => Promise<Record<string, unknown>[]>;
}

/** Builds the flowsPage request for one block. */
export function pageRequest(params: Pick<IGetRowsParams, 'startRow' | 'endRow' | 'sortModel' | 'filterModel'>, options: Omit<FlowsDatasourceOptions, 'api'>): FlowPageRequest {
  const columns = toColumnFilters(params.filterModel, options.types);
  const filter = normalizeFilter({ ...options.getFilter(), columns });
  const wanted = options.getColumns();
  const request: FlowPageRequest = {
    filter,
    offset: params.startRow,
    limit: params.endRow - params.startRow,
    columns: wanted.includes('flow_id') ? [...wanted] : ['flow_id', ...wanted],
  };
  const sort = toSortKeys(params.sortModel);
  if (sort.length) request.sort = sort;
  return request;
}

/** The last row index for the grid: the total when known, else inferred from a short block. */
export function lastRowOf(request: FlowPageRequest, rowCount: number, total: number | undefined): number | undefined {
  if (total !== undefined) return total;
  return rowCount < request.limit ? request.offset + rowCount : undefined;
}

export function createFlowsDatasource(options: FlowsDatasourceOptions): IDatasource {
  return {
    getRows(params) {
      const request = pageRequest(params, options);
      const started = performance.now();
      options.api
        .flowsPage(request)
        .then(async (page) => ({ ...page, rows: options.decorate ? await options.decorate(page.rows) : page.rows }))
        .then(
        (page) => {
          options.onPage?.(request, performance.now() - started);
          params.successCallback(page.rows, lastRowOf(request, page.rows.length, page.total));
        },
        (error: unknown) => {
          options.onError?.(error);
          params.failCallback();
        },
      );
    },
  };
}
