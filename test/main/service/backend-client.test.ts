/**
 * The backend on a worker thread (what the Electron main process uses): cases open and switch
 * there, API calls and their errors and events travel as messages, and the results are those of
 * the in-process service.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { ApiEventName } from '../../../src/shared/api-contract';
import { FlowlabError } from '../../../src/shared/errors';
import { BackendClient } from '../../../src/main/service/backend-client';
import { FlowlabService } from '../../../src/main/service/flowlab-service';

const PCAPS = path.resolve(import.meta.dirname, '../../fixtures/pcaps');
const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-backend-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('serves the API from a worker thread: ingest with events, queries, errors, case switches', async () => {
  const events: { event: ApiEventName; payload: unknown }[] = [];
  const client = new BackendClient({ emit: (event, payload) => events.push({ event, payload }) });
  const caseA = path.join(dir, 'a.duckdb');
  try {
    expect(await client.open(caseA)).toEqual({ casePath: caseA });
    const api = client.handlers;
    expect(await api['captures.list']()).toEqual([]);

    const [result] = await api['ingest.start']({
      paths: [path.join(PCAPS, 'ftp_bruteforce.pcap')],
      settings: { workers: 1 },
    });
    expect(result).toMatchObject({ alreadyPresent: false, capture: { status: 'complete', flows: 30 } });
    const names = new Set(events.map(({ event }) => event));
    expect(names.has('ingest.progress')).toBe(true);
    expect(names.has('captures.changed')).toBe(true);

    expect(await api['flows.count']({ filter: {} })).toEqual({ count: 30 });
    const ftp = await api['flows.count']({ filter: { expression: 'dst_port = 21' } });
    const page = await api['flows.page']({ filter: { expression: 'dst_port = 21' }, offset: 0, limit: 100 } as never);

    // A bad request comes back as the FlowlabError the handler threw, with its code.
    const failure = await api['flows.count']({ filter: { expression: 'dst_port = = 21' } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FlowlabError);
    expect((failure as FlowlabError).code).toBe('INVALID_ARGUMENT');

    // Another case, then back: each open closes the previous one in the worker.
    await client.open(path.join(dir, 'b.duckdb'));
    expect(await api['captures.list']()).toEqual([]);
    await client.open(caseA);
    expect((await api['captures.list']()).map((capture) => capture.flows)).toEqual([30]);
    await client.close();
    await expect(api['captures.list']()).rejects.toThrow(/backend worker exited/);

    // The same answers from the service in this thread.
    const service = await FlowlabService.open(caseA);
    try {
      const rows = await service.store.rows('SELECT count(*) AS n FROM flows WHERE dst_port = 21');
      expect(ftp).toEqual({ count: Number(rows[0]!.n) });
      expect(ftp.count).toBeGreaterThan(0);
      expect((page as { rows: unknown[] }).rows).toHaveLength(ftp.count);
    } finally {
      await service.close();
    }
  } finally {
    await client.close().catch(() => undefined);
  }
}, 60_000);
