import { describe, expect, it } from 'vitest';
import type { IGetRowsParams } from 'ag-grid-community';
import type { FlowPage, FlowPageRequest } from '../../../src/shared/query-types';
import { FLOW_COLUMN_TYPES } from '../../../src/renderer/src/flows/flow-column-types';
import { createFlowsDatasource, lastRowOf, pageRequest } from '../../../src/renderer/src/flows/flows-datasource';

const baseParams = {
  startRow: 200,
  endRow: 300,
  sortModel: [{ colId: 'bidirectional_bytes', sort: 'desc' as const }],
  filterModel: { dst_port: { filterType: 'number', type: 'equals', filter: 443 } },
};

describe('pageRequest', () => {
  it('combines the shared filter with the grid sort and column filters', () => {
    const request = pageRequest(baseParams, {
      types: FLOW_COLUMN_TYPES,
      getFilter: () => ({ expression: 'protocol = 6', hosts: ['10.0.0.1'], columns: { stale: { kind: 'blank', blank: true } } }),
      getColumns: () => ['src_ip', 'dst_ip'],
    });
    expect(request).toEqual({
      filter: { expression: 'protocol = 6', hosts: ['10.0.0.1'], columns: { dst_port: { kind: 'number', op: 'eq', value: 443 } } },
      offset: 200,
      limit: 100,
      columns: ['flow_id', 'src_ip', 'dst_ip'],
      sort: [{ column: 'bidirectional_bytes', direction: 'desc' }],
    });
  });
});

describe('lastRowOf', () => {
  const request = { filter: {}, offset: 100, limit: 100 } satisfies FlowPageRequest;
  it('uses the total when given, else infers the end from a short block', () => {
    expect(lastRowOf(request, 100, 12345)).toBe(12345);
    expect(lastRowOf(request, 100, undefined)).toBeUndefined();
    expect(lastRowOf(request, 42, undefined)).toBe(142);
  });
});

describe('createFlowsDatasource', () => {
  it('answers the grid with the page rows and the total', async () => {
    const calls: FlowPageRequest[] = [];
    const page: FlowPage = { rows: [{ flow_id: 1 }, { flow_id: 2 }], total: 2 };
    const datasource = createFlowsDatasource({
      api: { flowsPage: async (request) => (calls.push(request), page) },
      types: FLOW_COLUMN_TYPES,
      getFilter: () => ({}),
      getColumns: () => ['flow_id'],
    });
    const result = await new Promise<{ rows: unknown[]; last?: number }>((resolve, reject) =>
      datasource.getRows({ ...baseParams, startRow: 0, endRow: 100, successCallback: (rows, last) => resolve({ rows, last }), failCallback: reject, context: undefined } as IGetRowsParams),
    );
    expect(result).toEqual({ rows: page.rows, last: 2 });
    expect(calls[0]!.columns).toEqual(['flow_id']);
  });

  it('fails the block and reports the error when the API throws', async () => {
    const errors: unknown[] = [];
    const datasource = createFlowsDatasource({
      api: { flowsPage: async () => Promise.reject(new Error('boom')) },
      types: FLOW_COLUMN_TYPES,
      getFilter: () => ({}),
      getColumns: () => [],
      onError: (error) => errors.push(error),
    });
    await new Promise<void>((resolve) =>
      datasource.getRows({ ...baseParams, successCallback: () => undefined, failCallback: () => resolve(), context: undefined } as unknown as IGetRowsParams),
    );
    expect(errors).toHaveLength(1);
  });
});
