/**
 * Building SQL from validated parts: values only ever enter as named parameters ($p1, $p2, ...),
 * identifiers only after validation against a fixed list, and then double-quoted.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { ErrorCode, FlowlabError } from '../../shared/errors';
import { FLOW_COLUMNS } from '../../shared/flow-schema';
import type { FlowColumn } from '../../shared/flow-schema';

/** Collects parameter values and hands out their placeholders. */
export class SqlParameters {
  readonly values: Record<string, DuckDBValue> = {};
  private count = 0;

  /** Registers `value` and returns its placeholder (`$p1`). */
  add(value: DuckDBValue): string {
    const name = `p${++this.count}`;
    this.values[name] = value;
    return `$${name}`;
  }
}

const COLUMNS_BY_NAME = new Map(FLOW_COLUMNS.map((column) => [column.name, column]));

/** The flow column called `name`, or an INVALID_ARGUMENT error naming the bad column. */
export function flowColumn(name: unknown): FlowColumn {
  const column = typeof name === 'string' ? COLUMNS_BY_NAME.get(name) : undefined;
  if (!column) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected a flow column name, found ${JSON.stringify(name)?.slice(0, 80) ?? String(name)}`,
    );
  }
  return column;
}

/** `"name"` for a validated flow column (quoted although the names are plain words). */
export function columnSql(name: unknown): string {
  return `"${flowColumn(name).name}"`;
}

/**
 * A TIMESTAMP column as ISO 8601 text with its full microseconds (JS Dates would keep only
 * milliseconds), e.g. 2024-01-01T00:00:00.123456Z.
 */
export function timestampTextSql(expression: string): string {
  return `strftime(${expression}, '%Y-%m-%dT%H:%M:%S.%fZ')`;
}

/** A TIMESTAMP_NS expression as ISO 8601 text with nanoseconds (strftime's %n is not usable). */
export function timestampNsTextSql(expression: string): string {
  return `(strftime(${expression}, '%Y-%m-%dT%H:%M:%S') || '.' || lpad(((epoch_ns(${expression}) % 1000000000 + 1000000000) % 1000000000)::VARCHAR, 9, '0') || 'Z')`;
}

/** The SELECT list of flow columns, timestamps as exact ISO text. */
export function flowSelectList(names: readonly string[]): string {
  return names
    .map((name) => {
      const column = flowColumn(name);
      return column.type === 'TIMESTAMP'
        ? `${timestampTextSql(`"${column.name}"`)} AS "${column.name}"`
        : `"${column.name}"`;
    })
    .join(', ');
}
