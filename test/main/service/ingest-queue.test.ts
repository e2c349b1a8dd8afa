/**
 * FlowlabService.ingest called several times at once (not through the API's queue): the ingests
 * run one after another and each gives what it gives alone; a failing one does not stop the next.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { FlowlabService } from '../../../src/main/service/flowlab-service';

const PCAPS = path.resolve(import.meta.dirname, '../../fixtures/pcaps');
const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-ingest-queue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('runs ingests started at once one after another, each complete', async () => {
  const service = await FlowlabService.open(path.join(dir, 'case.duckdb'), { workers: 1 });
  try {
    const bad = path.join(dir, 'bad.pcap');
    writeFileSync(bad, 'not a capture');
    const [dns, failed, ftp] = await Promise.allSettled([
      service.ingest(path.join(PCAPS, 'dns_mixed_queries_mdns_llmnr.pcap'), { blockBytes: 4096 }),
      service.ingest(bad),
      service.ingest(path.join(PCAPS, 'ftp_bruteforce.pcap'), { blockBytes: 4096, workers: 2 }),
    ]);
    expect(failed.status).toBe('rejected');
    expect(dns).toMatchObject({ status: 'fulfilled', value: { capture: { status: 'complete', flows: 220 } } });
    expect(ftp).toMatchObject({ status: 'fulfilled', value: { capture: { status: 'complete', flows: 30 } } });
    const rows = await service.store.rows('SELECT capture_id, count(*) AS n FROM flows GROUP BY ALL ORDER BY 1');
    expect(rows.map((row) => [Number(row.capture_id), Number(row.n)])).toEqual([
      [1, 220],
      [3, 30],
    ]);
  } finally {
    await service.close();
  }
});
