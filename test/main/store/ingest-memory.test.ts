/**
 * DuckDB's buffer pool is smaller while an ingest runs (peak RSS, see case-store.ts) and back to
 * the query size afterwards (also after a failed one, and only when the last of overlapping
 * ingests ends: the API queues ingests, but the store counts them).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowlabService } from '../../../src/main/service/flowlab-service';

const PCAPS = path.resolve(import.meta.dirname, '../../fixtures/pcaps');

describe.skipIf(process.env.FLOWLAB_DUCKDB_MEMORY !== undefined)('DuckDB memory during ingest', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-ingest-memory-'));
  let service: FlowlabService;
  const limit = async (): Promise<string> =>
    String((await service.store.rows("SELECT current_setting('memory_limit') AS m"))[0]!.m);
  beforeAll(async () => {
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'), { workers: 1 });
  });
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shrinks while ingests run and comes back after them, even after a failure', async () => {
    const before = await limit();
    const during: Promise<string>[] = [];
    const onProgress = () => {
      during.push(limit());
    };
    await service.ingest(path.join(PCAPS, 'dns_mixed_queries_mdns_llmnr.pcap'), { blockBytes: 4096, progressIntervalMs: 0, onProgress });
    const seen = new Set(await Promise.all(during));
    expect(seen.size).toBe(1);
    expect([...seen][0]).not.toBe(before);
    expect(await limit()).toBe(before);

    const bad = path.join(dir, 'not-a-capture.pcap');
    writeFileSync(bad, 'this is not a capture file at all');
    await expect(service.ingest(bad)).rejects.toThrow();
    expect(await limit()).toBe(before);
  });

  it('restores the query size only when the last overlapping ingest ends', async () => {
    const before = await limit();
    await service.store.beginIngest();
    const small = await limit();
    await service.store.beginIngest();
    await service.store.endIngest();
    expect(await limit()).toBe(small);
    await service.store.endIngest();
    expect(await limit()).toBe(before);
  });
});
