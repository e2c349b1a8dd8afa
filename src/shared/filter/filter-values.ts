/**
 * Turns a value token into a typed literal for its column: numbers for numeric columns,
 * timestamps for TIMESTAMP columns, addresses and CIDR ranges for src_ip/dst_ip, text otherwise.
 */
import { FilterSyntaxError } from './filter-error';
import type { ColumnRef, FilterValue } from './filter-ast';
import { IP_COLUMNS } from './filter-ast';
import { describeToken } from './filter-tokenizer';
import type { Token } from './filter-tokenizer';
import { canonicalIpText, parseCidr, parseIpAddress } from './ip-address';
import { parseTimestampMicros } from './timestamp-literal';

const NUMBER_PATTERN = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE]-?\d+)?$/;
const HEX_PATTERN = /^0[xX][0-9a-fA-F]{1,13}$/;

/** Words that cannot stand as unquoted values (quote them to mean the text). */
export const RESERVED_WORDS: readonly string[] = ['and', 'or', 'not', 'in', 'is', 'null', 'contains', 'startswith', 'endswith'];

/** True when the column holds numbers (compared numerically). */
export function isNumericType(type: ColumnRef['type']): boolean {
  return type === 'BIGINT' || type === 'INTEGER' || type === 'DOUBLE';
}

/** Parses a number as the filter language writes it (decimal, exponent, or 0x hex), or undefined. */
export function parseNumberText(text: string): number | undefined {
  if (HEX_PATTERN.test(text)) return parseInt(text.slice(2), 16);
  if (!NUMBER_PATTERN.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * The typed literal of `token` for `column`. `allowRange` admits CIDR ranges (=, !=, in).
 * Throws FilterSyntaxError saying what was expected for the column.
 */
export function valueFor(column: ColumnRef, token: Token, allowRange: boolean): FilterValue {
  const { text, position } = token;
  if (token.kind === 'bare' && text.toLowerCase() === 'null') {
    throw new FilterSyntaxError(`Expected a value at position ${position}, found 'null' (write '${column.name} is null')`, position);
  }
  if (isNumericType(column.type)) {
    const value = token.kind === 'bare' ? parseNumberText(text) : undefined;
    if (value === undefined) {
      throw new FilterSyntaxError(`Expected a number for ${column.name} at position ${position}, found ${describeToken(token)}`, position);
    }
    return { kind: 'number', value, text, position };
  }
  if (column.type === 'TIMESTAMP') {
    // A bare number is seconds since the epoch; anything else must be an ISO 8601 date-time.
    const seconds = token.kind === 'bare' ? parseNumberText(text) : undefined;
    const micros = seconds !== undefined ? Math.round(seconds * 1e6) : parseTimestampMicros(text);
    if (micros === undefined || !Number.isFinite(micros)) {
      throw new FilterSyntaxError(
        `Expected a timestamp (ISO 8601 such as '2024-01-31T12:00:00Z', or epoch seconds) for ${column.name} at position ${position}, found ${describeToken(token)}`,
        position,
      );
    }
    return { kind: 'timestamp', value: micros, text, position };
  }
  if (IP_COLUMNS.includes(column.name)) {
    const address = parseIpAddress(text);
    if (address) return { kind: 'ip', value: canonicalIpText(address), text, position };
    if (parseCidr(text)) {
      if (!allowRange) {
        throw new FilterSyntaxError(`Expected an address for ${column.name} at position ${position}, found the range '${text}' (use 'in' or '=')`, position);
      }
      return { kind: 'cidr', value: text, text, position };
    }
  }
  return { kind: 'string', value: text, text, position };
}
