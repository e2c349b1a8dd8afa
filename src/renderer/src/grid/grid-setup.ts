/**
 * ag-grid community modules (v33+ registration: only what the views use, for bundle size)
 * and the one grid theme (Theming API; no legacy CSS files).
 */
import {
  CellStyleModule,
  ColumnApiModule,
  DateFilterModule,
  InfiniteRowModelModule,
  ModuleRegistry,
  NumberFilterModule,
  RowApiModule,
  RowSelectionModule,
  RowStyleModule,
  ScrollApiModule,
  TextFilterModule,
  TooltipModule,
  ValidationModule,
  themeBalham,
} from 'ag-grid-community';

/** Row class rules shared by the infinite grids: a row without data yet is pending. */
export const PENDING_ROW_RULES = { 'row-pending': (params: { data?: unknown }) => params.data === undefined };

let registered = false;

export function registerGridModules(): void {
  if (registered) return;
  registered = true;
  ModuleRegistry.registerModules([
    InfiniteRowModelModule,
    // 'rightAligned' column type sets a cell class.
    CellStyleModule,
    TextFilterModule,
    NumberFilterModule,
    DateFilterModule,
    TooltipModule,
    ColumnApiModule,
    RowApiModule,
    RowSelectionModule,
    // rowClassRules: rows whose block is still loading get a placeholder style.
    RowStyleModule,
    ScrollApiModule,
    // Names a missing module in the console during development; stripped from production.
    ...(import.meta.env.DEV ? [ValidationModule] : []),
  ]);
}

/** Dense, spreadsheet-like look matching the app chrome. */
export const gridTheme = themeBalham.withParams({
  accentColor: '#2563eb',
  backgroundColor: '#ffffff',
  foregroundColor: '#1f2937',
  headerBackgroundColor: '#f3f4f6',
  oddRowBackgroundColor: '#fafbfc',
  borderColor: '#e5e7eb',
  fontFamily: 'var(--font-ui)',
  fontSize: 12,
  headerFontSize: 12,
  spacing: 3,
  rowHeight: 24,
  headerHeight: 28,
  wrapperBorderRadius: 0,
});
