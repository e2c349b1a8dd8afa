/**
 * End to end in browser mode (issue #4): with rows selected in the flows grid, the Export
 * dialog's carve action says it carves the selected flows and carves exactly them (here from a
 * pcapng capture into a .pcap, which converts); without a selection it carves the filter.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowlabService } from '../../src/main/service/flowlab-service';
import { browserAvailable, openBrowserSession } from './browser-session';
import type { BrowserSession } from './browser-session';

describe.skipIf(!browserAvailable('carve-selection-browser e2e'))('browser mode: carving the selected flows', () => {
  let temporary: string;
  let service: FlowlabService;
  let session: BrowserSession;
  let page: Page;
  const gridRow = (index: number) => page.locator(`[data-testid=flows-grid] [role=row][row-index="${index}"]:has([col-id=src_ip])`);

  beforeAll(async () => {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-e2e-carve-'));
    service = await FlowlabService.open(path.join(temporary, 'case.duckdb'));
    await service.ingest(path.resolve(import.meta.dirname, '../fixtures/pcaps', 'dns_lab_with_nxdomain.pcapng'));
    session = await openBrowserSession(service, temporary, { width: 1500, height: 950 });
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

  it('says it carves the 2 selected flows and writes exactly their packets', async () => {
    const selected = (count: number) =>
      expect.poll(() => page.getByTestId('label-bar').textContent(), { timeout: 20_000 }).toContain(`Label ${count} selected`);
    await gridRow(0).locator('[col-id=src_ip]').click();
    await selected(1);
    await gridRow(2).locator('[col-id=src_ip]').click({ modifiers: ['Control'] });
    await selected(2);

    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.getByText('Packets as pcap (carve)').click();
    await expect.poll(() => dialog.getByTestId('export-scope').textContent()).toBe('Carves: The 2 selected flows.');
    await dialog.getByLabel('Capture format').selectOption('pcap');
    await dialog.getByLabel('File name').fill('two-selected');
    if (process.env.FLOWLAB_E2E_SHOTS) await page.screenshot({ path: path.join(process.env.FLOWLAB_E2E_SHOTS, 'carve-selected.png') });

    const request = page.waitForRequest((candidate) => candidate.url().endsWith('/api/export.carve'));
    await dialog.getByRole('button', { name: 'Carve' }).click();
    const body = (await request).postDataJSON() as { flowIds: number[]; filter?: unknown; fileName: string };
    expect(body.flowIds).toHaveLength(2);
    expect(body.filter).toBeUndefined();
    await expect.poll(() => dialog.getByTestId('export-written').count(), { timeout: 30_000 }).toBe(1);
    const [packets] = await service.store.rows(`SELECT count(*) AS n FROM packets WHERE flow_id IN (${body.flowIds.map(Number).join(', ')})`);
    const expected = Number(packets!.n);
    const file = path.join(path.dirname(service.casePath), 'case-exports', 'two-selected.pcap');
    expect(existsSync(file)).toBe(true);
    expect(await dialog.getByTestId('export-written').textContent()).toContain(`${expected} packets`);
    if (existsSync('/usr/bin/tshark')) {
      const frames = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.len'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      expect(frames.trim().split('\n')).toHaveLength(expected);
    }
    const total = Number((await service.store.rows('SELECT count(*) AS n FROM packets WHERE flow_id IS NOT NULL'))[0]!.n);
    expect(expected).toBeLessThan(total);

    // The filter is the other choice, and says so.
    await dialog.getByText(/^Every flow of the current filter/).click();
    await expect.poll(() => dialog.getByTestId('export-scope').textContent()).toBe('Carves: Every flow of the current filter (all flows).');
    expect(session.errors).toEqual([]);
  }, 120_000);
});
