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

  /**
   * Ingests the capture in tiny blocks, counting `table`'s rows at every progress event (each
   * commit makes more of them visible); returns those counts and the ingest result.
   */
  async function ingestCounting(caseName: string, table: 'flows' | 'packets', commitRows: number) {
    const service = await FlowlabService.open(path.join(dir, caseName), { workers: 2 });
    try {
      const counts: Promise<number>[] = [];
      const result = await service.ingest(capture, {
        blockBytes: 2048,
        idleTimeoutSeconds: 1,
        flushIntervalMs: 0,
        commitRows,
        progressIntervalMs: 0,
        onProgress: () => {
          counts.push(
            service.store.rows(`SELECT count(*) AS n FROM ${table}`).then((rows) => Number(rows[0]!.n)),
          );
        },
      });
      const seen = await Promise.all(counts);
      const after = Number((await service.store.rows(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
      return { seen, after, capture: result.capture };
    } finally {
      await service.close();
    }
  }

  it('shows ended flows before the ingest finishes and the full set after', async () => {
    const { seen, after, capture: ingested } = await ingestCounting('case.duckdb', 'flows', 0);
    const total = ingested.flows;
    expect(total).toBeGreaterThan(100);
    expect(seen.length).toBeGreaterThan(5);
    // Some progress event saw part of the flows: more than none, fewer than all.
    expect(seen.some((n) => n > 0 && n < total)).toBe(true);
    // Counts never go down while rows are being added.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(after).toBe(total);
  });

  it('commits by size after the first commit: a small capture shows one partial state, then all', async () => {
    // More rows than the capture holds: only the first commit is early.
    const { seen, after, capture: ingested } = await ingestCounting('by-size.duckdb', 'packets', 1_000_000);
    expect(seen.length).toBeGreaterThan(5);
    expect(new Set(seen.filter((n) => n > 0 && n < ingested.packets)).size).toBe(1);
    expect(after).toBe(ingested.packets);
  });
});
