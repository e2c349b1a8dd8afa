import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExportHandlers, exportDirectory } from '../../../src/main/export/export-handlers';
import { holdPartial, removeStalePartials } from '../../../src/main/export/output-file';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { addSyntheticCapture } from '../labels/bulk-case';

describe('issue #4 - temporary files of killed exports are removed, never those of running ones', () => {
  let temporary: string;
  beforeAll(() => {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-partials-'));
  });
  afterAll(() => rmSync(temporary, { recursive: true, force: true }));

  it('removes .partial and .partial.body files no export of this process holds', async () => {
    const dir = path.join(temporary, 'unit');
    mkdirSync(dir);
    for (const name of ['dead.csv.partial', 'dead-cicids.csv.partial.body', 'running.pcap.partial', 'done.csv', 'notes.partial.txt'])
      writeFileSync(path.join(dir, name), 'x');
    const release = holdPartial(path.join(dir, 'running.pcap'));
    expect((await removeStalePartials(dir)).sort()).toEqual(['dead-cicids.csv.partial.body', 'dead.csv.partial']);
    expect(readdirSync(dir).sort()).toEqual(['done.csv', 'notes.partial.txt', 'running.pcap.partial']);
    release();
    release(); // a second release does not drop another holder's claim
    expect(await removeStalePartials(dir)).toEqual(['running.pcap.partial']);
    expect(await removeStalePartials(path.join(temporary, 'missing'))).toEqual([]);
  });

  it('keeps the partial of an export holding it twice until both release', async () => {
    const dir = path.join(temporary, 'twice');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'a.csv.partial'), 'x');
    const first = holdPartial(path.join(dir, 'a.csv'));
    const second = holdPartial(path.join(dir, 'a.csv'));
    first();
    expect(await removeStalePartials(dir)).toEqual([]);
    second();
    expect(await removeStalePartials(dir)).toEqual(['a.csv.partial']);
  });

  it('the export API cleans the directory on use while a running export keeps its file', async () => {
    const service = await FlowlabService.open(path.join(temporary, 'case.duckdb'));
    try {
      await addSyntheticCapture(service.store, 1, 150_000);
      const handlers = createExportHandlers(service, { emit: () => undefined });
      const dir = exportDirectory(service.casePath);
      mkdirSync(dir, { recursive: true });
      // Left by a SIGKILLed export of an earlier process.
      writeFileSync(path.join(dir, 'killed.csv.partial'), 'half a file');
      await handlers['export.directory']();
      expect(existsSync(path.join(dir, 'killed.csv.partial'))).toBe(false);

      const running = handlers['export.flows']({ fileName: 'big.csv', format: 'csv' });
      const partial = path.join(dir, 'big.csv.partial');
      const started = Date.now();
      while (!existsSync(partial) && Date.now() - started < 60_000) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(existsSync(partial)).toBe(true);
      writeFileSync(path.join(dir, 'killed-again.pcap.partial'), 'x');
      // Another use of the directory while the export runs: only the dead file goes.
      await handlers['export.directory']();
      const during = readdirSync(dir);
      const result = await running;
      expect(during).not.toContain('killed-again.pcap.partial');
      expect(during).toContain('big.csv.partial');
      expect(result.files[0]!.rows).toBe(150_000);
      expect(readdirSync(dir).sort()).toEqual(['big.csv']);
    } finally {
      await service.close();
    }
  }, 120_000);
});
