/**
 * ag-grid models ↔ the shared filter model, pure. The grid's sort model becomes SortKey[]; its
 * filter model (one condition per column) becomes FlowFilter.columns and back, so that a chip
 * removed elsewhere also clears the grid's column filter.
 */
import type { FilterModel, SortModelItem } from 'ag-grid-community';
import type { FlowColumnType } from '../../../shared/flow-schema';
import type { ColumnFilter, SortKey } from '../../../shared/query-types';

type NumberOp = Extract<ColumnFilter, { kind: 'number' }>['op'];
type TextOp = Extract<ColumnFilter, { kind: 'text' }>['op'];

const NUMBER_FROM_AG: Record<string, NumberOp> = {
  equals: 'eq',
  notEqual: 'ne',
  lessThan: 'lt',
  lessThanOrEqual: 'le',
  greaterThan: 'gt',
  greaterThanOrEqual: 'ge',
  inRange: 'between',
};
const NUMBER_TO_AG = Object.fromEntries(Object.entries(NUMBER_FROM_AG).map(([ag, op]) => [op, ag])) as Record<NumberOp, string>;
const TEXT_OPS: readonly TextOp[] = ['contains', 'notContains', 'equals', 'notEqual', 'startsWith', 'endsWith'];

/** The grid asks the date filter for whole seconds; "equals" covers that second. */
const SECOND_MS = 1000;

/**
 * Grid column ids that differ from the API's column names: the label column keeps its rich
 * value (tags, conflict) under its own field, but sorts and filters as the derived `label`.
 */
const API_NAME_OF_COLUMN: Readonly<Record<string, string>> = { __label: 'label' };
const COLUMN_OF_API_NAME: Readonly<Record<string, string>> = { label: '__label' };

/** The API column name for a grid column id. */
export function apiColumnName(colId: string): string {
  return API_NAME_OF_COLUMN[colId] ?? colId;
}

/** The grid column id for an API column name. */
export function gridColumnId(name: string): string {
  return COLUMN_OF_API_NAME[name] ?? name;
}

export function toSortKeys(sortModel: readonly SortModelItem[]): SortKey[] {
  return sortModel.map((item) => ({ column: apiColumnName(item.colId), direction: item.sort }));
}

interface SimpleModel {
  filterType?: string;
  type?: string | null;
  filter?: unknown;
  filterTo?: unknown;
  dateFrom?: string | null;
  dateTo?: string | null;
  operator?: string;
  conditions?: SimpleModel[];
}

/** 'YYYY-MM-DD hh:mm:ss' or with 'T', read as UTC (the app shows UTC) → epoch ms. */
export function parseGridDate(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0'] = match;
  return Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
}

/** Epoch ms → the grid's date filter format (ISO separator, UTC). */
export function formatGridDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

function toNumberValue(value: unknown): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/**
 * One grid column model → ColumnFilter, or undefined when incomplete or unsupported.
 * TIMESTAMP columns travel as number filters in epoch milliseconds.
 */
export function toColumnFilter(model: SimpleModel, type: FlowColumnType | undefined): ColumnFilter | undefined {
  if (model.conditions) return model.conditions.length === 1 ? toColumnFilter(model.conditions[0]!, type) : undefined;
  if (model.type === 'blank' || model.type === 'notBlank') return { kind: 'blank', blank: model.type === 'blank' };
  if (model.filterType === 'text') {
    const op = TEXT_OPS.find((candidate) => candidate === model.type);
    if (!op || typeof model.filter !== 'string' || model.filter === '') return undefined;
    return { kind: 'text', op, value: model.filter };
  }
  if (model.filterType === 'date') {
    const from = parseGridDate(model.dateFrom);
    if (from === undefined) return undefined;
    if (model.type === 'equals') return { kind: 'number', op: 'between', value: from, valueTo: from + SECOND_MS - 1 };
    if (model.type === 'inRange') {
      const to = parseGridDate(model.dateTo);
      return to === undefined ? undefined : { kind: 'number', op: 'between', value: from, valueTo: to };
    }
    const op = NUMBER_FROM_AG[model.type ?? ''];
    return op ? { kind: 'number', op, value: from } : undefined;
  }
  if (model.filterType === 'number') {
    const op = NUMBER_FROM_AG[model.type ?? ''];
    const value = toNumberValue(model.filter);
    if (!op || value === undefined) return undefined;
    if (op === 'between') {
      const valueTo = toNumberValue(model.filterTo);
      return valueTo === undefined ? undefined : { kind: 'number', op, value, valueTo };
    }
    return { kind: 'number', op, value };
  }
  return undefined;
}

export function toColumnFilters(model: FilterModel | null | undefined, types: ReadonlyMap<string, FlowColumnType>): Record<string, ColumnFilter> {
  const result: Record<string, ColumnFilter> = {};
  for (const [colId, columnModel] of Object.entries(model ?? {})) {
    const column = apiColumnName(colId);
    const filter = toColumnFilter(columnModel as SimpleModel, types.get(column));
    if (filter) result[column] = filter;
  }
  return result;
}

function filterTypeOf(type: FlowColumnType | undefined): 'text' | 'number' | 'date' {
  if (type === 'VARCHAR') return 'text';
  if (type === 'TIMESTAMP') return 'date';
  return 'number';
}

/** ColumnFilter → the grid's model for that column (the reverse of toColumnFilter). */
export function toAgColumnModel(filter: ColumnFilter, type: FlowColumnType | undefined): SimpleModel | undefined {
  const filterType = filterTypeOf(type);
  if (filter.kind === 'blank') return { filterType, type: filter.blank ? 'blank' : 'notBlank' };
  if (filter.kind === 'text') return filterType === 'text' ? { filterType, type: filter.op, filter: filter.value } : undefined;
  if (filterType === 'date') {
    if (filter.op === 'between') {
      const to = filter.valueTo ?? filter.value;
      if (to - filter.value === SECOND_MS - 1) return { filterType, type: 'equals', dateFrom: formatGridDate(filter.value), dateTo: null };
      return { filterType, type: 'inRange', dateFrom: formatGridDate(filter.value), dateTo: formatGridDate(to) };
    }
    return { filterType, type: NUMBER_TO_AG[filter.op], dateFrom: formatGridDate(filter.value), dateTo: null };
  }
  if (filterType !== 'number') return undefined;
  const model: SimpleModel = { filterType, type: NUMBER_TO_AG[filter.op], filter: filter.value };
  if (filter.op === 'between') model.filterTo = filter.valueTo ?? filter.value;
  return model;
}

export function toAgFilterModel(columns: Record<string, ColumnFilter> | undefined, types: ReadonlyMap<string, FlowColumnType>): FilterModel {
  const model: FilterModel = {};
  for (const [column, filter] of Object.entries(columns ?? {})) {
    const columnModel = toAgColumnModel(filter, types.get(column));
    if (columnModel) model[gridColumnId(column)] = columnModel;
  }
  return model;
}
