/** Checks on request fields that arrive from outside (IPC, HTTP): wrong shapes are INVALID_ARGUMENT errors. */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { SortKey } from '../../shared/query-types';

/** An integer in [min, max], or `fallback` when absent. */
export function integerField(
  value: unknown,
  name: string,
  options: { min: number; max: number; fallback?: number },
): number {
  if (value === undefined || value === null) {
    if (options.fallback !== undefined) return options.fallback;
    throw new FlowlabError(ErrorCode.invalidArgument, `Expected ${name}, found nothing`);
  }
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < options.min ||
    value > options.max
  ) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected ${name} to be an integer from ${options.min} to ${options.max}, found ${JSON.stringify(value)?.slice(0, 60)}`,
    );
  }
  return value;
}

/** A finite number >= 0, or `fallback` when absent. */
export function nonNegativeNumber(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected ${name} to be a number >= 0, found ${JSON.stringify(value)?.slice(0, 60)}`,
    );
  }
  return value;
}

/** A non-empty string of at most `maxLength` characters. */
export function stringField(value: unknown, name: string, maxLength = 1000): string {
  if (typeof value !== 'string' || value === '' || value.length > maxLength) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected ${name} to be a non-empty string, found ${JSON.stringify(value)?.slice(0, 60)}`,
    );
  }
  return value;
}

/** The request object itself (a missing body of a void channel counts as `{}`). */
export function requestObject<T>(value: unknown, channel: string): T {
  if (value === undefined || value === null) return {} as T;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected an object as the request of ${channel}, found ${JSON.stringify(value)?.slice(0, 60)}`,
    );
  }
  return value as T;
}

/**
 * ORDER BY terms from sort keys; `resolve` maps a requested column to validated SQL (or throws).
 * At most 8 keys; NULLs sort last either way.
 */
export function orderByTerms(sort: unknown, resolve: (column: unknown) => string): string[] {
  if (sort === undefined || sort === null) return [];
  if (!Array.isArray(sort) || sort.length > 8) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected sort to be a list of at most 8 keys, found ${JSON.stringify(sort)?.slice(0, 80)}`,
    );
  }
  return sort.map((key: SortKey) => {
    if (!key || typeof key !== 'object' || (key.direction !== 'asc' && key.direction !== 'desc')) {
      throw new FlowlabError(
        ErrorCode.invalidArgument,
        `Expected a sort key { column, direction: 'asc' | 'desc' }, found ${JSON.stringify(key)?.slice(0, 80)}`,
      );
    }
    return `${resolve(key.column)} ${key.direction === 'asc' ? 'ASC' : 'DESC'} NULLS LAST`;
  });
}
