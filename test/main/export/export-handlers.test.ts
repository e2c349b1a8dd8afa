import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExportHandlers, exportDirectory } from '../../../src/main/export/export-handlers';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import type { ApiEventName } from '../../../src/shared/api-contract';

describe('export API handlers (issue #4)', () => {
  let temporary: string;
  let service: FlowlabService;
  const events: { name: ApiEventName; payload: unknown }[] = [];
  let handlers: ReturnType<typeof createExportHandlers>;

  beforeAll(async () => {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-export-api-'));
    service = await FlowlabService.open(path.join(temporary, 'case.duckdb'), { workers: 1 });
    await service.ingest(path.resolve(import.meta.dirname, '../../fixtures/pcaps/web_attack_sqli.pcap'));
    handlers = createExportHandlers(service, { emit: (name, payload) => events.push({ name, payload }) });
  });
  afterAll(async () => {
    await service?.close();
    rmSync(temporary, { recursive: true, force: true });
  });

  it('writes into the case export directory with a validated filter, reporting the job', async () => {
    const result = await handlers['export.flows']({ fileName: 'api.csv', format: 'csv', filter: { expression: 'dst_port = 80' }, columns: ['flow_id', 'dst_port'] });
    expect(result.files[0]!.path).toBe(path.join(exportDirectory(service.casePath), 'api.csv'));
    const lines = readFileSync(result.files[0]!.path, 'utf8').trim().split('\n');
    expect(lines.slice(1).every((line) => line.endsWith(',80'))).toBe(true);
    expect(lines.length - 1).toBe(result.files[0]!.rows);
    const states = events.filter((event) => event.name === 'export.progress').map((event) => (event.payload as { state: string; jobId: number }));
    expect(states.at(0)).toMatchObject({ state: 'running', jobId: result.jobId });
    expect(states.at(-1)).toMatchObject({ state: 'done', jobId: result.jobId });
  });

  it('carves the given flows', async () => {
    const [row] = await service.store.rows('SELECT min(flow_id) AS id FROM flows');
    const result = await handlers['export.carve']({ fileName: 'api.pcap', flowIds: [Number(row!.id)] });
    expect(existsSync(result.path)).toBe(true);
    expect(result.packets).toBe(Number((await service.store.rows('SELECT count(*) AS n FROM packets WHERE flow_id = $id', { id: Number(row!.id) }))[0]!.n));
  });

  it('refuses paths, wrong extensions, SQL in filters and unknown options', async () => {
    await expect(handlers['export.flows']({ fileName: '../escape.csv', format: 'csv' })).rejects.toThrow(/Expected a file name/);
    await expect(handlers['export.flows']({ fileName: '/tmp/x.csv', format: 'csv' })).rejects.toThrow(/Expected a file name/);
    await expect(handlers['export.flows']({ fileName: 'x.parquet', format: 'csv' })).rejects.toThrow(/ending in \.csv/);
    await expect(handlers['export.flows']({ fileName: 'x.csv', format: 'csv', filter: { expression: "1=1; DROP TABLE flows" } })).rejects.toThrow();
    await expect(handlers['export.flows']({ fileName: 'x.csv', format: 'xml' as never })).rejects.toThrow(/one of csv, parquet, cicids2017/);
    await expect(handlers['export.flows']({ fileName: 'x.csv', format: 'csv', derived: ['nope' as never] })).rejects.toThrow(/derived/);
    await expect(handlers['export.flows']({ fileName: 'x.csv', format: 'csv', split: { trainFraction: 2, seed: 1 } })).rejects.toThrow(/trainFraction/);
    await expect(handlers['export.carve']({ fileName: 'x.txt' })).rejects.toThrow(/\.pcap or \.pcapng/);
    await expect(handlers['export.openInWireshark']({ path: '/etc/passwd' })).rejects.toThrow(/carved capture/);
    expect(Number((await service.store.rows('SELECT count(*) AS n FROM flows'))[0]!.n)).toBeGreaterThan(0);
  });
});
