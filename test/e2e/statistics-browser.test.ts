/**
 * End to end in browser mode (issue #5, exploratory statistics): describe a column and see the
 * profile table and its histogram drawn, draw the correlation heatmap, compare the column
 * between malicious and benign flows (t-test, KS) and fit a linear regression, all from the
 * Statistics view. Expected numbers come from DuckDB directly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyLabels } from '../../src/main/labels/apply-labels';
import { FlowlabService } from '../../src/main/service/flowlab-service';
import { browserAvailable, openBrowserSession } from './browser-session';
import type { BrowserSession } from './browser-session';
import { canvasInk } from './page-checks';

const FIXTURES = ['ftp_bruteforce.pcap', 'dns_lab_with_nxdomain.pcapng', 'tls_firefox_ntop_org.pcap'];

describe.skipIf(!browserAvailable('statistics-browser e2e'))('browser mode: the Statistics view', () => {
  let temporary: string;
  let service: FlowlabService;
  let session: BrowserSession;
  let page: Page;
  let shots: string;
  const shoot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  const scalar = async (sql: string): Promise<number> =>
    Number(Object.values((await service.store.rows(sql))[0]!)[0]);
  /** The cells of the row named `name` in the table with test id `table`. */
  const tableRow = async (table: string, name: string): Promise<string[]> =>
    page
      .locator(`[data-testid=${table}] tbody tr`)
      .filter({ has: page.locator('th', { hasText: new RegExp(`^${name}$`) }) })
      .locator('td')
      .allTextContents();

  beforeAll(async () => {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-e2e-statistics-'));
    shots = path.join(temporary, 'screenshots');
    console.info(`statistics-browser screenshots: ${shots} (kept with FLOWLAB_KEEP_E2E=1)`);
    service = await FlowlabService.open(path.join(temporary, 'case.duckdb'));
    for (const fixture of FIXTURES)
      await service.ingest(path.resolve(import.meta.dirname, '../fixtures/pcaps', fixture));
    // Ground truth for the comparison: the FTP brute force is malicious, everything else benign.
    await applyLabels(service.store, {
      target: { filter: { expression: 'dst_port = 21' } },
      label: 'malicious',
      source: 'manual',
    });
    await applyLabels(service.store, {
      target: { filter: { expression: 'not dst_port = 21' } },
      label: 'benign',
      source: 'manual',
    });
    session = await openBrowserSession(service, temporary, { width: 1500, height: 1100 });
    page = session.page;
    await page.goto(session.server.url);
    await page.getByRole('tab', { name: 'Statistics' }).click();
    await page
      .getByTestId('stats-column')
      .locator('option', { hasText: /^bidirectional_bytes$/ })
      .waitFor({ state: 'attached', timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await service?.close();
    if (process.env.FLOWLAB_KEEP_E2E !== '1' && temporary)
      rmSync(temporary, { recursive: true, force: true, maxRetries: 3 });
  });

  it('describes a column: the profile agrees with DuckDB and the histogram is drawn', async () => {
    await page.getByTestId('stats-column').selectOption('bidirectional_bytes');
    await page.getByTestId('stats-describe').click();
    await page.getByTestId('profile-table').waitFor({ timeout: 30_000 });
    expect(await tableRow('profile-table', 'count')).toEqual([
      String(await scalar('SELECT count(bidirectional_bytes) FROM flows')),
    ]);
    expect(await tableRow('profile-table', 'max')).toEqual([
      String(await scalar('SELECT max(bidirectional_bytes) FROM flows')),
    ]);
    await expect
      .poll(
        async () => (await canvasInk(page, '.stats-chart canvas')).some((canvas) => canvas.painted > 50),
        { timeout: 30_000 },
      )
      .toBe(true);
    // One histogram: no grouping was chosen.
    expect(await page.locator('.stats-chart').count()).toBe(1);
    await shoot('describe');
  });

  it('draws the correlation heatmap of the chosen columns', async () => {
    await page.getByRole('button', { name: 'Correlation matrix' }).click();
    await expect
      .poll(
        async () => (await canvasInk(page, '.stats-heatmap canvas')).some((canvas) => canvas.painted > 200),
        { timeout: 30_000 },
      )
      .toBe(true);
    await shoot('correlation');
  });

  it('compares the column between malicious and benign flows with a t-test and a KS test', async () => {
    await page.getByTestId('stats-compare').click();
    await page.getByTestId('compare-table').waitFor({ timeout: 30_000 });
    const malicious = await scalar(
      "SELECT count(bidirectional_bytes) FROM flows JOIN flow_labels_current USING (flow_id) WHERE label = 'malicious'",
    );
    const benign = await scalar(
      "SELECT count(bidirectional_bytes) FROM flows JOIN flow_labels_current USING (flow_id) WHERE label = 'benign'",
    );
    expect(malicious).toBe(30);
    expect(await tableRow('compare-table', 'count')).toEqual([String(malicious), String(benign)]);
    const meanA = await scalar(
      "SELECT avg(bidirectional_bytes) FROM flows JOIN flow_labels_current USING (flow_id) WHERE label = 'malicious'",
    );
    expect(Number((await tableRow('compare-table', 'mean'))[0])).toBeCloseTo(meanA, 2);
    const [tText, tP] = await tableRow('compare-table', 'Welch t-test');
    expect(tText).toMatch(/^t = -?[\d.e+-]+, df = [\d.e+-]+$/);
    expect(tP).toMatch(/^p = [\d.e+-]+$/);
    const [ksText] = await tableRow('compare-table', 'KS two-sample');
    expect(ksText).toContain(`(n = ${malicious}, ${benign})`);
    await shoot('compare');
    expect(session.errors).toEqual([]);
  });

  it('fits a linear regression of the column on others', async () => {
    await page.getByLabel('Explanatory columns').fill('bidirectional_packets');
    await page.getByTestId('stats-regress').click();
    await page.getByTestId('regression-table').waitFor({ timeout: 30_000 });
    const slope = await scalar('SELECT regr_slope(bidirectional_bytes, bidirectional_packets) FROM flows');
    const r2 = await scalar('SELECT regr_r2(bidirectional_bytes, bidirectional_packets) FROM flows');
    const [estimate] = await tableRow('regression-table', 'bidirectional_packets');
    expect(Number(estimate)).toBeCloseTo(slope, 2);
    const summary = await page.getByTestId('regression-summary').textContent();
    expect(summary).toContain(`R² ${r2.toPrecision(6)} ·`);
    await shoot('regression');
    expect(session.errors).toEqual([]);
  });
});
