/**
 * The error an ingest reports is the one that stopped it, even when the case cannot record the
 * failure afterwards (after a fatal DuckDB error every statement fails with "database has been
 * invalidated", which used to replace the real cause).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode, FlowlabError } from '../../../src/shared/errors';
import { FlowlabService } from '../../../src/main/service/flowlab-service';

const capture = path.resolve(import.meta.dirname, '../../fixtures/pcaps/dns_mixed_queries_mdns_llmnr.pcap');

describe('ingest failure report', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-failure-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the cause, not the error of recording the failure', async () => {
    const service = await FlowlabService.open(path.join(dir, 'case.duckdb'), { workers: 1 });
    try {
      const controller = new AbortController();
      const store = service.store;
      const finishCapture = store.finishCapture.bind(store);
      let recordAttempts = 0;
      store.finishCapture = async (...args) => {
        if (args[1].status === 'complete') return finishCapture(...args);
        recordAttempts++;
        throw new Error('FATAL Error: Failed: database has been invalidated because of a previous fatal error');
      };
      const ingest = service.ingest(capture, {
        blockBytes: 2048,
        progressIntervalMs: 0,
        onProgress: () => controller.abort(),
        signal: controller.signal,
      });
      const error = await ingest.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(FlowlabError);
      expect((error as FlowlabError).code).toBe(ErrorCode.cancelled);
      expect(recordAttempts).toBe(1);
    } finally {
      await service.close();
    }
  });
});
