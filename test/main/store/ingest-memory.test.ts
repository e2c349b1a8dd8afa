/**
 * DuckDB's buffer pool is smaller and it has fewer threads while an ingest runs (peak RSS and
 * CPU, see case-store.ts); both come back to the query settings afterwards (also after a failed one, and only when the last of overlapping
 * ingests ends: the API queues ingests, but the store counts them).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { INGEST_DUCKDB_THREADS } from '../../../src/main/store/case-store';

const PCAPS = path.resolve(import.meta.dirname, '../../fixtures/pcaps');

describe.skipIf(process.env.FLOWLAB_DUCKDB_MEMORY !== undefined)(
  'DuckDB memory and threads during ingest',
  () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-ingest-memory-'));
    let service: FlowlabService;
    const setting = async (name: string): Promise<string> =>
      String((await service.store.rows(`SELECT current_setting('${name}')::VARCHAR AS m`))[0]!.m);
    const limit = () => setting('memory_limit');
    const threads = async () => Number(await setting('threads'));
    beforeAll(async () => {
      service = await FlowlabService.open(path.join(dir, 'case.duckdb'), { workers: 1 });
    });
    afterAll(async () => {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('shrinks the pool and the threads while ingests run, both come back after them, even after a failure', async () => {
      const before = await limit();
      const threadsBefore = await threads();
      const during: Promise<{ limit: string; threads: number }>[] = [];
      const onProgress = () => {
        during.push(Promise.all([limit(), threads()]).then(([limit, threads]) => ({ limit, threads })));
      };
      await service.ingest(path.join(PCAPS, 'dns_mixed_queries_mdns_llmnr.pcap'), {
        blockBytes: 4096,
        progressIntervalMs: 0,
        onProgress,
      });
      const samples = await Promise.all(during);
      expect(samples.length).toBeGreaterThan(0);
      for (const sample of samples) expect(sample).toEqual(samples[0]);
      expect(samples[0]!.limit).not.toBe(before);
      expect(samples[0]!.threads).toBe(Math.min(INGEST_DUCKDB_THREADS, threadsBefore));
      if (threadsBefore > 1) expect(samples[0]!.threads).toBeLessThan(threadsBefore);
      expect(await limit()).toBe(before);
      expect(await threads()).toBe(threadsBefore);

      const bad = path.join(dir, 'not-a-capture.pcap');
      writeFileSync(bad, 'this is not a capture file at all');
      await expect(service.ingest(bad)).rejects.toThrow();
      expect(await limit()).toBe(before);
      expect(await threads()).toBe(threadsBefore);
    });

    it('leaves cores to the ingest threads: at least one DuckDB thread, fewer than the cores', () => {
      expect(INGEST_DUCKDB_THREADS).toBeGreaterThanOrEqual(1);
      expect(INGEST_DUCKDB_THREADS).toBeLessThan(Math.max(2, os.availableParallelism()));
    });

    it('restores the query size only when the last overlapping ingest ends', async () => {
      const before = await limit();
      const threadsBefore = await threads();
      await service.store.beginIngest();
      const small = await limit();
      const fewer = await threads();
      await service.store.beginIngest();
      await service.store.endIngest();
      expect(await limit()).toBe(small);
      expect(await threads()).toBe(fewer);
      await service.store.endIngest();
      expect(await limit()).toBe(before);
      expect(await threads()).toBe(threadsBefore);
    });
  },
);
