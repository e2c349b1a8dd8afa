/**
 * End to end in browser mode (issue #4, labels): select rows in the flows grid, label them
 * with a keyboard shortcut, label every row matching a filter, see the label column and the
 * Labels view's counts change, undo. Counts are checked against DuckDB directly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowlabService } from '../../src/main/service/flowlab-service';
import { parseCount } from './page-checks';
import { browserAvailable, openBrowserSession } from './browser-session';
import type { BrowserSession } from './browser-session';

const FIXTURES = ['dns_lab_with_nxdomain.pcapng', 'tls_firefox_ntop_org.pcap'];

describe.skipIf(!browserAvailable('labels-browser e2e'))('browser mode: labeling from the flows grid', () => {
  let temporary: string;
  let service: FlowlabService;
  let session: BrowserSession;
  let page: Page;

  const labelCounts = async (): Promise<Record<string, number>> => {
    const rows = await service.store.rows(
      'SELECT label, count(*) AS n FROM flow_labels_current GROUP BY label',
    );
    return Object.fromEntries(rows.map((row) => [String(row.label), Number(row.n)]));
  };
  const flowCount = async (where: string): Promise<number> =>
    Number((await service.store.rows(`SELECT count(*) AS n FROM flows WHERE ${where}`))[0]!.n);
  const gridRow = (index: number) =>
    page.locator(`[data-testid=flows-grid] [role=row][row-index="${index}"]:has([col-id=src_ip])`);
  const applied = () =>
    page.waitForResponse((response) => response.url().endsWith('/api/labels.apply'), { timeout: 20_000 });
  const shownClassCount = (label: string) => async () => {
    const cell = page.getByTestId(`class-count-${label}`);
    return (await cell.count()) ? Number((await cell.textContent())!.replaceAll(',', '')) : 0;
  };

  beforeAll(async () => {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-e2e-labels-'));
    service = await FlowlabService.open(path.join(temporary, 'case.duckdb'));
    for (const fixture of FIXTURES)
      await service.ingest(path.resolve(import.meta.dirname, '../fixtures/pcaps', fixture));
    session = await openBrowserSession(service, temporary, { width: 1500, height: 900 });
    page = session.page;
    await page.goto(session.server.url);
    await page.getByRole('tab', { name: 'Flows' }).click();
    await gridRow(2).waitFor({ timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await service?.close();
    if (temporary) rmSync(temporary, { recursive: true, force: true, maxRetries: 3 });
  });

  it('labels rows selected with click and Ctrl+click using the M shortcut', async () => {
    // Each click is waited for in the label bar before the next: under load a click that lands
    // while the grid is still handling the previous one can otherwise be lost.
    const selected = (count: number) =>
      expect
        .poll(() => page.getByTestId('label-bar').textContent(), { timeout: 20_000 })
        .toContain(`Label ${count} selected`);
    await gridRow(0).locator('[col-id=src_ip]').click();
    await selected(1);
    await gridRow(1)
      .locator('[col-id=src_ip]')
      .click({ modifiers: ['Control'] });
    await selected(2);
    const total = await flowCount('true');
    await gridRow(total - 1)
      .locator('[col-id=src_ip]')
      .click({ modifiers: ['Control'] });
    await selected(3);
    const response = applied();
    await page.keyboard.press('m');
    const request = (await response).request().postDataJSON() as {
      target: { flowIds: number[] };
      label: string;
      source: string;
    };
    expect(request).toMatchObject({ label: 'malicious', source: 'manual' });
    // The grid is sorted by flow_id: the first two rows and the last are the labeled flows.
    const ordered = (await service.store.rows('SELECT flow_id FROM flows ORDER BY flow_id')).map((row) =>
      Number(row.flow_id),
    );
    expect([...request.target.flowIds].sort()).toEqual([ordered[0], ordered[1], ordered.at(-1)].sort());
    expect(await labelCounts()).toEqual({ malicious: 3 });
    await expect.poll(() => page.getByTestId('label-status').textContent()).toContain('3 flows');
    await expect.poll(() => gridRow(1).locator(`[col-id=__label]`).textContent()).toBe('malicious');
  });

  it('labels every row matching the filter with Shift+B, and the Labels view counts follow', async () => {
    const box = page.getByLabel('Quick filter expression');
    await box.fill('dst_port = 53');
    await box.press('Enter');
    const dns = await flowCount('dst_port = 53');
    await expect
      .poll(async () => parseCount(await page.getByTestId('flow-count').textContent()), { timeout: 20_000 })
      .toBe(dns);
    await gridRow(0).locator('[col-id=src_ip]').click();
    const response = applied();
    await page.keyboard.press('Shift+B');
    const request = (await response).request().postDataJSON() as {
      target: { filter: { expression: string } };
    };
    expect(request.target.filter.expression).toBe('dst_port = 53');
    const counts = await labelCounts();
    expect(counts.benign).toBe(dns);
    // The three flows labeled malicious keep it unless the filter matched them (a manual act wins).
    const ordered = await service.store.rows('SELECT dst_port FROM flows ORDER BY flow_id');
    const maliciousOutsideDns = [ordered[0]!, ordered[1]!, ordered.at(-1)!].filter(
      (row) => Number(row.dst_port) !== 53,
    ).length;
    expect(maliciousOutsideDns).toBeGreaterThan(0);
    expect(counts.malicious ?? 0).toBe(maliciousOutsideDns);

    await page.getByRole('tab', { name: 'Labels' }).click();
    await expect.poll(shownClassCount('benign'), { timeout: 20_000 }).toBe(dns);
    await expect.poll(shownClassCount('malicious')).toBe(maliciousOutsideDns);
    const total = await flowCount('true');
    await expect.poll(shownClassCount('unlabeled')).toBe(total - dns - maliciousOutsideDns);
    await expect.poll(() => page.getByTestId('label-activity').textContent()).toContain('benign');

    // Undo from the Labels view: the benign act goes, the counts change back.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(shownClassCount('benign'), { timeout: 20_000 }).toBe(0);
    await expect.poll(shownClassCount('malicious')).toBe(3);
    expect(await labelCounts()).toEqual({ malicious: 3 });
  });
});
