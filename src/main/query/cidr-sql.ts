/**
 * CIDR matching over address text columns (src_ip/dst_ip are VARCHAR in canonical form), as
 * SQL that contains only the validated column identifier and parameter placeholders. The
 * result is never NULL, so `not` behaves as expected.
 */
import { parseCidr } from '../../shared/filter/ip-address';
import type { SqlParameters } from './sql-parameters';

/** `column in cidr` as a boolean SQL expression. `column` must be a validated, quoted identifier. */
export function cidrMatchSql(column: string, cidrText: string, params: SqlParameters): string {
  const range = parseCidr(cidrText);
  if (!range) throw new Error(`Not a CIDR range: ${cidrText}`);
  if (range.version === 4) {
    if (range.prefix === 0) return `coalesce(${ipv4ValueSql(column)} IS NOT NULL, false)`;
    if (range.prefix % 8 === 0) {
      // Octet-aligned (the common /8, /16, /24, /32): a text prefix match on canonical text.
      const bytes = [24, 16, 8, 0].map((shift) => Number((range.first >> BigInt(shift)) & 0xffn));
      const kept = bytes.slice(0, range.prefix / 8);
      if (kept.length === 4) return `coalesce(${column} = ${params.add(kept.join('.'))}, false)`;
      return `coalesce(starts_with(${column}, ${params.add(kept.join('.') + '.')}), false)`;
    }
    return `coalesce(${ipv4ValueSql(column)} BETWEEN ${params.add(Number(range.first))} AND ${params.add(Number(range.last))}, false)`;
  }
  const first = params.add(range.first.toString());
  const last = params.add(range.last.toString());
  return `coalesce(${ipv6ValueSql(column)} BETWEEN CAST(${first} AS UHUGEINT) AND CAST(${last} AS UHUGEINT), false)`;
}

/** Dotted-quad text → BIGINT, NULL for anything else. */
function ipv4ValueSql(column: string): string {
  const octet = (index: number) => `TRY_CAST(split_part(${column}, '.', ${index}) AS UTINYINT)::BIGINT`;
  return `(CASE WHEN NOT contains(${column}, ':') THEN ${octet(1)} * 16777216 + ${octet(2)} * 65536 + ${octet(3)} * 256 + ${octet(4)} END)`;
}

/** IPv6 text (RFC 4291 2.2, '::' expanded) → UHUGEINT, NULL for anything else (incl. dotted tails). */
function ipv6ValueSql(column: string): string {
  const head = `(CASE WHEN split_part(${column}, '::', 1) = '' THEN []::VARCHAR[] ELSE string_split(split_part(${column}, '::', 1), ':') END)`;
  const tail = `(CASE WHEN NOT contains(${column}, '::') OR split_part(${column}, '::', 2) = '' THEN []::VARCHAR[] ELSE string_split(split_part(${column}, '::', 2), ':') END)`;
  const groups = `(CASE WHEN contains(${column}, '::') THEN list_concat(${head}, list_transform(range(greatest(0, 8 - len(${head}) - len(${tail}))), lambda zero: '0'), ${tail}) ELSE string_split(${column}, ':') END)`;
  const value = `list_reduce(list_transform(${groups}, lambda g: CASE WHEN length(g) BETWEEN 1 AND 4 THEN TRY_CAST('0x' || g AS INTEGER)::UHUGEINT END), lambda acc, g: acc * 65536 + g)`;
  return `(CASE WHEN contains(${column}, ':') AND len(${groups}) = 8 THEN ${value} END)`;
}
