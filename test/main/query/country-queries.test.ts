import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandlers } from '../../../src/main/query/api-handlers';
import type { ApiHandlersWithIngest } from '../../../src/main/query/api-handlers';
import { Geolocation } from '../../../src/main/query/geolocation';
import type { FlowlabService } from '../../../src/main/service/flowlab-service';
import { buildSyntheticCase } from './synthetic-case';

describe('issue #3 - hosts.countries and hosts.countryHosts (world map)', () => {
  let dir: string;
  let service: FlowlabService;
  let handlers: ApiHandlersWithIngest;
  const geolocation = Geolocation.load();
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-countries-'));
    ({ service } = await buildSyntheticCase(dir));
    handlers = createApiHandlers(service, { emit: () => {} });
    await geolocation.ready();
  });
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sums the public hosts of hosts.page per country of the offline database', async () => {
    const page = await handlers['hosts.page']({ filter: {}, offset: 0, limit: 1000 });
    const expected = new Map<string, { bytes: number; packets: number; flows: number; hosts: number }>();
    for (const row of page.rows) {
      const country = geolocation.lookup(row.ip).country;
      if (!country) continue;
      const entry = expected.get(country) ?? { bytes: 0, packets: 0, flows: 0, hosts: 0 };
      entry.bytes += row.bytesSent + row.bytesReceived;
      entry.packets += row.packetsSent + row.packetsReceived;
      entry.flows += row.flows;
      entry.hosts += 1;
      expected.set(country, entry);
    }
    // 93.184.216.34, 8.8.8.8, 2001:4860:4860::8888 and 2001:db8::1 (documentation prefix, which the
    // database places in JP) have a country; 224.0.0.251 and the private addresses do not.
    expect([...expected.values()].reduce((sum, entry) => sum + entry.hosts, 0)).toBe(4);
    const countries = await handlers['hosts.countries']({ filter: {} });
    expect(new Map(countries.map(({ country, ...rest }) => [country, rest]))).toEqual(expected);
    expect(countries.map((entry) => entry.bytes)).toEqual(
      [...countries.map((entry) => entry.bytes)].sort((a, b) => b - a),
    );
  });

  it("follows the filter, and lists a country's addresses for the flows filter", async () => {
    const udp = await handlers['hosts.countries']({ filter: { expression: 'protocol = 17' } });
    const google = geolocation.lookup('8.8.8.8').country!;
    expect(udp).toEqual([{ country: google, bytes: 200, packets: 2, flows: 1, hosts: 1 }]);
    const hosts = await handlers['hosts.countryHosts']({ filter: {}, country: google });
    expect(hosts.truncated).toBe(false);
    expect(hosts.addresses).toContain('8.8.8.8');
    const flows = await handlers['flows.count']({ filter: { hosts: hosts.addresses } });
    expect(flows.count).toBeGreaterThanOrEqual(1);
    const one = await handlers['hosts.countryHosts']({ filter: {}, country: google, limit: 1 });
    expect(one.addresses.length).toBe(1);
    expect(one.truncated).toBe(hosts.addresses.length > 1);
  });

  it('refuses a country that is not an ISO alpha-2 code', async () => {
    for (const country of ['de', 'DEU', "D'", '', 7, null])
      await expect(handlers['hosts.countryHosts']({ filter: {}, country } as never)).rejects.toThrow(
        /ISO 3166-1 alpha-2/,
      );
  });
});
