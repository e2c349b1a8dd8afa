/**
 * The label column as the flows grid uses it: the labels view's column (class, ⚠ conflict, tags
 * on hover) made sortable and filterable; the server sorts and filters it as `label`.
 */
import type { ColDef } from 'ag-grid-community';
import { LABEL_COLUMN } from '../labels/label-column';

const LABEL_FILTER_OPTIONS = ['equals', 'notEqual', 'contains', 'notContains', 'startsWith', 'endsWith', 'blank', 'notBlank'];

// Its hover text through `tooltip` (tooltipValueGetter is deprecated since ag-grid 36.2 and
// makes the grid show a deprecation notice).
const { tooltipValueGetter: hoverText, ...labelColumn } = LABEL_COLUMN;

export const LABEL_GRID_COLUMN: ColDef<Record<string, unknown>> = {
  ...labelColumn,
  tooltip: (params) => (params.location === 'cell' && hoverText ? hoverText(params as Parameters<typeof hoverText>[0]) : undefined),
  sortable: true,
  filter: 'agTextColumnFilter',
  filterParams: { maxNumConditions: 1, buttons: ['apply', 'reset'], closeOnApply: true, filterOptions: LABEL_FILTER_OPTIONS },
};
