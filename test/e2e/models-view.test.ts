/**
 * issue #6 - the Models view end to end in browser mode: import a CICFlowMeter CSV, train a
 * random forest (worker), see metrics and the four charts drawn, apply the model to a capture,
 * narrow the Flows view to its predictions, and confirm predictions as labels (source 'model').
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowlabService } from '../../src/main/service/flowlab-service';
import { canvasInk, parseCount } from './page-checks';
import { browserAvailable, openBrowserSession } from './browser-session';
import type { BrowserSession } from './browser-session';

/** Two classes told apart by duration and packet counts ("improved" header layout). */
function csv(rows: number): string {
  const lines = [
    'Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Total Fwd Packet,Total Bwd packets,Fwd Header Length,Label',
  ];
  for (let i = 0; i < rows; i++) {
    const scan = i % 2 === 0;
    lines.push(
      `10.0.0.1,${1000 + i},10.0.0.2,${scan ? i : 443},6,t,${scan ? 40 + (i % 9) : 2_000_000 + i},${scan ? 1 : 12},${scan ? 1 : 10},${scan ? 20 : 400},${scan ? 'PortScan' : 'BENIGN'}`,
    );
  }
  return lines.join('\n') + '\n';
}

describe.skipIf(!browserAvailable('models-view e2e'))('Models view in browser mode (issue #6)', () => {
  let temporary: string;
  let service: FlowlabService;
  let session: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-e2e-models-'));
    service = await FlowlabService.open(path.join(temporary, 'case.duckdb'));
    await service.ingest(path.resolve(import.meta.dirname, '../fixtures/pcaps/tcp_scan_with_arp.pcap'));
    writeFileSync(path.join(temporary, 'flows.csv'), csv(400));
    session = await openBrowserSession(service, temporary, { width: 1500, height: 1400 });
    page = session.page;
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await service?.close();
    if (temporary) rmSync(temporary, { recursive: true, force: true, maxRetries: 3 });
  });

  it('imports, trains, draws the evaluation, predicts, filters the flows and confirms labels', async () => {
    await page.goto(session.server.url);
    await page.getByRole('tab', { name: 'Models' }).click();
    await page.getByLabel('CSV paths').fill(path.join(temporary, 'flows.csv'));
    await page.getByRole('button', { name: 'Import CSV' }).click();
    await expect.poll(() => page.getByText('flows.csv: 400 rows').count(), { timeout: 20_000 }).toBe(1);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const perClass = page.getByRole('table', { name: 'Per-class metrics' });
    await expect.poll(() => perClass.locator('tbody tr').count(), { timeout: 60_000 }).toBe(2);
    expect(await perClass.locator('tbody tr').first().textContent()).toContain('BENIGN');
    // Confusion matrix, ROC, PR and importance are drawn.
    for (const chart of ['Confusion matrix', 'ROC curves', 'Precision-recall curves', 'Feature importance']) {
      await expect
        .poll(
          async () =>
            Math.max(
              0,
              ...(await canvasInk(page, `[aria-label="${chart}"] canvas`)).map((canvas) => canvas.painted),
            ),
          { timeout: 20_000 },
        )
        .toBeGreaterThan(50);
    }

    await page.getByRole('button', { name: 'Predict', exact: true }).click();
    const predicted = Number(
      (await service.store.rows('SELECT count(*) AS n FROM flows WHERE capture_id = 1'))[0]!.n,
    );
    await expect
      // A background job on the ML worker, like training above: as much time as training gets.
      .poll(() => page.getByText(`${predicted} flows predicted`).count(), { timeout: 60_000 })
      .toBe(1);
    await expect
      .poll(() => page.getByRole('table', { name: 'Predicted flows' }).locator('tbody tr').count(), {
        timeout: 20_000,
      })
      .toBe(Math.min(200, predicted));

    // Narrow every view to the PortScan predictions.
    await page.getByLabel('Predicted class').selectOption('PortScan');
    const portscan = Number(
      (
        await service.store.rows(
          "SELECT count(*) AS n FROM ml_predictions WHERE model_id = 1 AND predicted_class = 'PortScan'",
        )
      )[0]!.n,
    );
    // The capture is a TCP scan: flows of one packet each way look like the CSV's PortScan rows.
    expect(portscan).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Show in Flows' }).click();
    await expect
      .poll(async () => parseCount(await page.getByTestId('flow-count').textContent()), { timeout: 20_000 })
      .toBe(portscan);
    expect(await page.getByText('model #1 = PortScan').count()).toBeGreaterThan(0);

    // Confirm them as labels through the labels API (provenance 'model').
    await page.getByRole('tab', { name: 'Models' }).click();
    await page.getByRole('button', { name: 'Confirm as labels' }).click();
    await expect
      .poll(() => page.getByText(`${portscan} flows labeled (source: model)`).count(), { timeout: 20_000 })
      .toBe(1);
    const labels = await service.store.rows(
      'SELECT label, source, count(*) AS n FROM flow_labels_current GROUP BY ALL',
    );
    expect(labels).toEqual([{ label: 'portscan', source: 'model', n: portscan }]);
    expect(session.errors).toEqual([]);
  }, 240_000);
});
