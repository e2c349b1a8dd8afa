/**
 * hosts.countries and hosts.countryHosts: the public addresses of the filtered flows grouped
 * by the country the offline database gives them (geolocation.ts), for the world map.
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
import type { Geolocation } from './geolocation';
import { hostsSource } from './host-sources';
import type { HostSourceOptions } from './host-sources';
import { integerField, requestObject } from './request-checks';

/** Most addresses one country's filter may hold (FlowFilter.hosts' limit). */
const MAX_COUNTRY_HOSTS = 10_000;

/**
 * A cheap SQL pre-filter dropping addresses that are certainly not public (RFC 1918 10/8 and
 * 192.168/16, loopback, link-local, IPv6 link-local and ULA); Geolocation.lookup (via
 * isExternalAddress) stays the judge of the rest. Only the canonical text the store writes.
 */
const CERTAINLY_PRIVATE = [
  "ip LIKE '10.%'",
  "ip LIKE '192.168.%'",
  "ip LIKE '127.%'",
  "ip LIKE '169.254.%'",
  // fc00::/7 and fe80::/10 with their first group written in full (RFC 5952 text).
  "regexp_matches(ip, '^(f[cd][0-9a-f]{2}|fe[89ab][0-9a-f]):')",
].join(' OR ');

interface LocatedHost {
  ip: string;
  country: string;
  bytes: number;
  packets: number;
  flows: number;
}

/** Every address of the filtered flows that the database places in a country, heaviest first. */
async function locatedHosts(
  store: CaseStore,
  filter: FlowFilter | undefined,
  geolocation: Geolocation,
  options: HostSourceOptions,
): Promise<LocatedHost[]> {
  const source = await hostsSource(store, filter, options);
  await geolocation.ready();
  const rows = await store.rows(
    `${source.with} SELECT ip, bytes_sent + bytes_received AS bytes, packets_sent + packets_received AS packets, flows
       FROM hosts WHERE NOT (${CERTAINLY_PRIVATE}) ORDER BY bytes DESC, ip`,
    source.params.values,
  );
  const located: LocatedHost[] = [];
  for (const row of rows) {
    const ip = String(row.ip);
    const country = geolocation.lookup(ip).country;
    if (country)
      located.push({
        ip,
        country,
        bytes: Number(row.bytes),
        packets: Number(row.packets),
        flows: Number(row.flows),
      });
  }
  return located;
}

/** Bytes, packets, flows and addresses per country, heaviest first. */
export async function countries(
  store: CaseStore,
  input: CountriesRequest,
  geolocation: Geolocation,
  options: HostSourceOptions = {},
): Promise<CountryTraffic[]> {
  const request = requestObject<CountriesRequest>(input, 'hosts.countries');
  const byCountry = new Map<string, CountryTraffic>();
  for (const host of await locatedHosts(store, request.filter, geolocation, options)) {
    const entry = byCountry.get(host.country) ?? {
      country: host.country,
      bytes: 0,
      packets: 0,
      flows: 0,
      hosts: 0,
    };
    entry.bytes += host.bytes;
    entry.packets += host.packets;
    entry.flows += host.flows;
    entry.hosts += 1;
    byCountry.set(host.country, entry);
  }
  return [...byCountry.values()].sort((a, b) => b.bytes - a.bytes || a.country.localeCompare(b.country));
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
  const hosts = (await locatedHosts(store, request.filter, geolocation, {})).filter(
    (host) => host.country === request.country,
  );
  return { addresses: hosts.slice(0, limit).map((host) => host.ip), truncated: hosts.length > limit };
}
