/**
 * host_geo: the per-capture host aggregates (host_stats) of public addresses, each with its
 * country, as a TEMP table of the case's connection. Placing 3.6 M addresses takes a few
 * seconds of DuckDB time (mostly turning the text into numbers), so it is done once per process
 * and per state of the aggregates, and the world map of a whole-capture filter is then a
 * GROUP BY over it. Filters that need the exact query place their own hosts
 * (country-queries.ts).
 */
import { listValue } from '@duckdb/node-api';
import type { CaseStore } from '../store/case-store';
import { ensureCountryRanges, ipv4NumberSql, locateIpv4Sql } from './country-ranges';
import type { Geolocation } from './geolocation';

/** (capture_id, ip, country, bytes, packets, flows): host_stats rows with a country. */
export const HOST_GEO_TABLE = 'host_geo';

interface Build {
  stamp: string;
  done: Promise<void>;
}

const builds = new WeakMap<CaseStore, Build>();

/** Which aggregates host_geo was built from: changes with every aggregate build or removal. */
async function aggregatesStamp(store: CaseStore): Promise<string> {
  const rows = await store.rows(
    `SELECT string_agg(concat_ws(':', capture_id, flows, covers, epoch_us(built_at)), ',' ORDER BY capture_id) AS stamp
       FROM host_aggregates`,
  );
  return String(rows[0]?.stamp ?? '');
}

/** Builds host_geo unless it is up to date with the aggregates (concurrent callers share a build). */
export async function ensureHostGeo(store: CaseStore, geolocation: Geolocation): Promise<void> {
  await ensureCountryRanges(store);
  const stamp = await aggregatesStamp(store);
  const known = builds.get(store);
  if (known?.stamp === stamp) return known.done;
  // One build at a time on the connection: a newer one waits for the older one.
  const previous = known?.done.catch(() => undefined) ?? Promise.resolve();
  const done = previous.then(() => buildHostGeo(store, geolocation));
  const build = { stamp, done };
  builds.set(store, build);
  done.catch(() => {
    if (builds.get(store) === build) builds.delete(store);
  });
  return done;
}

async function buildHostGeo(store: CaseStore, geolocation: Geolocation): Promise<void> {
  // Two statements: the addresses are parsed once into a table, then joined (in one statement
  // DuckDB re-evaluated the parse at every use of the number: ~10x slower).
  await store.run(
    `CREATE OR REPLACE TEMP TABLE host_geo_numbered AS
     SELECT capture_id, ip, coalesce(bytes_sent, 0) + coalesce(bytes_received, 0) AS bytes,
            coalesce(packets_sent, 0) + coalesce(packets_received, 0) AS packets, flows, ${ipv4NumberSql('ip')} AS num
       FROM host_stats WHERE ip NOT LIKE '%:%'`,
  );
  try {
    await store.run(
      `CREATE OR REPLACE TEMP TABLE ${HOST_GEO_TABLE} AS
       ${locateIpv4Sql('host_geo_numbered', 'host_geo_numbered.capture_id, host_geo_numbered.ip, host_geo_numbered.bytes, host_geo_numbered.packets, host_geo_numbered.flows')}`,
    );
  } finally {
    await store.run('DROP TABLE IF EXISTS host_geo_numbered');
  }
  // IPv6 (a few thousand in a large capture): the per-address look-up of geolocation.ts.
  const ipv6 = await store.rows(
    `SELECT capture_id, ip, coalesce(bytes_sent, 0) + coalesce(bytes_received, 0) AS bytes,
            coalesce(packets_sent, 0) + coalesce(packets_received, 0) AS packets, flows
       FROM host_stats WHERE ip LIKE '%:%'`,
  );
  const located = ipv6.flatMap((row) => {
    const country = geolocation.countryOf(String(row.ip));
    return country ? [{ row, country }] : [];
  });
  if (!located.length) return;
  // List parameters, unnested side by side (thousands of scalar parameters make the binder crawl).
  await store.run(
    `INSERT INTO ${HOST_GEO_TABLE} (capture_id, ip, country, bytes, packets, flows)
     SELECT unnest($capture), unnest($ip), unnest($country), CAST(unnest($bytes) AS HUGEINT),
            CAST(unnest($packets) AS HUGEINT), CAST(unnest($flows) AS BIGINT)`,
    {
      capture: listValue(located.map(({ row }) => Number(row.capture_id))),
      ip: listValue(located.map(({ row }) => String(row.ip))),
      country: listValue(located.map(({ country }) => country)),
      bytes: listValue(located.map(({ row }) => String(row.bytes))),
      packets: listValue(located.map(({ row }) => String(row.packets))),
      flows: listValue(located.map(({ row }) => String(row.flows))),
    },
  );
}
