/**
 * The shared filter model's transitions, pure: every selection (chart bar, brush, graph node or
 * edge, grid filter, quick filter) becomes an action that narrows the one FlowFilter.
 */
import type { PredictionFilter } from '../../../shared/ml-types';
import type { ColumnFilter, FlowFilter } from '../../../shared/query-types';

export type FilterAction =
  | { type: 'setExpression'; expression: string | undefined }
  | { type: 'setColumns'; columns: Record<string, ColumnFilter> }
  | { type: 'narrowColumns'; columns: Record<string, ColumnFilter> }
  | { type: 'setTimeRange'; timeRange: { from: string; to: string } | undefined }
  | { type: 'selectHost'; host: string }
  | { type: 'setHostPair'; a: string; b: string }
  /** Flows touching any of these hosts (e.g. a country's addresses from the world map). */
  | { type: 'setHosts'; hosts: string[] }
  | { type: 'setCaptures'; captureIds: number[] | undefined }
  | { type: 'setPrediction'; prediction: PredictionFilter | undefined }
  /** The model whose predictions the grid's predicted_* columns show (undefined: the newest). */
  | { type: 'setPredictionModel'; modelId: number | undefined }
  | { type: 'remove'; chip: ChipKey }
  | { type: 'clear' };

/** Identifies one removable part of the filter (one chip). */
export type ChipKey =
  | { part: 'expression' }
  | { part: 'column'; column: string }
  | { part: 'timeRange' }
  | { part: 'host'; host: string }
  | { part: 'hosts' }
  | { part: 'hostPair' }
  | { part: 'captures' }
  | { part: 'prediction' };

/** Drops empty parts so that equal filters have equal JSON. */
export function normalizeFilter(filter: FlowFilter): FlowFilter {
  const result: FlowFilter = {};
  if (filter.expression?.trim()) result.expression = filter.expression.trim();
  if (filter.columns && Object.keys(filter.columns).length) {
    result.columns = Object.fromEntries(Object.entries(filter.columns).sort(([a], [b]) => a.localeCompare(b)));
  }
  if (filter.captureIds?.length) result.captureIds = [...filter.captureIds].sort((a, b) => a - b);
  if (filter.timeRange) result.timeRange = { from: filter.timeRange.from, to: filter.timeRange.to };
  if (filter.hosts?.length) result.hosts = [...filter.hosts];
  if (filter.hostPair) result.hostPair = { a: filter.hostPair.a, b: filter.hostPair.b };
  if (filter.prediction) result.prediction = filter.prediction;
  if (filter.predictionModel !== undefined) result.predictionModel = filter.predictionModel;
  return result;
}

/** A stable string for effect dependencies and cache keys. */
export function filterKey(filter: FlowFilter): string {
  return JSON.stringify(normalizeFilter(filter));
}

export function isEmptyFilter(filter: FlowFilter): boolean {
  return filterKey({ ...filter, predictionModel: undefined }) === '{}';
}

/**
 * A host click narrows: the first host selects flows touching it; a second, different host
 * turns the selection into that host pair; a host inside the current pair changes nothing.
 */
function selectHost(filter: FlowFilter, host: string): FlowFilter {
  const { hostPair, hosts = [] } = filter;
  if (hostPair) {
    if (hostPair.a === host || hostPair.b === host) return filter;
    return { ...filter, hostPair: undefined, hosts: [host] };
  }
  if (hosts.includes(host)) return filter;
  if (hosts.length === 1) return { ...filter, hosts: undefined, hostPair: { a: hosts[0]!, b: host } };
  return { ...filter, hosts: [host] };
}

function removeChip(filter: FlowFilter, chip: ChipKey): FlowFilter {
  switch (chip.part) {
    case 'expression':
      return { ...filter, expression: undefined };
    case 'column': {
      const columns = { ...filter.columns };
      delete columns[chip.column];
      return { ...filter, columns };
    }
    case 'timeRange':
      return { ...filter, timeRange: undefined };
    case 'host':
      return { ...filter, hosts: (filter.hosts ?? []).filter((host) => host !== chip.host) };
    case 'hosts':
      return { ...filter, hosts: undefined };
    case 'hostPair':
      return { ...filter, hostPair: undefined };
    case 'captures':
      return { ...filter, captureIds: undefined };
    case 'prediction':
      return { ...filter, prediction: undefined };
  }
}

export function filterReducer(filter: FlowFilter, action: FilterAction): FlowFilter {
  let next: FlowFilter;
  switch (action.type) {
    case 'setExpression':
      next = { ...filter, expression: action.expression };
      break;
    case 'setColumns':
      next = { ...filter, columns: action.columns };
      break;
    case 'narrowColumns':
      next = { ...filter, columns: { ...filter.columns, ...action.columns } };
      break;
    case 'setTimeRange':
      next = { ...filter, timeRange: action.timeRange };
      break;
    case 'selectHost':
      next = selectHost(filter, action.host);
      break;
    case 'setHostPair':
      next = action.a === action.b ? selectHost({ ...filter, hostPair: undefined, hosts: undefined }, action.a) : { ...filter, hosts: undefined, hostPair: { a: action.a, b: action.b } };
      break;
    case 'setHosts':
      next = { ...filter, hostPair: undefined, hosts: [...action.hosts] };
      break;
    case 'setCaptures':
      next = { ...filter, captureIds: action.captureIds };
      break;
    case 'setPrediction':
      next = { ...filter, prediction: action.prediction };
      break;
    case 'remove':
      next = removeChip(filter, action.chip);
      break;
    case 'setPredictionModel':
      next = { ...filter, predictionModel: action.modelId };
      break;
    case 'clear':
      // The chosen model is a view setting, not a narrowing: clearing the filter keeps it.
      next = filter.predictionModel === undefined ? {} : { predictionModel: filter.predictionModel };
      break;
  }
  const normalized = normalizeFilter(next);
  // Keep the identity when nothing changed, so that views do not refetch.
  return filterKey(normalized) === filterKey(filter) ? filter : normalized;
}
