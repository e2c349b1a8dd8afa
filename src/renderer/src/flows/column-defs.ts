/**
 * ag-grid column definitions for the flow columns, pure: filter by SQL type, human formatting
 * in valueFormatter only (the row keeps the raw value for sort, filter and export).
 */
import type { ColDef, ValueFormatterParams } from 'ag-grid-community';
import type { FlowColumn } from '../../../shared/flow-schema';
import { DEFAULT_VISIBLE_COLUMNS, displayKind, formatColumnValue } from './flow-columns';

export type FlowRow = Record<string, unknown>;

const NUMBER_OPTIONS = ['equals', 'notEqual', 'lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual', 'inRange', 'blank', 'notBlank'];
const TEXT_OPTIONS = ['contains', 'notContains', 'equals', 'notEqual', 'startsWith', 'endsWith', 'blank', 'notBlank'];
const DATE_OPTIONS = ['equals', 'lessThan', 'greaterThan', 'inRange', 'blank', 'notBlank'];

const WIDTHS: Record<string, number> = {
  first_seen: 200,
  last_seen: 200,
  src_ip: 190,
  dst_ip: 190,
  src_mac: 140,
  dst_mac: 140,
  requested_server_name: 200,
  dns_query: 200,
  dns_answers: 200,
  http_uri: 220,
  http_user_agent: 220,
  http_host: 180,
  tls_sni: 180,
};

function filterFor(column: FlowColumn): Pick<ColDef<FlowRow>, 'filter' | 'filterParams'> {
  // One condition per column: the shared model holds one ColumnFilter per column.
  const common = { maxNumConditions: 1, buttons: ['apply', 'reset'], closeOnApply: true };
  if (column.type === 'VARCHAR') return { filter: 'agTextColumnFilter', filterParams: { ...common, filterOptions: TEXT_OPTIONS } };
  if (column.type === 'TIMESTAMP') {
    return { filter: 'agDateColumnFilter', filterParams: { ...common, filterOptions: DATE_OPTIONS, includeTime: true, useIsoSeparator: true } };
  }
  return { filter: 'agNumberColumnFilter', filterParams: { ...common, filterOptions: NUMBER_OPTIONS } };
}

export function flowColumnDef(column: FlowColumn, visible: boolean): ColDef<FlowRow> {
  const kind = displayKind(column);
  const numeric = column.type !== 'VARCHAR' && column.type !== 'TIMESTAMP';
  return {
    colId: column.name,
    field: column.name,
    headerName: column.name,
    headerTooltip: `${column.name} (${column.type}): ${column.description}`,
    hide: !visible,
    sortable: true,
    resizable: true,
    // Infinite row model: rows arrive as JSON, so no type inference; the server sorts and filters.
    cellDataType: false,
    // Wide enough for the header (the raw column name) and a sort/filter icon.
    width: WIDTHS[column.name] ?? Math.min(240, Math.max(numeric ? 90 : 120, 7 * column.name.length + 44)),
    type: numeric ? 'rightAligned' : undefined,
    ...filterFor(column),
    valueFormatter: kind === 'plain' ? undefined : (params: ValueFormatterParams<FlowRow>) => formatColumnValue(column, params.value),
    // On hover: the raw value behind a formatted one, or the whole of a long address or name.
    // (`tooltip` with a callback: tooltipValueGetter is deprecated since ag-grid 36.2.)
    tooltip: (params) => {
      if (params.location !== 'cell') return undefined;
      const raw = params.value === null || params.value === undefined ? '' : String(params.value);
      return kind !== 'plain' || raw.length > 20 ? raw : undefined;
    },
  };
}

/** Column defs for every flow column; `visible` defaults to the default set. */
export function flowColumnDefs(columns: readonly FlowColumn[], visible: ReadonlySet<string> = new Set(DEFAULT_VISIBLE_COLUMNS)): ColDef<FlowRow>[] {
  const byName = new Map(columns.map((column) => [column.name, column]));
  // Default columns first, in their curated order; the rest follow in schema order.
  const ordered = [
    ...DEFAULT_VISIBLE_COLUMNS.map((name) => byName.get(name)).filter((column): column is FlowColumn => column !== undefined),
    ...columns.filter((column) => !DEFAULT_VISIBLE_COLUMNS.includes(column.name)),
  ];
  return ordered.map((column) => flowColumnDef(column, visible.has(column.name)));
}
