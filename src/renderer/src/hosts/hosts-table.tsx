/** Endpoints table: ag-grid Infinite Row Model over hostsPage; a row click narrows to the host. */
import { useEffect, useMemo, useRef } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { GridApi, IDatasource } from 'ag-grid-community';
import type { HostRow } from '../../../shared/query-types';
import { useClient } from '../api/api-context';
import { filterKey, normalizeFilter } from '../filter/filter-model';
import { useFlowFilter } from '../filter/filter-context';
import { toSortKeys } from '../flows/grid-models';
import { PENDING_ROW_RULES, gridTheme, registerGridModules } from '../grid/grid-setup';
import { useDataVersion } from '../shell/live-data-context';
import { GEO_COLUMNS, hasGeo, hostColumnDefs } from './host-column-defs';

registerGridModules();

export function HostsTable({ onError }: { onError: (message: string | undefined) => void }) {
  const { api } = useClient();
  const { filter, dispatch } = useFlowFilter();
  const { version } = useDataVersion();
  const grid = useRef<GridApi<HostRow> | null>(null);
  const live = useRef({ filter, onError });
  useEffect(() => {
    live.current = { filter, onError };
  });
  const columnDefs = useMemo(() => hostColumnDefs(), []);
  const datasource = useMemo<IDatasource>(
    () => ({
      getRows(params) {
        const sort = toSortKeys(params.sortModel);
        const request = { filter: normalizeFilter(live.current.filter), offset: params.startRow, limit: params.endRow - params.startRow, ...(sort.length ? { sort } : {}) };
        api.hostsPage(request).then(
          (page) => {
            live.current.onError(undefined);
            if (hasGeo(page.rows)) grid.current?.setColumnsVisible([...GEO_COLUMNS], true);
            params.successCallback(page.rows, page.total);
          },
          (error: unknown) => {
            live.current.onError(error instanceof Error ? error.message : String(error));
            params.failCallback();
          },
        );
      },
    }),
    [api],
  );
  const key = `${filterKey(filter)}#${version}`;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    grid.current?.purgeInfiniteCache();
  }, [key]);

  return (
    <AgGridReact<HostRow>
      theme={gridTheme}
      rowModelType="infinite"
      datasource={datasource}
      columnDefs={columnDefs}
      cacheBlockSize={100}
      maxBlocksInCache={50}
      infiniteInitialRowCount={100}
      rowClassRules={PENDING_ROW_RULES}
      rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
      getRowId={(params) => params.data.ip}
      onGridReady={(event) => {
        grid.current = event.api;
      }}
      onRowClicked={(event) => event.data && dispatch({ type: 'selectHost', host: event.data.ip })}
      onCellKeyDown={(event) => {
        if ((event.event as KeyboardEvent | undefined)?.key === 'Enter' && event.data) dispatch({ type: 'selectHost', host: event.data.ip });
      }}
    />
  );
}
