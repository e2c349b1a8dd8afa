/**
 * hosts.countries and hosts.countryHosts: the public addresses of the filtered flows grouped
 * by the country the offline database gives them, for the world map. Set-based: IPv4
 * addresses are placed by one ASOF JOIN against the country ranges (country-ranges.ts);
 * whole-capture filters read host_geo, the aggregates already placed (host-geo.ts); only IPv6
 * addresses are looked up one by one (geolocation.ts).
 */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type {
  CountriesRequest,
  CountryHosts,
  CountryHostsRequest,
  CountryTraffic,
} from '../../shared/geo-types';
import type { FlowFilter } from '../../shared/query-types';
import type { CaseStore } from '../store/case-store';
import { ensureCountryRanges, ipv4NumberSql, locateIpv4Sql } from './country-ranges';
import type { Geolocation } from './geolocation';
import { ensureHostGeo, HOST_GEO_TABLE } from './host-geo';
import { aggregateRowsFor, hostsSource } from './host-sources';
import type { HostSourceOptions } from './host-sources';
import { integerField, requestObject } from './request-checks';
import { SqlParameters } from './sql-parameters';

/** Most addresses one country's filter may hold (FlowFilter.hosts' limit). */
const MAX_COUNTRY_HOSTS = 10_000;

/**
 * CTEs ending in `located(ip, country, bytes, packets, flows)`: the public addresses of the
 * filtered flows a country range holds; with `ipv6(ip, bytes, packets, flows)` too when the
 * IPv6 addresses are still to be looked up.
 */
interface LocatedSource {
  with: string;
  params: SqlParameters;
  pendingIpv6: boolean;
}

async function locatedSource(
  store: CaseStore,
  filter: FlowFilter | undefined,
  geolocation: Geolocation,
  options: HostSourceOptions,
): Promise<LocatedSource> {
  const params = new SqlParameters();
  const rows = options.exact ? undefined : await aggregateRowsFor(store, filter, params);
  if (rows) {
    await ensureHostGeo(store, geolocation);
    // Several captures: an address's rows add up first (the country is the address's).
    const located =
      rows.kind === 'combined'
        ? `SELECT ip, country, sum(bytes) AS bytes, sum(packets) AS packets, sum(flows) AS flows
             FROM ${HOST_GEO_TABLE} WHERE ${rows.condition} GROUP BY ip, country`
        : `SELECT ip, country, bytes, packets, flows FROM ${HOST_GEO_TABLE} WHERE ${rows.condition}`;
    return { with: `WITH located AS (${located})`, params, pendingIpv6: false };
  }
  await ensureCountryRanges(store);
  const source = await hostsSource(store, filter, { exact: true });
  return {
    with: `${source.with},
     numbered AS MATERIALIZED (SELECT ip, bytes_sent + bytes_received AS bytes, packets_sent + packets_received AS packets, flows,
                         ${ipv4NumberSql('ip')} AS num FROM hosts),
     located AS (${locateIpv4Sql('numbered', 'numbered.ip, numbered.bytes, numbered.packets, numbered.flows')}),
     ipv6 AS (SELECT ip, bytes, packets, flows FROM numbered WHERE ip LIKE '%:%')`,
    params: source.params,
    pendingIpv6: true,
  };
}

/** Bytes, packets, flows and addresses per country, heaviest first. */
export async function countries(
  store: CaseStore,
  input: CountriesRequest,
  geolocation: Geolocation,
  options: HostSourceOptions = {},
): Promise<CountryTraffic[]> {
  const request = requestObject<CountriesRequest>(input, 'hosts.countries');
  const source = await locatedSource(store, request.filter, geolocation, options);
  const rows = await store.rows(
    `${source.with}
     SELECT country, sum(bytes) AS bytes, sum(packets) AS packets, sum(flows) AS flows, count(*) AS hosts, NULL AS ip
       FROM located GROUP BY country
     ${source.pendingIpv6 ? 'UNION ALL SELECT NULL, bytes, packets, flows, 1, ip FROM ipv6' : ''}`,
    source.params.values,
  );
  const byCountry = new Map<string, CountryTraffic>();
  for (const row of rows) {
    const country = row.ip === null ? String(row.country) : geolocation.countryOf(String(row.ip));
    if (!country) continue;
    const entry = byCountry.get(country) ?? { country, bytes: 0, packets: 0, flows: 0, hosts: 0 };
    entry.bytes += Number(row.bytes);
    entry.packets += Number(row.packets);
    entry.flows += Number(row.flows);
    entry.hosts += Number(row.hosts);
    byCountry.set(country, entry);
  }
  return [...byCountry.values()].sort((a, b) => b.bytes - a.bytes || compareText(a.country, b.country));
}

/** Binary text order, as DuckDB's ORDER BY on VARCHAR. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The addresses of one country (heaviest first), to filter the flows to them. */
export async function countryHosts(
  store: CaseStore,
  input: CountryHostsRequest,
  geolocation: Geolocation,
): Promise<CountryHosts> {
  const request = requestObject<CountryHostsRequest>(input, 'hosts.countryHosts');
  if (typeof request.country !== 'string' || !/^[A-Z]{2}$/.test(request.country)) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected country to be an ISO 3166-1 alpha-2 code such as 'DE', found ${JSON.stringify(request.country)?.slice(0, 40)}`,
    );
  }
  const limit = integerField(request.limit, 'limit', {
    min: 1,
    max: MAX_COUNTRY_HOSTS,
    fallback: MAX_COUNTRY_HOSTS,
  });
  const source = await locatedSource(store, request.filter, geolocation, {});
  const country = source.params.add(request.country);
  const rows = await store.rows(
    `${source.with}
     SELECT ip, bytes FROM (SELECT ip, bytes FROM located WHERE country = ${country}
                             ORDER BY bytes DESC, ip LIMIT ${source.params.add(limit + 1)})
     ${source.pendingIpv6 ? 'UNION ALL SELECT ip, bytes FROM ipv6' : ''}`,
    source.params.values,
  );
  const hosts = rows
    .map((row) => ({ ip: String(row.ip), bytes: Number(row.bytes), v6: String(row.ip).includes(':') }))
    .filter((host) => !source.pendingIpv6 || !host.v6 || geolocation.countryOf(host.ip) === request.country)
    .sort((a, b) => b.bytes - a.bytes || compareText(a.ip, b.ip));
  return { addresses: hosts.slice(0, limit).map((host) => host.ip), truncated: hosts.length > limit };
}
