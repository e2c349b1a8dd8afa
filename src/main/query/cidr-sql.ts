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
    if (range.prefix === 0)
      return `coalesce(contains(${column}, '.') AND NOT contains(${column}, ':'), false)`;
    // Text matching on canonical dotted quads (string parsing per row is slow in DuckDB):
    // whole octets of the prefix are a text prefix; a partial octet is a list of allowed texts.
    const octets = [24, 16, 8, 0].map((shift) => Number((range.first >> BigInt(shift)) & 0xffn));
    const whole = Math.floor(range.prefix / 8);
    const base = octets
      .slice(0, whole)
      .map((octet) => `${octet}.`)
      .join('');
    if (range.prefix === 32) return `coalesce(${column} = ${params.add(octets.join('.'))}, false)`;
    if (range.prefix % 8 === 0) return `coalesce(starts_with(${column}, ${params.add(base)}), false)`;
    const first = octets[whole]!;
    const count = 2 ** (8 - (range.prefix % 8));
    const texts = Array.from({ length: count }, (_, i) => `${base}${first + i}${whole < 3 ? '.' : ''}`);
    const placeholders = texts.map((text) => params.add(text)).join(', ');
    if (whole === 3) return `coalesce(${column} IN (${placeholders}), false)`;
    // The text up to and including the dot after the partial octet.
    const cut = `substr(${column}, 1, ${base.length} + instr(substr(${column}, ${base.length + 1}), '.'))`;
    const guard = base ? `starts_with(${column}, ${params.add(base)}) AND ` : '';
    return `coalesce(${guard}${cut} IN (${placeholders}), false)`;
  }
  const first = params.add(range.first.toString());
  const last = params.add(range.last.toString());
  return `coalesce(${ipv6ValueSql(column)} BETWEEN CAST(${first} AS UHUGEINT) AND CAST(${last} AS UHUGEINT), false)`;
}

/** IPv6 text (RFC 4291 2.2, '::' expanded) → UHUGEINT, NULL for anything else (incl. dotted tails). */
export function ipv6ValueSql(column: string): string {
  const head = `(CASE WHEN split_part(${column}, '::', 1) = '' THEN []::VARCHAR[] ELSE string_split(split_part(${column}, '::', 1), ':') END)`;
  const tail = `(CASE WHEN NOT contains(${column}, '::') OR split_part(${column}, '::', 2) = '' THEN []::VARCHAR[] ELSE string_split(split_part(${column}, '::', 2), ':') END)`;
  const groups = `(CASE WHEN contains(${column}, '::') THEN list_concat(${head}, list_transform(range(greatest(0, 8 - len(${head}) - len(${tail}))), lambda zero: '0'), ${tail}) ELSE string_split(${column}, ':') END)`;
  const value = `list_reduce(list_transform(${groups}, lambda g: CASE WHEN length(g) BETWEEN 1 AND 4 THEN TRY_CAST('0x' || g AS INTEGER)::UHUGEINT END), lambda acc, g: acc * 65536 + g)`;
  return `(CASE WHEN contains(${column}, ':') AND len(${groups}) = 8 THEN ${value} END)`;
}
