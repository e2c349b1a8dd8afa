/**
 * The reference for the world map's answers: hosts.page's exact rows looked up one by one in
 * the mmdb (the former per-address path), summed per country.
 */
import type { Geolocation } from '../../../src/main/query/geolocation';
import { hostsPage } from '../../../src/main/query/host-queries';
import type { CaseStore } from '../../../src/main/store/case-store';
import type { CountryTraffic } from '../../../src/shared/geo-types';
import type { FlowFilter } from '../../../src/shared/query-types';

export async function lookedUpCountries(
  store: CaseStore,
  filter: FlowFilter,
  geolocation: Geolocation,
): Promise<CountryTraffic[]> {
  const page = await hostsPage(store, { filter, offset: 0, limit: 10_000 }, undefined, { exact: true });
  const byCountry = new Map<string, CountryTraffic>();
  for (const row of page.rows) {
    const country = geolocation.lookup(row.ip).country;
    if (!country) continue;
    const entry = byCountry.get(country) ?? { country, bytes: 0, packets: 0, flows: 0, hosts: 0 };
    entry.bytes += row.bytesSent + row.bytesReceived;
    entry.packets += row.packetsSent + row.packetsReceived;
    entry.flows += row.flows;
    entry.hosts += 1;
    byCountry.set(country, entry);
  }
  return [...byCountry.values()].sort((a, b) => b.bytes - a.bytes || (a.country < b.country ? -1 : 1));
}
