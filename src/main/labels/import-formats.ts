/**
 * Ground-truth CSV layouts → one normalised SQL relation per layout, over the raw CSV read by
 * DuckDB with every column as text. Column names are matched loosely (trimmed, case and
 * punctuation ignored: ` Source IP` = `source_ip`), and only names read from the file's header
 * are ever quoted into SQL (double quotes doubled).
 *
 * Normalised columns: row_no, src_ip, src_port, dst_ip, dst_port, protocol, t (TIMESTAMP, UTC,
 * five-tuple and CICIDS2017) or ip, t_from, t_to (ip layout), label (NULL: unreadable), tags.
 */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { LabelImportFormat } from '../../shared/label-types';

/** Loose form of a header name: `' Source IP'` → `sourceip`. */
export const looseName = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Time text → UTC TIMESTAMP: ISO 8601 (Z or ±hh:mm honoured), epoch seconds, or d/m/Y [H:M[:S]] [AM|PM]. */
function timeSql(column: string, offsetParam: string): string {
  const zone = `regexp_extract(${column}, '(Z|[+-][0-9]{2}:?[0-9]{2})$')`;
  const bare = `trim(regexp_replace(${column}, '(Z|[+-][0-9]{2}:?[0-9]{2})$', ''))`;
  const parsed = `coalesce(
    try_cast(${bare} AS TIMESTAMP),
    try_strptime(${bare}, ['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y %I:%M:%S %p', '%d/%m/%Y %I:%M %p']))`;
  const zoneMinutes = `CASE WHEN ${zone} = '' THEN ${offsetParam}
    WHEN ${zone} = 'Z' THEN 0
    ELSE (CASE WHEN ${zone}[1] = '-' THEN -1 ELSE 1 END) *
      (CAST(${zone}[2:3] AS INTEGER) * 60 + CAST(right(${zone}, 2) AS INTEGER)) END`;
  return `CASE WHEN regexp_full_match(trim(${column}), '[0-9]{9,}(\\.[0-9]+)?')
      THEN make_timestamp(CAST(CAST(trim(${column}) AS DOUBLE) * 1000000 AS BIGINT))
    ELSE ${parsed} - to_minutes(CAST(${zoneMinutes} AS BIGINT)) END`;
}

const protocolSql = (column: string): string => `CASE lower(trim(${column}))
    WHEN 'tcp' THEN 6 WHEN 'udp' THEN 17 WHEN 'icmp' THEN 1 WHEN 'icmpv6' THEN 58 WHEN 'ipv6-icmp' THEN 58
    ELSE try_cast(trim(${column}) AS INTEGER) END`;

const portSql = (column: string): string => `try_cast(trim(${column}) AS INTEGER)`;
const ipSql = (column: string): string => `nullif(lower(trim(${column})), '')`;

/** Class text → class name, NULL when it is not one (CLASS_NAME_PATTERN). */
const classSql = (column: string): string =>
  `CASE WHEN regexp_full_match(lower(trim(${column})), '[a-z0-9][a-z0-9._-]{0,63}') THEN lower(trim(${column})) END`;

/** `a; b|c` → ['a', 'b', 'c'] (empty → []). */
const tagsSql = (column: string | undefined): string =>
  column
    ? `list_filter(list_transform(regexp_split_to_array(coalesce(${column}, ''), '[;|]'), t -> trim(t)), t -> t <> '')`
    : `CAST([] AS VARCHAR[])`;

interface Columns {
  find(...names: string[]): string | undefined;
  need(...names: string[]): string;
}

function columnsOf(header: string[], format: LabelImportFormat): Columns {
  const byLoose = new Map(header.map((name) => [looseName(name), quoteIdentifier(name)]));
  const find = (...names: string[]): string | undefined =>
    names.map((name) => byLoose.get(looseName(name))).find((column) => column !== undefined);
  return {
    find,
    need: (...names) => {
      const column = find(...names);
      if (!column) {
        throw new FlowlabError(
          ErrorCode.invalidArgument,
          `Expected a column ${names.map((name) => `'${name}'`).join(' or ')} in the ${format} CSV, found ${header.join(', ').slice(0, 200)}`,
        );
      }
      return column;
    },
  };
}

/**
 * SQL selecting the normalised rows of `rawTable` for `format`. `$offset` is the parameter
 * holding the CSV's UTC offset in minutes.
 */
export function normalisedTruthSql(
  format: LabelImportFormat,
  header: string[],
  rawTable: string,
  offsetParam: string,
): string {
  const columns = columnsOf(header, format);
  const rowNo = 'row_number() OVER () AS row_no';
  if (format === 'ip') {
    const start = columns.find('start', 'from', 'time_from', 'start_time');
    const end = columns.find('end', 'to', 'time_to', 'end_time');
    return `SELECT ${rowNo}, ${ipSql(columns.need('ip', 'address', 'host'))} AS ip,
        ${start ? timeSql(start, offsetParam) : 'NULL::TIMESTAMP'} AS t_from,
        ${end ? timeSql(end, offsetParam) : 'NULL::TIMESTAMP'} AS t_to,
        ${start ? `${start} IS NOT NULL AND trim(${start}) <> ''` : 'false'} AS has_from,
        ${end ? `${end} IS NOT NULL AND trim(${end}) <> ''` : 'false'} AS has_to,
        ${classSql(columns.need('label', 'class'))} AS label, ${tagsSql(columns.find('tags', 'tag'))} AS tags
      FROM ${rawTable}`;
  }
  const tuple = (names: Record<string, string[]>): string =>
    Object.entries(names)
      .map(([as, candidates]) => {
        const column = columns.need(...candidates);
        if (as.endsWith('ip')) return `${ipSql(column)} AS ${as}`;
        if (as === 'protocol') return `${protocolSql(column)} AS ${as}`;
        return `${portSql(column)} AS ${as}`;
      })
      .join(', ');
  if (format === 'five-tuple') {
    return `SELECT ${rowNo}, ${tuple({
      src_ip: ['src_ip', 'source_ip', 'saddr'],
      src_port: ['src_port', 'source_port', 'sport'],
      dst_ip: ['dst_ip', 'destination_ip', 'daddr'],
      dst_port: ['dst_port', 'destination_port', 'dport'],
      protocol: ['protocol', 'proto'],
    })}, ${timeSql(columns.need('time', 'timestamp', 'ts', 'first_seen', 'start'), offsetParam)} AS t,
      ${classSql(columns.need('label', 'class'))} AS label, ${tagsSql(columns.find('tags', 'tag'))} AS tags
      FROM ${rawTable}`;
  }
  // CICIDS2017: BENIGN → benign; an attack → malicious, tagged with the attack's name.
  const label = columns.need('Label');
  const timestamp = columns.need('Timestamp');
  const attack = `trim(regexp_replace(lower(trim(${label})), '[^a-z0-9]+', '-', 'g'), '-')`;
  return `SELECT ${rowNo}, ${tuple({
    src_ip: ['Source IP', 'Src IP'],
    src_port: ['Source Port', 'Src Port'],
    dst_ip: ['Destination IP', 'Dst IP'],
    dst_port: ['Destination Port', 'Dst Port'],
    protocol: ['Protocol'],
  })}, ${timeSql(timestamp, offsetParam)} AS t,
    NOT regexp_matches(upper(${timestamp}), '(AM|PM)\\s*$') AND hour(${timeSql(timestamp, offsetParam)} + to_minutes(CAST(${offsetParam} AS BIGINT))) < 12 AS ambiguous_12h,
    CASE WHEN upper(trim(${label})) = 'BENIGN' THEN 'benign' WHEN ${attack} <> '' THEN 'malicious' END AS label,
    CASE WHEN upper(trim(${label})) = 'BENIGN' OR ${attack} = '' THEN CAST([] AS VARCHAR[]) ELSE [${attack}] END AS tags
    FROM ${rawTable}`;
}
