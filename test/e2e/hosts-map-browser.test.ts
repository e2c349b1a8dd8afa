/**
 * issue #3 end to end in browser mode: the Hosts view's endpoints table (with country and AS
 * columns), the world map of external peers and the host graph render with ink on their
 * canvases; clicking a coloured country filters the flows to that country's addresses.
 * Screenshots go to a temporary directory (path printed; FLOWLAB_KEEP_E2E=1 keeps it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowFilter } from '../../src/shared/query-types';
import { Geolocation } from '../../src/main/query/geolocation';
import { FlowlabService } from '../../src/main/service/flowlab-service';
import { canvasInk } from './page-checks';
import { browserAvailable, openBrowserSession } from './browser-session';
import type { BrowserSession } from './browser-session';

/** Captures with public peers (ntop.org, Google, DNS resolvers). */
const FIXTURES = [
  'tls_firefox_ntop_org.pcap',
  'ipv6_http_tls_gquic_dualstack.pcap',
  'dns_lab_with_nxdomain.pcapng',
];

/** A pixel of the map canvas painted in the byte scale's blues (a country with traffic), away from the legend. */
async function colouredCountryPixel(page: Page): Promise<{ x: number; y: number } | undefined> {
  return page.$eval('[data-testid=world-map] canvas', (element) => {
    const canvas = element as HTMLCanvasElement;
    const context = canvas.getContext('2d')!;
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    const scale = canvas.width / canvas.getBoundingClientRect().width;
    const blue = (x: number, y: number): boolean => {
      const offset = (y * width + x) * 4;
      const [red, green, blueValue] = [data[offset]!, data[offset + 1]!, data[offset + 2]!];
      return blueValue > 150 && blueValue - red > 60 && blueValue - green > 20;
    };
    // The pixel deepest inside a coloured area (most blue pixels around it), not on a border.
    let best: { x: number; y: number; score: number } | undefined;
    for (let y = Math.floor(height * 0.15); y < height * 0.9; y += 2) {
      for (let x = Math.floor(width * 0.12); x < width * 0.95; x += 2) {
        if (!blue(x, y)) continue;
        let score = 0;
        for (let dy = -4; dy <= 4; dy += 2)
          for (let dx = -4; dx <= 4; dx += 2) if (blue(x + dx, y + dy)) score++;
        if (!best || score > best.score) best = { x, y, score };
      }
    }
    if (best) return { x: best.x / scale, y: best.y / scale };
    return undefined;
  });
}

describe.skipIf(!browserAvailable('hosts-map e2e'))('issue #3 - hosts view, world map and host graph in browser mode', () => {
  let temporary: string;
  let shots: string;
  let service: FlowlabService;
  let session: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-e2e-hosts-'));
    shots = path.join(temporary, 'screenshots');
    service = await FlowlabService.open(path.join(temporary, 'case.duckdb'));
    for (const fixture of FIXTURES)
      await service.ingest(path.resolve(import.meta.dirname, '../fixtures/pcaps', fixture));
    session = await openBrowserSession(service, temporary);
    page = session.page;
    console.info(`hosts/map screenshots: ${shots}`);
  }, 240_000);

  afterAll(async () => {
    await session?.close();
    await service?.close();
    if (process.env.FLOWLAB_KEEP_E2E !== '1' && temporary)
      rmSync(temporary, { recursive: true, force: true, maxRetries: 3 });
  });

  it('renders the endpoints table with countries and AS, the world map and the host graph', async () => {
    await page.goto(session.server.url);
    await page.getByRole('tab', { name: 'Hosts' }).click();
    const rows = page.locator('[data-testid=hosts-table] [role=row][row-index]');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(3);
    // A public peer's row shows its country and AS, as the offline databases give them.
    const hosts = await service.store.rows(
      'SELECT DISTINCT dst_ip AS ip FROM flows WHERE dst_ip IS NOT NULL',
    );
    const geolocation = Geolocation.load();
    await geolocation.ready();
    const located = hosts
      .map((row) => ({ ip: String(row.ip), ...geolocation.lookup(String(row.ip)) }))
      .find((host) => host.country && host.asn);
    expect(located, 'a fixture peer with a country and an AS').toBeDefined();
    const table = page.getByTestId('hosts-table');
    await expect.poll(() => table.textContent(), { timeout: 20_000 }).toContain('Country');
    await expect.poll(() => table.textContent(), { timeout: 20_000 }).toContain(String(located!.asn));
    await expect
      .poll(
        async () =>
          (await canvasInk(page, '[data-testid=world-map] canvas')).some((canvas) => canvas.painted > 200),
        { timeout: 30_000 },
      )
      .toBe(true);
    await expect
      .poll(
        async () =>
          (await canvasInk(page, '[data-testid=host-graph] canvas')).some((canvas) => canvas.painted > 20),
        { timeout: 30_000 },
      )
      .toBe(true);
    await expect.poll(() => colouredCountryPixel(page), { timeout: 20_000 }).toBeDefined();
    await page.screenshot({ path: path.join(shots, 'hosts-map-graph.png') });
  });

  it('a click on a coloured country filters the flows to its addresses', async () => {
    const pixel = (await colouredCountryPixel(page))!;
    const box = (await page.locator('[data-testid=world-map] canvas').first().boundingBox())!;
    const asked = page.waitForRequest((request) => request.url().endsWith('/api/hosts.countryHosts'), {
      timeout: 20_000,
    });
    const counted = page.waitForRequest(
      (request) => request.url().endsWith('/api/flows.count') || request.url().endsWith('/api/hosts.graph'),
      { timeout: 20_000 },
    );
    await page.mouse.move(box.x + pixel.x, box.y + pixel.y);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, 'hosts-country-hover.png') });
    await page.mouse.click(box.x + pixel.x, box.y + pixel.y);
    const { country } = (await asked).postDataJSON() as { country: string };
    expect(country).toMatch(/^[A-Z]{2}$/);
    const filter = ((await counted).postDataJSON() as { filter: FlowFilter }).filter;
    expect(filter.hosts?.length).toBeGreaterThan(0);
    const geolocation = Geolocation.load();
    for (const host of filter.hosts!) expect(geolocation.lookup(host).country, host).toBe(country);
    const chips = page.locator('.chip-label');
    await expect
      .poll(() => chips.allTextContents(), { timeout: 20_000 })
      .toEqual(
        expect.arrayContaining([
          filter.hosts!.length > 3 ? `${filter.hosts!.length} hosts` : `host ${filter.hosts![0]}`,
        ]),
      );
    await page.screenshot({ path: path.join(shots, 'hosts-country-filtered.png') });
  });

  it('logs no console errors', () => {
    expect(session.errors).toEqual([]);
  });
});
