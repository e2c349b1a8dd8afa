/**
 * End to end in browser mode (issue #5, detections): run the detectors over fixture captures
 * from the Detections view, see the findings table with the expected kinds, open one finding,
 * show its flows in the flows grid (narrowed to exactly the finding's flows) and label them
 * through "Label these…". Expected numbers come from the backend (runDetections, DuckDB).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/shared/detect-types';
import { runDetections } from '../../src/main/detect/run-detections';
import { flowsCount } from '../../src/main/query/flow-queries';
import { FlowlabService } from '../../src/main/service/flowlab-service';
import { browserAvailable, openBrowserSession } from './browser-session';
import type { BrowserSession } from './browser-session';
import { parseCount } from './page-checks';

const FIXTURES = ['ftp_bruteforce.pcap', 'dns_tunnel_iodine.pcap', 'icmp_sweep_portscan.pcap'];

describe.skipIf(!browserAvailable('detections-browser e2e'))('browser mode: the Detections view', () => {
  let temporary: string;
  let service: FlowlabService;
  let session: BrowserSession;
  let page: Page;
  let expected: Finding[];
  let shots: string;
  const shoot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`) });

  beforeAll(async () => {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-e2e-detections-'));
    shots = path.join(temporary, 'screenshots');
    console.info(`detections-browser screenshots: ${shots} (kept with FLOWLAB_KEEP_E2E=1)`);
    service = await FlowlabService.open(path.join(temporary, 'case.duckdb'));
    for (const fixture of FIXTURES)
      await service.ingest(path.resolve(import.meta.dirname, '../fixtures/pcaps', fixture));
    expected = (await runDetections(service.store)).findings;
    session = await openBrowserSession(service, temporary, { width: 1500, height: 950 });
    page = session.page;
    await page.goto(session.server.url);
    await page.getByRole('tab', { name: 'Detections' }).click();
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await service?.close();
    if (process.env.FLOWLAB_KEEP_E2E !== '1' && temporary)
      rmSync(temporary, { recursive: true, force: true, maxRetries: 3 });
  });

  const rows = () => page.locator('[data-testid=findings-table] tbody tr');

  it('runs the detectors and lists every finding with its kind, best first', async () => {
    await page.getByTestId('run-detections').click();
    await expect.poll(() => rows().count(), { timeout: 60_000 }).toBe(expected.length);
    const kinds = await rows().locator('td:nth-child(2)').allTextContents();
    expect(kinds).toEqual(expected.map((finding) => finding.kind));
    // What a person expects of these captures.
    expect(kinds).toEqual(expect.arrayContaining(['brute-force', 'dns-tunnel', 'host-sweep']));
    const scores = (await rows().locator('td:nth-child(1)').allTextContents()).map(Number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    await shoot('detections');
    expect(session.errors).toEqual([]);
  });

  it('opens a finding, shows exactly its flows in the flows grid', async () => {
    const bruteForce = expected.find((finding) => finding.kind === 'brute-force')!;
    await rows().filter({ hasText: 'brute-force' }).first().click();
    const details = page.getByTestId('finding-details');
    await expect.poll(() => details.textContent()).toContain(bruteForce.summary);
    await expect.poll(() => details.textContent()).toContain(bruteForce.why[0]!);
    await shoot('finding');
    const { count: inDuckDb } = await flowsCount(service.store, { filter: bruteForce.filter });
    expect(inDuckDb).toBe(bruteForce.flows);
    await details.getByRole('button', { name: `Show ${bruteForce.flows} flows` }).click();
    await expect
      .poll(async () => parseCount(await page.getByTestId('flow-count').textContent()), { timeout: 30_000 })
      .toBe(bruteForce.flows);
    const { count: total } = await flowsCount(service.store, { filter: {} });
    expect(total).toBeGreaterThan(bruteForce.flows);
    // Every row of the grid is a flow of the brute force: FTP from the attacker.
    const sourceCells = page.locator(
      '[data-testid=flows-grid] [role=row]:has([col-id=src_ip]) [col-id=src_ip]',
    );
    const shownSources = async () => (await sourceCells.allTextContents()).filter((text) => /\d/.test(text));
    await expect.poll(async () => (await shownSources()).length, { timeout: 30_000 }).toBeGreaterThan(5);
    expect(new Set(await shownSources())).toEqual(new Set([bruteForce.src_ip]));
    await shoot('finding-flows');
  });

  it('"Label these…" proposes the kind\'s class and labels the finding\'s flows once confirmed', async () => {
    const tunnel = expected.find((finding) => finding.kind === 'dns-tunnel')!;
    await page.getByRole('tab', { name: 'Detections' }).click();
    await rows().filter({ hasText: 'dns-tunnel' }).first().click();
    const details = page.getByTestId('finding-details');
    await details.getByRole('button', { name: 'Label these…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm label' });
    await expect.poll(() => dialog.getByRole('textbox').inputValue()).toBe('dns-tunnel');
    // Nothing is labeled before the analyst confirms.
    expect(await service.store.rows('SELECT * FROM flow_labels_current')).toEqual([]);
    await shoot('label-proposal');
    const applied = page.waitForResponse((response) => response.url().endsWith('/api/labels.apply'), {
      timeout: 20_000,
    });
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await applied;
    const labeled = await service.store.rows(
      'SELECT label, source, count(*) AS n FROM flow_labels_current GROUP BY ALL',
    );
    expect(labeled).toEqual([{ label: 'dns-tunnel', source: 'detection', n: tunnel.flows }]);
    await expect.poll(() => details.textContent()).toContain('Labeled');
    expect(session.errors).toEqual([]);
  });
});
