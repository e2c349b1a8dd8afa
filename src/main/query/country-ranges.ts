/**
 * Set-based IPv4 geolocation: the country ranges of `@ip-location-db/geo-whois-asn-country`
 * (the CSV form of the same release as the mmdb geolocation.ts reads; CC0-1.0; rows
 * `first,last,country` with addresses as decimal integers) loaded once per case connection
 * into a TEMP table by DuckDB's own CSV reader, so that a whole set of addresses is placed by
 * one ASOF JOIN instead of one JavaScript look-up per address. IPv6 addresses (few in
 * practice) keep the per-address look-up (Geolocation.lookup).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isExternalAddress, NON_PUBLIC_RANGES, parseCidr, parseIpv4 } from '../../shared/filter/ip-address';
import type { CaseStore } from '../store/case-store';
import { flattenRanges } from './flatten-ranges';
import type { Ranges } from './flatten-ranges';
import { listValue } from '@duckdb/node-api';

export const COUNTRY_RANGES_PACKAGE = '@ip-location-db/geo-whois-asn-country';
const IPV4_FILE = 'geo-whois-asn-country-ipv4-num.csv';

/** The TEMP table of IPv4 ranges: (first UBIGINT, last UBIGINT, country VARCHAR), sorted by first. */
export const IPV4_RANGES_TABLE = 'geo_country_ipv4';

const loads = new WeakMap<CaseStore, Promise<boolean>>();

/** The CSV of IPv4 ranges, or undefined when the package is not installed. */
export function ipv4RangesFile(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return path.join(path.dirname(require.resolve(`${COUNTRY_RANGES_PACKAGE}/package.json`)), IPV4_FILE);
  } catch {
    return undefined;
  }
}

/**
 * Creates the ranges table on the case's connection at the first call (the CSV is parsed and
 * flattened once per process, flatten-ranges.ts); true once it exists, false when the database package is missing (then the
 * table exists but is empty, and no IPv4 address gets a country).
 */
export function ensureCountryRanges(store: CaseStore, file = ipv4RangesFile()): Promise<boolean> {
  let loading = loads.get(store);
  if (!loading) {
    loading = loadRanges(store, file);
    loads.set(store, loading);
    loading.catch(() => loads.delete(store));
  }
  return loading;
}

async function loadRanges(store: CaseStore, file: string | undefined): Promise<boolean> {
  // DuckDB plans an ASOF JOIN whose probe side it expects to be small (< 64 rows, e.g. a CTE
  // over a filter) as a nested loop join against every range at or below each address (a
  // 1,600-address filter took 130 s); the sort-merge ASOF operator takes milliseconds.
  await store.run('SET asof_loop_join_threshold = 0');
  await store.run(
    `CREATE OR REPLACE TEMP TABLE ${IPV4_RANGES_TABLE} (first UBIGINT NOT NULL, last UBIGINT NOT NULL, country VARCHAR NOT NULL)`,
  );
  const ranges = file ? await flatRanges(file) : undefined;
  if (!ranges) return false;
  // One text parameter split in SQL: list parameters of 340,000 values cost seconds of CPU to convert.
  const text = ranges.first
    .map((first, index) => `${first},${ranges.last[index]},${ranges.value[index]}`)
    .join('\n');
  await store.run(
    `INSERT INTO ${IPV4_RANGES_TABLE}
     SELECT CAST(split_part(line, ',', 1) AS UBIGINT), CAST(split_part(line, ',', 2) AS UBIGINT), split_part(line, ',', 3)
       FROM (SELECT unnest(string_split($text, chr(10))) AS line) ORDER BY 1`,
    { text },
  );
  return true;
}

/** The flattened ranges of each CSV file, parsed once per process. */
const parsed = new Map<string, Promise<Ranges | undefined>>();

function flatRanges(file: string): Promise<Ranges | undefined> {
  let ranges = parsed.get(file);
  if (!ranges) {
    ranges = readFile(file, 'utf8').then(
      (csv) => flattenRanges(parseRanges(csv)),
      // An unreadable file is a missing database: no enrichment.
      () => undefined,
    );
    parsed.set(file, ranges);
  }
  return ranges;
}

/** `first,last,country` rows (decimal numbers); malformed rows are skipped. */
function parseRanges(csv: string): Ranges {
  const ranges: Ranges = { first: [], last: [], value: [] };
  for (const line of csv.split('\n')) {
    const [first, last, country] = line.trim().split(',');
    if (!first || !last || !country || !/^\d+$/.test(first) || !/^\d+$/.test(last)) continue;
    ranges.first.push(Number(first));
    ranges.last.push(Number(last));
    ranges.value.push(country);
  }
  return ranges;
}

/**
 * The IPv4 address in the text column `column` (the store's dotted quad) as a UBIGINT; NULL
 * for IPv6 text. One string_split, one list cast and a dot product with the octet weights:
 * the cheapest form measured (four split_part casts cost ~3x more).
 */
export function ipv4NumberSql(column: string): string {
  const octets = `TRY_CAST(string_split(${column}, '.') AS UBIGINT[])`;
  return `CASE WHEN ${column} NOT LIKE '%:%' AND length(${column}) - length(replace(${column}, '.', '')) = 3
               THEN CAST(list_dot_product(${octets}, [16777216, 65536, 256, 1]::UBIGINT[]) AS UBIGINT) END`;
}

/** True for a public IPv4 number `column` (NON_PUBLIC_RANGES' IPv4 ranges, constants from the code). */
export function publicIpv4Sql(column: string): string {
  const ranges = NON_PUBLIC_RANGES.map((cidr) => parseCidr(cidr)!).filter((range) => range.version === 4);
  return `NOT (${ranges.map((range) => `${column} BETWEEN ${range.first} AND ${range.last}`).join(' OR ')})`;
}

/**
 * `SELECT <relation columns>, geo.country FROM <relation> ASOF JOIN ranges` for the public
 * IPv4 rows of `relation` that a range holds; `num` names the relation's address number.
 * Make `relation` a MATERIALIZED CTE or a table: an inlined CTE would parse each address again
 * at every reference to `num` (a dozen here: 53 s instead of 6 s over 3.6 M addresses).
 */
export function locateIpv4Sql(relation: string, columns: string, num = 'num'): string {
  return `SELECT ${columns}, geo.country FROM ${relation} ASOF JOIN ${IPV4_RANGES_TABLE} geo ON ${relation}.${num} >= geo.first
           WHERE ${relation}.${num} <= geo.last AND ${publicIpv4Sql(`${relation}.${num}`)}`;
}

/**
 * The countries of a few public IPv4 addresses (a hosts.page page) from the same ranges table
 * as the world map, so both always agree; addresses without one are left out.
 */
export async function ipv4Countries(
  store: CaseStore,
  addresses: readonly string[],
): Promise<Map<string, string>> {
  const numbers = new Map<string, number>();
  for (const ip of addresses) {
    const num = parseIpv4(ip);
    if (num !== undefined && isExternalAddress(ip)) numbers.set(ip, num);
  }
  if (!numbers.size) return new Map();
  await ensureCountryRanges(store);
  // One list parameter (thousands of scalar parameters make DuckDB's binder crawl).
  const rows = await store.rows(
    `WITH page AS (SELECT DISTINCT unnest(CAST($numbers AS UBIGINT[])) AS num)
     ${locateIpv4Sql('page', 'page.num')}`,
    { numbers: listValue([...new Set(numbers.values())].map((num) => BigInt(num))) },
  );
  const countries = new Map(rows.map((row) => [Number(row.num), String(row.country)]));
  const byAddress = new Map<string, string>();
  for (const [ip, num] of numbers) {
    const country = countries.get(num);
    if (country) byAddress.set(ip, country);
  }
  return byAddress;
}
