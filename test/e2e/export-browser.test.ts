/**
 * End to end in browser mode (issue #4): the Export dialog of the flows view writes the
 * filtered flows as CSV and carves their packets to pcapng; the files are checked against
 * DuckDB. Real server (startServer), Debian's Chromium through playwright-core.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDirectory } from '../../src/main/export/export-handlers';
import { FlowlabService } from '../../src/main/service/flowlab-service';
import { readCaptureRecords } from '../main/carve/read-capture-records';
import { browserAvailable, openBrowserSession } from './browser-session';
import type { BrowserSession } from './browser-session';

const FIXTURES = ['tls_firefox_ntop_org.pcap', 'dns_lab_with_nxdomain.pcapng', 'ipv6_http_tls_gquic_dualstack.pcap'];

describe.skipIf(!browserAvailable('export-browser e2e'))('browser mode: export and carve from the flows view', () => {
  let temporary: string;
  let service: FlowlabService;
  let session: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-e2e-export-'));
    service = await FlowlabService.open(path.join(temporary, 'case.duckdb'));
    for (const fixture of FIXTURES) await service.ingest(path.resolve(import.meta.dirname, '../fixtures/pcaps', fixture));
    session = await openBrowserSession(service, temporary, { width: 1400, height: 900 });
    page = session.page;
    await page.goto(session.server.url);
    await page.getByRole('tab', { name: 'Flows' }).click();
    const box = page.getByLabel('Quick filter expression');
    await box.fill('dst_port = 443');
    await box.press('Enter');
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await service?.close();
    if (temporary) rmSync(temporary, { recursive: true, force: true, maxRetries: 3 });
  });

  it('exports the filtered flows as CSV and the file holds exactly them', async () => {
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.getByLabel('File name').fill('e2e-flows');
    await dialog.getByLabel('Columns').fill('flow_id,dst_port,src_ip');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(() => dialog.getByTestId('export-written').textContent().catch(() => ''), { timeout: 30_000 }).toContain('e2e-flows.csv');
    const file = path.join(exportDirectory(service.casePath), 'e2e-flows.csv');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('flow_id,dst_port,src_ip');
    const expected = await service.store.rows('SELECT flow_id FROM flows WHERE dst_port = 443 ORDER BY flow_id');
    expect(expected.length).toBeGreaterThan(0);
    expect(lines.slice(1).map((line) => Number(line.split(',')[0]))).toEqual(expected.map((row) => Number(row.flow_id)));
    expect(lines.slice(1).every((line) => line.split(',')[1] === '443')).toBe(true);
  });

  it('carves the packets of the filtered flows to pcapng', async () => {
    const dialog = page.getByTestId('export-dialog');
    await dialog.getByLabel('Packets as pcap (carve)').check();
    await dialog.getByLabel('File name').fill('e2e-carve');
    await dialog.getByRole('button', { name: 'Carve', exact: true }).click();
    await expect.poll(() => dialog.getByTestId('export-written').textContent().catch(() => ''), { timeout: 30_000 }).toContain('e2e-carve.pcapng');
    const packets = readCaptureRecords(readFileSync(path.join(exportDirectory(service.casePath), 'e2e-carve.pcapng')));
    const [row] = await service.store.rows('SELECT count(*) AS n FROM packets WHERE flow_id IN (SELECT flow_id FROM flows WHERE dst_port = 443)');
    expect(packets.length).toBe(Number(row!.n));
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByTestId('export-dialog').count()).toBe(0);
  });
});
