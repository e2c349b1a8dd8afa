/**
 * Compiles the shared filter model (FlowFilter) to one SQL condition over `flows`, with every
 * value as a parameter. The request comes from outside (IPC, HTTP): every part is checked.
 */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import { parseFilter } from '../../shared/filter/filter-parser';
import { normalizeIpText } from '../../shared/filter/ip-address';
import { parseTimestampMicros } from '../../shared/filter/timestamp-literal';
import type { ColumnFilter, FlowFilter } from '../../shared/query-types';
import { compilePredictionFilter } from '../ml/prediction-filter';
import { compileColumnFilter } from './compile-column-filter';
import { compileFilterNode } from './compile-expression';
import type { DerivedContext } from './derived-sql';
import { SqlParameters } from './sql-parameters';

/** A compiled condition: `where` is SQL (never empty; `TRUE` for no filter) over `params`. */
export interface CompiledFilter {
  where: string;
  params: SqlParameters;
}

/** Most addresses in `hosts` or capture ids in `captureIds`. */
const MAX_LIST = 10_000;

/** Compiles `filter` (which may be undefined) into `params` (a new set when omitted). */
export function compileFlowFilter(
  filter: FlowFilter | undefined,
  params = new SqlParameters(),
): CompiledFilter {
  const parts: string[] = [];
  if (filter !== undefined && filter !== null) {
    if (typeof filter !== 'object' || Array.isArray(filter)) throw invalid('filter', 'an object', filter);
    const context = derivedContext(filter);
    if (filter.expression !== undefined && filter.expression !== null) {
      if (typeof filter.expression !== 'string')
        throw invalid('filter.expression', 'a string', filter.expression);
      const tree = parseFilter(filter.expression);
      if (tree) parts.push(compileFilterNode(tree, params, context));
    }
    if (filter.columns !== undefined && filter.columns !== null) {
      if (typeof filter.columns !== 'object' || Array.isArray(filter.columns))
        throw invalid('filter.columns', 'an object', filter.columns);
      for (const [name, columnFilter] of Object.entries(filter.columns)) {
        parts.push(compileColumnFilter(name, columnFilter as ColumnFilter, params, context));
      }
    }
    if (filter.captureIds !== undefined && filter.captureIds !== null) {
      const ids = list(filter.captureIds, 'filter.captureIds');
      if (!ids.every((id) => Number.isSafeInteger(id)))
        throw invalid('filter.captureIds', 'integers', filter.captureIds);
      parts.push(
        ids.length ? `("capture_id" IN (${ids.map((id) => params.add(id as number)).join(', ')}))` : 'FALSE',
      );
    }
    if (filter.timeRange !== undefined && filter.timeRange !== null) {
      const { from, to } = filter.timeRange as { from?: unknown; to?: unknown };
      const fromMicros = typeof from === 'string' ? parseTimestampMicros(from) : undefined;
      const toMicros = typeof to === 'string' ? parseTimestampMicros(to) : undefined;
      if (fromMicros === undefined || toMicros === undefined)
        throw invalid('filter.timeRange', 'ISO 8601 from and to', filter.timeRange);
      parts.push(
        `("first_seen" >= make_timestamp(CAST(${params.add(fromMicros)} AS BIGINT)) AND "first_seen" < make_timestamp(CAST(${params.add(toMicros)} AS BIGINT)))`,
      );
    }
    if (filter.hosts !== undefined && filter.hosts !== null) {
      const hosts = addresses(list(filter.hosts, 'filter.hosts'), 'filter.hosts');
      if (!hosts.length) parts.push('FALSE');
      else {
        const placeholders = hosts.map((host) => params.add(host)).join(', ');
        parts.push(`("src_ip" IN (${placeholders}) OR "dst_ip" IN (${placeholders}))`);
      }
    }
    if (filter.hostPair !== undefined && filter.hostPair !== null) {
      const [a, b] = addresses(
        [(filter.hostPair as { a?: unknown }).a, (filter.hostPair as { b?: unknown }).b],
        'filter.hostPair',
      );
      const pa = params.add(a!);
      const pb = params.add(b!);
      parts.push(`(("src_ip" = ${pa} AND "dst_ip" = ${pb}) OR ("src_ip" = ${pb} AND "dst_ip" = ${pa}))`);
    }
    if (filter.prediction !== undefined && filter.prediction !== null)
      parts.push(compilePredictionFilter(filter.prediction, params));
  }
  return { where: parts.length ? parts.join(' AND ') : 'TRUE', params };
}

/** The validated FlowFilter.predictionModel as the derived columns' context. */
export function derivedContext(filter: FlowFilter | undefined): DerivedContext {
  const model = filter?.predictionModel;
  if (model === undefined || model === null) return {};
  if (!Number.isSafeInteger(model) || model < 1)
    throw invalid('filter.predictionModel', 'a positive integer model id', model);
  return { predictionModel: model };
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(what, 'an array', value);
  if (value.length > MAX_LIST) throw invalid(what, `at most ${MAX_LIST} entries`, `${value.length} entries`);
  return value;
}

/** Non-empty address strings, IPv6 in the canonical text the store uses. */
function addresses(values: unknown[], what: string): string[] {
  return values.map((value) => {
    if (typeof value !== 'string' || value === '' || value.length > 100)
      throw invalid(what, 'address strings', value);
    return normalizeIpText(value);
  });
}

function invalid(what: string, expected: string, found: unknown): FlowlabError {
  const shown = typeof found === 'string' ? found : JSON.stringify(found);
  return new FlowlabError(
    ErrorCode.invalidArgument,
    `Expected ${expected} for ${what}, found ${String(shown).slice(0, 120)}`,
  );
}
