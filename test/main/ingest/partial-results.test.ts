/**
 * Flows are queryable while an ingest runs (partial results), and queries on the store's
 * connection during an ingest are safe (the writer appends on connections of its own).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FlowlabService } from '../../../src/main/service/flowlab-service';

const capture = path.resolve(import.meta.dirname, '../../fixtures/pcaps/dns_mixed_queries_mdns_llmnr.pcap');

describe('partial results during ingest', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-partial-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows ended flows before the ingest finishes and the full set after', async () => {
    const service = await FlowlabService.open(path.join(dir, 'case.duckdb'), { workers: 2 });
    try {
      const counts: Promise<number>[] = [];
      const result = await service.ingest(capture, {
        blockBytes: 2048,
        idleTimeoutSeconds: 1,
        flushIntervalMs: 0,
        commitRows: 0,
        progressIntervalMs: 0,
        onProgress: () => {
          counts.push(
            service.store.rows('SELECT count(*) AS n FROM flows').then((rows) => Number(rows[0]!.n)),
          );
        },
      });
      const seen = await Promise.all(counts);
      const total = result.capture.flows;
      expect(total).toBeGreaterThan(100);
      expect(seen.length).toBeGreaterThan(5);
      // Some progress event saw part of the flows: more than none, fewer than all.
      expect(seen.some((n) => n > 0 && n < total)).toBe(true);
      // Counts never go down while rows are being added.
      for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
      const rows = await service.store.rows('SELECT count(*) AS n FROM flows');
      expect(Number(rows[0]!.n)).toBe(total);
    } finally {
      await service.close();
    }
  });

  it('commits by size after the first commit: a small capture shows one partial state, then all', async () => {
    const service = await FlowlabService.open(path.join(dir, 'by-size.duckdb'), { workers: 2 });
    try {
      const counts: Promise<number>[] = [];
      const result = await service.ingest(capture, {
        blockBytes: 2048,
        idleTimeoutSeconds: 1,
        flushIntervalMs: 0,
        commitRows: 1_000_000, // more than the capture holds: only the first commit is early
        progressIntervalMs: 0,
        onProgress: () => {
          counts.push(
            service.store.rows('SELECT count(*) AS n FROM packets').then((rows) => Number(rows[0]!.n)),
          );
        },
      });
      const seen = await Promise.all(counts);
      const total = result.capture.packets;
      expect(seen.length).toBeGreaterThan(5);
      const partial = new Set(seen.filter((n) => n > 0 && n < total));
      expect(partial.size).toBe(1);
    } finally {
      await service.close();
    }
  });
});
