/**
 * Compiles the grid's per-column filters (ColumnFilter) to SQL. Text filters ignore case, as
 * ag-grid's do; a number filter on a TIMESTAMP column compares epoch milliseconds.
 */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import { normalizeIpText } from '../../shared/filter/ip-address';
import { IP_COLUMNS } from '../../shared/filter/filter-ast';
import type { ColumnFilter } from '../../shared/query-types';
import { DERIVED_COLUMNS } from '../../shared/derived-columns';
import type { FlowColumn } from '../../shared/flow-schema';
import { derivedCondition } from './derived-sql';
import type { DerivedContext } from './derived-sql';
import { flowColumn } from './sql-parameters';
import type { SqlParameters } from './sql-parameters';

const NUMBER_OPERATORS: Record<string, string> = { eq: '=', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

/** SQL for one column filter (the column name is validated here). */
export function compileColumnFilter(
  name: string,
  filter: ColumnFilter,
  params: SqlParameters,
  context: DerivedContext = {},
): string {
  const derived = DERIVED_COLUMNS.find((column) => column.name === name);
  if (!derived) {
    const column = flowColumn(name);
    return compileOn(column, `"${column.name}"`, filter, params);
  }
  return derivedCondition(
    derived.name,
    context,
    params,
    (identifier) => compileOn(derived, identifier, filter, params),
    matchesNull(filter),
  );
}

/** Whether the filter holds for a NULL value (an unlabeled flow for `label`). */
function matchesNull(filter: ColumnFilter): boolean {
  if (!filter || typeof filter !== 'object') return false;
  if (filter.kind === 'blank') return filter.blank === true;
  if (filter.kind === 'number') return filter.op === 'ne';
  if (filter.kind === 'text') return filter.op === 'notContains' || filter.op === 'notEqual';
  return false;
}

function compileOn(column: FlowColumn, identifier: string, filter: ColumnFilter, params: SqlParameters): string {
  const invalid = (what: string) =>
    new FlowlabError(
      ErrorCode.invalidArgument,
      `Column filter on ${column.name}: expected ${what}, found ${JSON.stringify(filter)?.slice(0, 120)}`,
    );
  if (!filter || typeof filter !== 'object') throw invalid('an object');
  switch (filter.kind) {
    case 'blank': {
      if (typeof filter.blank !== 'boolean') throw invalid('blank: true or false');
      const isBlank =
        column.type === 'VARCHAR'
          ? `(${identifier} IS NULL OR ${identifier} = '')`
          : `(${identifier} IS NULL)`;
      return filter.blank ? isBlank : `(NOT ${isBlank})`;
    }
    case 'number': {
      const number = (value: unknown) => {
        if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid('a finite number');
        return column.type === 'TIMESTAMP'
          ? `make_timestamp(CAST(${params.add(Math.round(value * 1000))} AS BIGINT))`
          : params.add(value);
      };
      if (column.type === 'VARCHAR') throw invalid('a text filter (the column holds text)');
      if (filter.op === 'between')
        return `(${identifier} BETWEEN ${number(filter.value)} AND ${number(filter.valueTo)})`;
      const operator = NUMBER_OPERATORS[filter.op];
      if (!operator) throw invalid('op eq, ne, lt, le, gt, ge or between');
      if (operator === '!=') return `(${identifier} IS DISTINCT FROM ${number(filter.value)})`;
      return `(${identifier} ${operator} ${number(filter.value)})`;
    }
    case 'text': {
      if (typeof filter.value !== 'string') throw invalid('a string value');
      // Numbers and timestamps filter on their text form (e.g. port "44" contains).
      const text =
        column.type === 'VARCHAR' ? `lower(${identifier})` : `lower(CAST(${identifier} AS VARCHAR))`;
      const value =
        IP_COLUMNS.includes(column.name) && (filter.op === 'equals' || filter.op === 'notEqual')
          ? normalizeIpText(filter.value)
          : filter.value;
      const placeholder = `lower(${params.add(value)})`;
      switch (filter.op) {
        case 'contains':
          return `coalesce(contains(${text}, ${placeholder}), false)`;
        case 'notContains':
          return `(NOT coalesce(contains(${text}, ${placeholder}), false))`;
        case 'equals':
          return `coalesce(${text} = ${placeholder}, false)`;
        case 'notEqual':
          return `(${text} IS DISTINCT FROM ${placeholder})`;
        case 'startsWith':
          return `coalesce(starts_with(${text}, ${placeholder}), false)`;
        case 'endsWith':
          return `coalesce(ends_with(${text}, ${placeholder}), false)`;
        default:
          throw invalid('op contains, notContains, equals, notEqual, startsWith or endsWith');
      }
    }
    default:
      throw invalid("kind 'number', 'text' or 'blank'");
  }
}
