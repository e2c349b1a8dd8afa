/**
 * The flows grid: ag-grid Infinite Row Model over flowsPage. The grid owns sort and column
 * filters (mirrored into the shared filter); every other part of the shared filter purges
 * the block cache, and so does new data while an ingest runs (refresh, keeping rows shown).
 */
import { useEffect, useMemo, useRef } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { CellKeyDownEvent, GridApi, RowClickedEvent } from 'ag-grid-community';
import { useClient } from '../api/api-context';
import { errorMessage } from '../common/use-async';
import { filterKey } from '../filter/filter-model';
import { useFlowFilter } from '../filter/filter-context';
import { PENDING_ROW_RULES, gridTheme, registerGridModules } from '../grid/grid-setup';
import { useDataVersion } from '../shell/live-data-context';
import { flowColumnDefs } from './column-defs';
import type { FlowRow } from './column-defs';
import { FLOW_COLUMN_TYPES } from './flow-column-types';
import { createFlowsDatasource } from './flows-datasource';
import { toAgFilterModel, toColumnFilters } from './grid-models';
import { attachLabels, pageFlowIds } from '../labels/attach-labels';
import { LABEL_GRID_COLUMN } from './label-grid-column';
import { GRID_COLUMN_NAMES, GRID_COLUMNS } from './flow-columns';
import { useLabelVersion } from '../labels/use-label-version';

registerGridModules();

interface Props {
  visibleColumns: ReadonlySet<string>;
  onOpenFlow: (flowId: number) => void;
  onError: (message: string | undefined) => void;
  onPageTime: (ms: number) => void;
  /** The selected rows' flow ids (click, Shift/Ctrl+click), for labeling. */
  onSelectionChange?: (flowIds: number[]) => void;
}

export function FlowsGrid({ visibleColumns, onOpenFlow, onError, onPageTime, onSelectionChange }: Props) {
  const { api } = useClient();
  const { filter, dispatch } = useFlowFilter();
  const { version } = useDataVersion();
  const labelVersion = useLabelVersion();
  const grid = useRef<GridApi<FlowRow> | null>(null);
  const live = useRef({ filter, visibleColumns, onError, onPageTime });
  useEffect(() => {
    live.current = { filter, visibleColumns, onError, onPageTime };
  });

  // Built once; later visibility changes go through the grid API so the grid keeps its state.
  const columnDefs = useMemo(() => [LABEL_GRID_COLUMN, ...flowColumnDefs(GRID_COLUMNS, live.current.visibleColumns)], []);
  const datasource = useMemo(
    () =>
      createFlowsDatasource({
        api,
        types: FLOW_COLUMN_TYPES,
        getFilter: () => live.current.filter,
        getColumns: () => [...live.current.visibleColumns],
        onError: (error) => live.current.onError(errorMessage(error)),
        onPage: (_request, elapsedMs) => {
          live.current.onError(undefined);
          live.current.onPageTime(elapsedMs);
        },
        decorate: async (rows) => attachLabels(rows, await api.labelsForFlows({ flowIds: pageFlowIds(rows) })),
      }),
    [api],
  );

  const outerKey = filterKey({ ...filter, columns: undefined });
  const columnsKey = filterKey({ columns: filter.columns });
  const firstRun = useRef(true);
  useEffect(() => {
    if (firstRun.current) {
      firstRun.current = false;
      return;
    }
    grid.current?.purgeInfiniteCache();
    grid.current?.ensureIndexVisible(0, 'top');
  }, [outerKey]);

  useEffect(() => {
    if (version > 0 || labelVersion > 0) grid.current?.refreshInfiniteCache();
  }, [version, labelVersion]);

  // A column chip removed elsewhere: bring the grid's filter model in line.
  useEffect(() => {
    const current = grid.current;
    if (!current) return;
    const gridColumns = filterKey({ columns: toColumnFilters(current.getFilterModel(), FLOW_COLUMN_TYPES) });
    if (gridColumns !== columnsKey) current.setFilterModel(toAgFilterModel(filter.columns, FLOW_COLUMN_TYPES));
  }, [columnsKey]);

  const previousVisible = useRef(visibleColumns);
  useEffect(() => {
    const current = grid.current;
    const before = previousVisible.current;
    previousVisible.current = visibleColumns;
    if (!current || before === visibleColumns) return;
    const all = GRID_COLUMN_NAMES;
    current.setColumnsVisible(all.filter((name) => !visibleColumns.has(name)), false);
    current.setColumnsVisible(all.filter((name) => visibleColumns.has(name)), true);
    // Only the visible columns are fetched: newly shown ones need their values (and are
    // scrolled into view, since new columns join at the right).
    const added = [...visibleColumns].filter((name) => !before.has(name));
    if (added.length) {
      current.refreshInfiniteCache();
      current.ensureColumnVisible(added[0]!, 'auto');
    }
  }, [visibleColumns]);

  const open = (row: FlowRow | undefined): void => {
    const flowId = row?.flow_id;
    if (typeof flowId === 'number') onOpenFlow(flowId);
  };

  return (
    <AgGridReact<FlowRow>
      theme={gridTheme}
      rowModelType="infinite"
      datasource={datasource}
      columnDefs={columnDefs}
      cacheBlockSize={100}
      maxBlocksInCache={200}
      maxConcurrentDatasourceRequests={2}
      blockLoadDebounceMillis={40}
      infiniteInitialRowCount={100}
      rowBuffer={20}
      tooltipShowDelay={600}
      rowClassRules={PENDING_ROW_RULES}
      rowSelection={{ mode: 'multiRow', checkboxes: false, headerCheckbox: false, enableClickSelection: true }}
      onSelectionChanged={(event) => onSelectionChange?.(pageFlowIds(event.api.getSelectedRows()))}
      getRowId={(params) => String(params.data.flow_id)}
      onGridReady={(event) => {
        grid.current = event.api;
        if (filter.columns) event.api.setFilterModel(toAgFilterModel(filter.columns, FLOW_COLUMN_TYPES));
      }}
      onFilterChanged={(event) => dispatch({ type: 'setColumns', columns: toColumnFilters(event.api.getFilterModel(), FLOW_COLUMN_TYPES) })}
      onRowClicked={(event: RowClickedEvent<FlowRow>) => open(event.data)}
      onCellKeyDown={(event: CellKeyDownEvent<FlowRow>) => {
        if ((event.event as KeyboardEvent | undefined)?.key === 'Enter') open(event.data);
      }}
    />
  );
}
