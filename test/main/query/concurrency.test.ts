/**
 * Concurrency (issue #7): two ingests started at once through the API (the ingest queue runs
 * them one after the other, each complete and identical to a lone ingest), the UI's queries and
 * a labeling act while an ingest runs, and the same case opened twice (refused in the same
 * process and from another process, with a clear error; fine again once closed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiEventName } from '../../../src/shared/api-contract';
import type { IngestProgress } from '../../../src/shared/api-types';
import { ErrorCode, FlowlabError } from '../../../src/shared/errors';
import { createApiHandlers } from '../../../src/main/query/api-handlers';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { CaseStore } from '../../../src/main/store/case-store';
import { buildCli, runCli } from '../ingest/cli-process';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/pcaps');
const first = path.join(fixtures, 'dns_mixed_queries_mdns_llmnr.pcap');
const second = path.join(fixtures, 'ftp_bruteforce.pcap');
const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-concurrency-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function flowsByPath(service: FlowlabService): Promise<Record<string, string[]>> {
  const rows = await service.store.rows(
    `SELECT c.path, f.* EXCLUDE (flow_id, capture_id) FROM flows f JOIN captures c ON c.id = f.capture_id ORDER BY ALL`,
  );
  const byPath: Record<string, string[]> = {};
  for (const { path: file, ...flow } of rows) (byPath[String(file)] ??= []).push(JSON.stringify(flow));
  return byPath;
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('two ingests at once through the API', () => {
  it('queue up, both complete, same flows as ingested alone; queries and labels work meanwhile', async () => {
    const alone = await FlowlabService.open(path.join(dir, 'alone.duckdb'), { workers: 1 });
    await alone.ingest(first);
    await alone.ingest(second);
    const expected = await flowsByPath(alone);
    await alone.close();

    const service = await FlowlabService.open(path.join(dir, 'together.duckdb'), { workers: 1 });
    try {
      await service.ingest(second); // already complete: something to label while the others run
      const events: { event: ApiEventName; payload: unknown }[] = [];
      const handlers = createApiHandlers(service, {
        emit: (event, payload) => events.push({ event, payload }),
      });
      const settings = { blockBytes: 1024, workers: 1 };
      const both = Promise.all([
        handlers['ingest.start']({ paths: [first], settings }),
        handlers['ingest.start']({ paths: [second, path.join(fixtures, 'icmp_echo_ping.pcapng')], settings }),
      ]);
      let done = false;
      void both.finally(() => (done = true));
      const totals: number[] = [];
      let labeled = 0;
      while (!done) {
        const page = await handlers['flows.page']({
          filter: { expression: 'dst_port = 53 or protocol = 6' },
          offset: 0,
          limit: 50,
        });
        totals.push(page.total ?? -1);
        await handlers['hosts.page']({ filter: {}, offset: 0, limit: 20 } as never);
        if (labeled === 0) {
          const act = await handlers['labels.apply']({
            target: { captureId: 1 },
            label: 'benign',
            source: 'manual',
            reason: 'during ingest',
          });
          labeled = act.flows;
        }
      }
      const [[a], [b, c]] = await both;
      expect([a!.alreadyPresent, b!.alreadyPresent, c!.alreadyPresent]).toEqual([false, true, false]);
      const captures = await service.listCaptures();
      expect(captures.map((capture) => capture.status)).toEqual(['complete', 'complete', 'complete']);
      // The queue ran the second request only after the first: no progress of one inside the other.
      const progressIds = events
        .filter((e) => e.event === 'ingest.progress')
        .map((e) => (e.payload as IngestProgress).captureId);
      expect(progressIds).toEqual([...progressIds].sort((x, y) => x - y));
      const together = await flowsByPath(service);
      expect(together[first]).toEqual(expected[first]);
      expect(together[second]).toEqual(expected[second]);
      // Queries saw the flow count grow and never fail; the label act covered the whole capture.
      for (let i = 1; i < totals.length; i++) expect(totals[i]!).toBeGreaterThanOrEqual(totals[i - 1]!);
      expect(labeled).toBe(captures[0]!.flows);
      const ids = await service.store.rows('SELECT flow_id FROM flows WHERE capture_id = 1');
      const labels = await handlers['labels.forFlows']({ flowIds: ids.map((row) => Number(row.flow_id)) });
      expect(labels.length).toBe(labeled);
    } finally {
      await service.close();
    }
  });
});

describe('opening the same case twice', () => {
  it('is refused in the same process with a clear error, and allowed again after close', async () => {
    const casePath = path.join(dir, 'twice.duckdb');
    const service = await FlowlabService.open(casePath);
    const error = await errorOf(FlowlabService.open(casePath));
    expect(error).toBeInstanceOf(FlowlabError);
    expect((error as FlowlabError).code).toBe(ErrorCode.caseUnusable);
    expect((error as FlowlabError).message).toMatch(/already open in this Flowlab process/);
    // Another spelling of the same file is the same case.
    const other = await errorOf(
      CaseStore.open(path.join(dir, '.', '..', path.basename(dir), 'twice.duckdb')),
    );
    expect((other as FlowlabError).code).toBe(ErrorCode.caseUnusable);
    await service.close();
    const again = await CaseStore.open(casePath);
    again.close();
  });

  it('is refused from another process while open here', async () => {
    buildCli();
    const casePath = path.join(dir, 'locked.duckdb');
    const store = await CaseStore.open(casePath);
    try {
      const run = await runCli(['captures', casePath, '--json']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/open in another Flowlab process/);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      store.close();
    }
    const after = await runCli(['captures', casePath, '--json']);
    expect(after.code, after.stderr).toBe(0);
  });
});
