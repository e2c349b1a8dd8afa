/**
 * issue #4 / #6 - the flows grid's label and prediction columns in browser mode: a model's
 * predicted class and probability are grid columns (picked model or the newest), filterable
 * from the quick filter and sortable from the header; the label column filters too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowlabService } from '../../src/main/service/flowlab-service';
import { createApiHandlers } from '../../src/main/query/api-handlers';
import type { ApiHandlersWithIngest } from '../../src/main/query/api-handlers';
import { parseCount } from './page-checks';
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

describe.skipIf(!browserAvailable('grid derived columns e2e'))('label and prediction columns in the flows grid', () => {
  let temporary: string;
  let service: FlowlabService;
  let handlers: ApiHandlersWithIngest;
  let session: BrowserSession;
  let page: Page;
  /** Screenshots are kept (path printed) to look at. */
  const shots = mkdtempSync(path.join(os.tmpdir(), 'flowlab-e2e-grid-derived-shots-'));

  beforeAll(async () => {
    console.log(`grid derived columns screenshots: ${shots}`);
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-e2e-grid-derived-'));
    service = await FlowlabService.open(path.join(temporary, 'case.duckdb'));
    await service.ingest(path.resolve(import.meta.dirname, '../fixtures/pcaps/tcp_scan_with_arp.pcap'));
    writeFileSync(path.join(temporary, 'flows.csv'), csv(400));
    handlers = createApiHandlers(service, { emit: () => undefined });
    await handlers['ml.import']({ paths: [path.join(temporary, 'flows.csv')] });
    // Two models: the grid shows the newest unless the toolbar picks the other.
    for (const seed of [1, 2]) {
      const model = await handlers['ml.train']({ kind: 'rf', source: 'imported', trees: 10, seed, name: `rf-${seed}` });
      await handlers['ml.predict']({ modelId: model.id, captureId: 1 });
    }
    await handlers['labels.apply']({ target: { filter: { expression: 'dst_port < 100' } }, label: 'malicious', source: 'manual' });
    session = await openBrowserSession(service, temporary, { width: 1600, height: 900 });
    page = session.page;
    // The prediction columns visible from the start (the column chooser remembers this choice).
    await page.addInitScript(() =>
      localStorage.setItem(
        'flowlab.flows.visibleColumns',
        JSON.stringify(['first_seen', 'src_ip', 'dst_ip', 'dst_port', 'predicted_class', 'predicted_probability']),
      ),
    );
  }, 240_000);

  afterAll(async () => {
    await session?.close();
    await handlers?.ingest.cancel();
    await service?.close();
    if (temporary) rmSync(temporary, { recursive: true, force: true, maxRetries: 3 });
  });

  const count = async (): Promise<number> => parseCount(await page.getByTestId('flow-count').textContent());
  const quickFilter = async (expression: string): Promise<void> => {
    const box = page.getByLabel('Quick filter expression');
    await box.fill(expression);
    await box.press('Enter');
  };
  const dbCount = async (sql: string): Promise<number> => Number((await service.store.rows(sql))[0]!.n);

  it('shows, filters and sorts predicted_class / predicted_probability and filters the label', async () => {
    await page.goto(session.server.url);
    await page.getByRole('tab', { name: 'Flows' }).click();
    const total = await dbCount('SELECT count(*) AS n FROM flows');
    await expect.poll(count, { timeout: 20_000 }).toBe(total);
    const grid = page.getByTestId('flows-grid');
    await expect.poll(() => grid.locator('.ag-header-cell[col-id="predicted_class"]').count(), { timeout: 20_000 }).toBe(1);

    // Newest model (2) by default: the cells show its predictions.
    const newest = await dbCount("SELECT count(*) AS n FROM ml_predictions WHERE model_id = 2 AND predicted_class = 'PortScan'");
    await quickFilter("predicted_class = 'PortScan'");
    await expect.poll(count, { timeout: 20_000 }).toBe(newest);
    await expect
      .poll(() => grid.locator('.ag-cell[col-id="predicted_class"]').first().textContent(), { timeout: 20_000 })
      .toBe('PortScan');

    // Sort by probability, descending: the first row holds the largest probability of the filter.
    const header = grid.locator('.ag-header-cell[col-id="predicted_probability"] .ag-header-cell-label');
    await header.click();
    await header.click();
    const highest = Number(
      (await service.store.rows("SELECT max(probability) AS p FROM ml_predictions WHERE model_id = 2 AND predicted_class = 'PortScan'"))[0]!.p,
    );
    await expect
      .poll(async () => Number(await grid.locator('.ag-row[row-index="0"] .ag-cell[col-id="predicted_probability"]').textContent()), {
        timeout: 20_000,
      })
      .toBeCloseTo(highest, 2);

    // Picking model 1 in the toolbar: the same filter now means model 1's predictions.
    const older = await dbCount("SELECT count(*) AS n FROM ml_predictions WHERE model_id = 1 AND predicted_class = 'PortScan'");
    await page.getByTestId('prediction-model').selectOption('1');
    await expect.poll(count, { timeout: 20_000 }).toBe(older);
    const firstCell = grid.locator('.ag-row[row-index="0"] .ag-cell[col-id="predicted_class"]');
    await expect.poll(() => firstCell.textContent(), { timeout: 20_000 }).toBe('PortScan');
    await page.screenshot({ path: path.join(shots, 'grid-prediction-columns.png') });

    // The label column from the quick filter: labeled and unlabeled flows.
    const malicious = await dbCount("SELECT count(*) AS n FROM flow_labels_current WHERE label = 'malicious'");
    expect(malicious).toBeGreaterThan(0);
    await quickFilter("label = 'malicious'");
    await expect.poll(count, { timeout: 20_000 }).toBe(malicious);
    await expect
      .poll(() => grid.locator('.ag-row[row-index="0"] .ag-cell[col-id="__label"]').textContent(), { timeout: 20_000 })
      .toBe('malicious');
    await page.screenshot({ path: path.join(shots, 'grid-label-filter.png') });
    await quickFilter('label is null');
    await expect.poll(count, { timeout: 20_000 }).toBe(total - malicious);
    expect(session.errors).toEqual([]);
  }, 240_000);
});
