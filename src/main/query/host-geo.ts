/**
 * host_geo: the per-capture host aggregates (host_stats) of public addresses, each with its
 * country, persisted in the case. Placing 3.6 M addresses takes seconds of DuckDB time (mostly
 * turning the text into numbers), so it is done once per case and per state of the aggregates,
 * lazily at the first world map, and the world map of a whole-capture filter is then a
 * GROUP BY over it. A table of the case (not a TEMP table) is buffer-managed: its blocks can
 * be evicted, so it never holds query memory hostage (a 3.6 M-row TEMP table kept ~220 MB of
 * the 512 MB query pool pinned). Filters that need the exact query place their own hosts
 * (country-queries.ts).
 *
 * host_geo_built records, per capture, which aggregates (host_aggregates.built_at) and which
 * database release the rows were placed from: rows of a capture whose aggregates were rebuilt
 * (an ingest), removed, or placed by another release are redone at the next use. The rows of
 * a capture go with its aggregates (HOST_AGGREGATE_TABLES).
 */
import { createRequire } from 'node:module';
import { listValue } from '@duckdb/node-api';
import type { CaseStore } from '../store/case-store';
import { COUNTRY_RANGES_PACKAGE, ensureCountryRanges, ipv4NumberSql, locateIpv4Sql } from './country-ranges';
import type { Geolocation } from './geolocation';

/** (capture_id, ip, country, bytes, packets, flows): host_stats rows with a country. */
export const HOST_GEO_TABLE = 'host_geo';

/** capture_id of the rows summing every aggregated capture (host-aggregates.ts' ALL_CAPTURES). */
const ALL_CAPTURES = -1;

/** Schema migration creating host_geo and its build record (appended to MIGRATIONS). */
export const HOST_GEO_MIGRATION = `
CREATE TABLE IF NOT EXISTS ${HOST_GEO_TABLE} (
  capture_id INTEGER NOT NULL, ip VARCHAR NOT NULL, country VARCHAR NOT NULL,
  bytes BIGINT, packets BIGINT, flows BIGINT
);
CREATE TABLE IF NOT EXISTS host_geo_built (capture_id INTEGER PRIMARY KEY, built_at TIMESTAMP, source VARCHAR NOT NULL);`;

/** The database releases the countries come from (IPv4 ranges, IPv6 mmdb): a change redoes host_geo. */
export function geoSource(): string {
  const require = createRequire(import.meta.url);
  const version = (name: string): string => {
    try {
      return String((require(`${name}/package.json`) as { version?: unknown }).version);
    } catch {
      return 'none';
    }
  };
  return `${COUNTRY_RANGES_PACKAGE}@${version(COUNTRY_RANGES_PACKAGE)};${COUNTRY_RANGES_PACKAGE}-mmdb@${version(`${COUNTRY_RANGES_PACKAGE}-mmdb`)}`;
}

const updates = new WeakMap<CaseStore, Promise<void>>();

/**
 * Brings host_geo up to date with the aggregates (a cheap check when it is); calls run one
 * after another on a case, so concurrent callers never build the same rows twice.
 */
export function ensureHostGeo(store: CaseStore, geolocation: Geolocation): Promise<void> {
  const previous = updates.get(store) ?? Promise.resolve();
  const update = previous.catch(() => undefined).then(() => updateHostGeo(store, geolocation));
  updates.set(store, update);
  return update;
}

/** Captures whose host_geo rows are missing or stale, with the built_at of their aggregates. */
async function staleCaptures(store: CaseStore, source: string): Promise<{ id: number; builtAt: unknown }[]> {
  const rows = await store.rows(
    `SELECT a.capture_id, epoch_us(a.built_at) AS built_at FROM host_aggregates a
       LEFT JOIN host_geo_built g USING (capture_id)
      WHERE g.capture_id IS NULL OR g.built_at IS DISTINCT FROM a.built_at OR g.source <> $source
      ORDER BY a.capture_id DESC`,
    { source },
  );
  // Per-capture rows first (descending, ALL_CAPTURES last): the case-wide rows sum them.
  return rows.map((row) => ({ id: Number(row.capture_id), builtAt: row.built_at }));
}

async function updateHostGeo(store: CaseStore, geolocation: Geolocation): Promise<void> {
  const source = geoSource();
  // Rows of captures whose aggregates are gone (normally deleted with them).
  const orphans = await store.rows(
    'SELECT capture_id FROM host_geo_built WHERE capture_id NOT IN (SELECT capture_id FROM host_aggregates)',
  );
  for (const row of orphans) await forget(store, Number(row.capture_id));
  const stale = await staleCaptures(store, source);
  if (!stale.length) return;
  await ensureCountryRanges(store);
  await geolocation.ready();
  for (const { id, builtAt } of stale) {
    await forget(store, id);
    if (id === ALL_CAPTURES) await sumCaptures(store);
    else await placeCapture(store, id, geolocation);
    // Recorded last: rows without a record are redone, so an interrupted build is never used.
    await store.run(
      'INSERT INTO host_geo_built (capture_id, built_at, source) VALUES ($id, make_timestamp(CAST($builtAt AS BIGINT)), $source)',
      { id, builtAt: builtAt === null ? null : String(builtAt), source },
    );
  }
}

async function forget(store: CaseStore, id: number): Promise<void> {
  await store.run('DELETE FROM host_geo_built WHERE capture_id = $id', { id });
  await store.run(`DELETE FROM ${HOST_GEO_TABLE} WHERE capture_id = $id`, { id });
}

/** Places one capture's host_stats rows: IPv4 by one ASOF JOIN, IPv6 one by one. */
async function placeCapture(store: CaseStore, id: number, geolocation: Geolocation): Promise<void> {
  // Two statements: the addresses are parsed once into a transient TEMP table, then joined.
  // In one statement (even with a MATERIALIZED CTE) DuckDB pushes the public-range filter into
  // the parse and evaluates it again per range: 43 s of CPU instead of ~10 s over 3.6 M rows.
  await store.run(
    `CREATE OR REPLACE TEMP TABLE host_geo_numbered AS
     SELECT capture_id, ip, coalesce(bytes_sent, 0) + coalesce(bytes_received, 0) AS bytes,
            coalesce(packets_sent, 0) + coalesce(packets_received, 0) AS packets, flows, ${ipv4NumberSql('ip')} AS num
       FROM host_stats WHERE capture_id = $id AND ip NOT LIKE '%:%'`,
    { id },
  );
  try {
    await store.run(
      `INSERT INTO ${HOST_GEO_TABLE} (capture_id, ip, bytes, packets, flows, country)
       ${locateIpv4Sql('host_geo_numbered', 'host_geo_numbered.capture_id, host_geo_numbered.ip, host_geo_numbered.bytes, host_geo_numbered.packets, host_geo_numbered.flows')}`,
    );
  } finally {
    // Dropped at once: a TEMP table of millions of rows is not kept beside the queries.
    await store.run('DROP TABLE IF EXISTS host_geo_numbered');
  }
  // IPv6 (a few thousand in a large capture): the per-address look-up of geolocation.ts.
  const ipv6 = await store.rows(
    `SELECT ip, coalesce(bytes_sent, 0) + coalesce(bytes_received, 0) AS bytes,
            coalesce(packets_sent, 0) + coalesce(packets_received, 0) AS packets, flows
       FROM host_stats WHERE capture_id = $id AND ip LIKE '%:%'`,
    { id },
  );
  const located = ipv6.flatMap((row) => {
    const country = geolocation.countryOf(String(row.ip));
    return country ? [{ row, country }] : [];
  });
  if (!located.length) return;
  // List parameters, unnested side by side (thousands of scalar parameters make the binder crawl).
  await store.run(
    `INSERT INTO ${HOST_GEO_TABLE} (capture_id, ip, country, bytes, packets, flows)
     SELECT $id, unnest($ip), unnest($country), CAST(unnest($bytes) AS BIGINT),
            CAST(unnest($packets) AS BIGINT), CAST(unnest($flows) AS BIGINT)`,
    {
      id,
      ip: listValue(located.map(({ row }) => String(row.ip))),
      country: listValue(located.map(({ country }) => country)),
      bytes: listValue(located.map(({ row }) => String(row.bytes))),
      packets: listValue(located.map(({ row }) => String(row.packets))),
      flows: listValue(located.map(({ row }) => String(row.flows))),
    },
  );
}

/**
 * The case-wide rows, summed from the per-capture rows as host_stats' case-wide rows are
 * summed from theirs (an address's country is the address's): no address is parsed again.
 */
async function sumCaptures(store: CaseStore): Promise<void> {
  await store.run(
    `INSERT INTO ${HOST_GEO_TABLE} (capture_id, ip, country, bytes, packets, flows)
     SELECT $id, ip, country, sum(bytes), sum(packets), sum(flows) FROM ${HOST_GEO_TABLE}
      WHERE capture_id >= 0 GROUP BY ip, country`,
    { id: ALL_CAPTURES },
  );
}
