/**
 * issue #6 - cross-validation from the Models view in browser mode: train with CV folds set,
 * and the models list and the comparison table show the folds' mean ± std macro-F1.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowlabService } from '../../src/main/service/flowlab-service';
import { browserAvailable, openBrowserSession } from './browser-session';
import type { BrowserSession } from './browser-session';

/** Two classes told apart by duration and packet counts, with 5 % label noise ("improved" layout). */
function csv(rows: number): string {
  const lines = ['Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Total Fwd Packet,Total Bwd packets,Label'];
  for (let i = 0; i < rows; i++) {
    const scan = i % 2 === 0;
    const label = (i % 20 === 3 ? !scan : scan) ? 'PortScan' : 'BENIGN';
    lines.push(`10.0.0.1,${1000 + i},10.0.0.2,443,6,t,${scan ? 40 + (i % 9) : 2_000_000 + i},${scan ? 1 : 12},${scan ? 1 : 10},${label}`);
  }
  return lines.join('\n') + '\n';
}

describe.skipIf(!browserAvailable('models-cv e2e'))('Models view cross-validation (issue #6)', () => {
  let temporary: string;
  let service: FlowlabService;
  let session: BrowserSession;

  beforeAll(async () => {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-e2e-models-cv-'));
    service = await FlowlabService.open(path.join(temporary, 'case.duckdb'));
    writeFileSync(path.join(temporary, 'flows.csv'), csv(400));
    session = await openBrowserSession(service, temporary, { width: 1500, height: 1100 });
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await service?.close();
    if (temporary) rmSync(temporary, { recursive: true, force: true, maxRetries: 3 });
  });

  it('trains with 4 folds and shows the mean ± std next to the hold-out macro-F1', async () => {
    const { page } = session;
    await page.goto(session.server.url);
    await page.getByRole('tab', { name: 'Models' }).click();
    await page.getByLabel('CSV paths').fill(path.join(temporary, 'flows.csv'));
    await page.getByRole('button', { name: 'Import CSV' }).click();
    await expect.poll(() => page.getByText('flows.csv: 400 rows').count(), { timeout: 20_000 }).toBe(1);
    await page.getByLabel('Cross-validation folds').fill('4');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const cvText = page.getByText(/\(CV 0\.\d{3} ± 0\.\d{3}\)/);
    await expect.poll(() => cvText.count(), { timeout: 90_000 }).toBe(1);
    const [model] = await service.store.rows('SELECT metrics FROM ml_models');
    const cv = JSON.parse(String(model!.metrics)).crossValidation;
    expect(cv.folds).toBe(4);
    expect(cv.macroF1).toHaveLength(4);
    expect(await cvText.textContent()).toContain(`CV ${cv.meanMacroF1.toFixed(3)} ± ${cv.stdMacroF1.toFixed(3)}`);
    await page.screenshot({ path: path.join(os.tmpdir(), 'flowlab-models-cv.png') });
    expect(session.errors).toEqual([]);
  }, 240_000);
});
