/**
 * End to end in browser mode (issue #4): a flow labeled twice from the grid shows both acts in
 * its details panel, newest first, with who/how and which one is current; Undo in the panel
 * undoes the latest act and the history says so. The acts are checked against DuckDB.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowlabService } from '../../src/main/service/flowlab-service';
import { browserAvailable, openBrowserSession } from './browser-session';
import type { BrowserSession } from './browser-session';

describe.skipIf(!browserAvailable('label-history-browser e2e'))('browser mode: a flow label history in the details panel', () => {
  let temporary: string;
  let service: FlowlabService;
  let session: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-e2e-history-'));
    service = await FlowlabService.open(path.join(temporary, 'case.duckdb'));
    await service.ingest(path.resolve(import.meta.dirname, '../fixtures/pcaps', 'tls_firefox_ntop_org.pcap'));
    session = await openBrowserSession(service, temporary, { width: 1500, height: 950 });
    page = session.page;
    await page.goto(session.server.url);
    await page.getByRole('tab', { name: 'Flows' }).click();
    await page.locator('[data-testid=flows-grid] [role=row][row-index="0"]:has([col-id=src_ip])').waitFor({ timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await service?.close();
    if (temporary) rmSync(temporary, { recursive: true, force: true, maxRetries: 3 });
  });

  it('shows both acts of a flow labeled twice, and undoes the latest from the panel', async () => {
    const details = page.waitForRequest((request) => request.url().endsWith('/api/flows.details'));
    await page.locator('[data-testid=flows-grid] [role=row][row-index="0"] [col-id=src_ip]').click();
    const { flowId } = (await details).postDataJSON() as { flowId: number };
    const panel = page.getByTestId('flow-details');
    const history = panel.getByTestId('label-history');
    await expect.poll(() => history.textContent(), { timeout: 20_000 }).toContain('Never labeled');
    await expect.poll(() => page.getByTestId('label-bar').textContent(), { timeout: 20_000 }).toContain('Label 1 selected');

    const applied = () => page.waitForResponse((response) => response.url().endsWith('/api/labels.apply'), { timeout: 20_000 });
    let response = applied();
    await page.keyboard.press('b');
    await response;
    await expect.poll(() => history.getByTestId('label-act').count(), { timeout: 20_000 }).toBe(1);
    response = applied();
    await page.keyboard.press('m');
    await response;

    const acts = history.getByTestId('label-act');
    await expect.poll(() => acts.count(), { timeout: 20_000 }).toBe(2);
    const stored = await service.store.rows(
      `SELECT b.batch_id, b.label, b.actor FROM label_events e JOIN label_batches b USING (batch_id)
       WHERE e.flow_id = $flowId ORDER BY b.batch_id DESC`,
      { flowId },
    );
    expect(stored.map((row) => row.label)).toEqual(['malicious', 'benign']);
    await expect.poll(() => acts.nth(0).getAttribute('data-status')).toBe('current');
    expect(await acts.nth(1).getAttribute('data-status')).toBe('superseded');
    const newest = (await acts.nth(0).textContent())!;
    expect(newest).toContain('malicious');
    expect(newest).toContain(`act ${String(stored[0]!.batch_id)}`);
    expect(newest).toContain('manual');
    expect(newest).toContain(String(stored[0]!.actor));
    const older = (await acts.nth(1).textContent())!;
    expect(older).toContain('benign');
    expect(older).toContain(`act ${String(stored[1]!.batch_id)}`);
    await page.screenshot({ path: path.join(temporary, 'label-history.png') });
    if (process.env.FLOWLAB_E2E_SHOTS) await page.screenshot({ path: path.join(process.env.FLOWLAB_E2E_SHOTS, 'label-history.png') });

    const undone = page.waitForResponse((candidate) => candidate.url().endsWith('/api/labels.undo'));
    await acts.nth(0).getByRole('button', { name: 'Undo' }).click();
    await undone;
    await expect.poll(() => acts.nth(0).getAttribute('data-status'), { timeout: 20_000 }).toBe('undone');
    await expect.poll(() => acts.nth(1).getAttribute('data-status')).toBe('current');
    const [label] = await service.store.rows('SELECT label FROM flow_labels_current WHERE flow_id = $flowId', { flowId });
    expect(label!.label).toBe('benign');
    await expect.poll(() => acts.nth(0).getByRole('button', { name: 'Redo' }).count()).toBe(1);
    if (process.env.FLOWLAB_E2E_SHOTS) await page.screenshot({ path: path.join(process.env.FLOWLAB_E2E_SHOTS, 'label-history-undone.png') });
    expect(session.errors).toEqual([]);
  }, 120_000);
});
