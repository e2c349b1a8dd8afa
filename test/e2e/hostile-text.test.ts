/**
 * Attacker-controlled strings in the UI (issue #7): DNS names, TLS SNI, HTTP Host/User-Agent/URI
 * and application names come from the capture. They are put into a case as HTML/script
 * payloads, right-to-left overrides and control characters, and the browser-mode UI (real
 * server, Debian's Chromium) must show them as text: the payload text is visible verbatim and
 * no element, attribute handler or script from it exists in the DOM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowlabService } from '../../src/main/service/flowlab-service';
import { buildSyntheticCase } from '../main/query/synthetic-case';
import { browserAvailable, openBrowserSession } from './browser-session';
import type { BrowserSession } from './browser-session';

/** Column -> payload. Each payload, if parsed as HTML, would create a marked element. */
const PAYLOADS: Record<string, string> = {
  requested_server_name: '<img src=x data-xss=sni onerror="window.__xss=1">',
  tls_sni: '<svg data-xss=svg onload="window.__xss=2"></svg>',
  dns_query: '"><script data-xss=dns>window.__xss=3</script>.evil',
  http_host: "<iframe data-xss=host src='javascript:window.__xss=4'></iframe>",
  http_user_agent: 'Mozilla\u202E<b data-xss=ua>txt.exe</b>\u0007\u001b[31m',
  http_uri: '/<a data-xss=uri href="javascript:window.__xss=5">x</a>',
  application: '<details data-xss=app open ontoggle="window.__xss=6">',
};

describe.skipIf(!browserAvailable('hostile-text e2e'))('attacker-controlled strings in the UI', () => {
  let temporary: string;
  let service: FlowlabService;
  let session: BrowserSession;
  let page: Page;

  const injected = (): Promise<{ marked: number; flag: unknown }> =>
    page.evaluate(() => ({
      marked: document.querySelectorAll('[data-xss]').length,
      flag: (window as unknown as { __xss?: unknown }).__xss,
    }));

  beforeAll(async () => {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-hostile-ui-'));
    ({ service } = await buildSyntheticCase(temporary));
    const assignments = Object.keys(PAYLOADS).map((column) => `${column} = $${column}`);
    await service.store.run(`UPDATE flows SET ${assignments.join(', ')}`, PAYLOADS);
    session = await openBrowserSession(service, temporary);
    page = session.page;
    await page.goto(session.server.url);
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await service?.close();
    if (temporary) rmSync(temporary, { recursive: true, force: true, maxRetries: 3 });
  });

  it('shows the flows grid cells as text', async () => {
    await page.getByRole('tab', { name: 'Flows' }).click();
    const cell = page
      .locator('[data-testid=flows-grid] [role=gridcell][col-id=requested_server_name]')
      .first();
    await expect.poll(() => cell.textContent(), { timeout: 20_000 }).toBe(PAYLOADS.requested_server_name);
    await expect
      .poll(() =>
        page.locator('[data-testid=flows-grid] [role=gridcell][col-id=application]').first().textContent(),
      )
      .toBe(PAYLOADS.application);
    expect(await injected()).toEqual({ marked: 0, flag: undefined });
  });

  it("shows every attacker string in a flow's details as text", async () => {
    await page.locator('[data-testid=flows-grid] [role=row][row-index="0"]').click();
    const panel = page.getByTestId('flow-details');
    await expect.poll(() => panel.count(), { timeout: 20_000 }).toBe(1);
    for (const payload of Object.values(PAYLOADS)) {
      const visible = payload.replace(/[\u0007\u001b]/g, '');
      await expect
        .poll(
          async () => {
            const text = (await panel.textContent()) ?? '';
            return (
              text.includes(payload) ||
              text.includes(visible) ||
              text.includes(JSON.stringify(payload).slice(1, -1))
            );
          },
          { timeout: 10_000 },
        )
        .toBe(true);
    }
    expect(await injected()).toEqual({ marked: 0, flag: undefined });
    await page.keyboard.press('Escape');
  });

  it('renders the dashboard and hosts views (charts, tooltips, graph) without running any of it', async () => {
    for (const tab of ['Dashboard', 'Hosts']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.waitForTimeout(1500);
      // Hover across the charts so echarts builds its HTML tooltips from the names.
      for (const canvas of await page.locator('canvas').all()) {
        const box = await canvas.boundingBox();
        if (!box) continue;
        for (const fraction of [0.3, 0.5, 0.7])
          await page.mouse.move(box.x + box.width * fraction, box.y + box.height * fraction);
      }
      expect(await injected(), tab).toEqual({ marked: 0, flag: undefined });
    }
    expect(session.errors).toEqual([]);
  });
});
