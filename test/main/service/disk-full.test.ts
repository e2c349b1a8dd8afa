/**
 * Disk full (issue #7) on a real full filesystem: a small tmpfs holds the case, a filler file
 * takes all but 64 KiB of it, and then an ingest, a CSV export (CLI path) and an API export run
 * out of space. Each must fail with a clear error, leave no partial output, keep everything
 * committed before, and once space is freed the same case ingests the capture completely.
 * Needs root to mount the tmpfs; skipped with the reason otherwise.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, FlowlabError } from '../../../src/shared/errors';
import { createApiHandlers } from '../../../src/main/query/api-handlers';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { isDiskFullError } from '../../../src/main/service/disk-full';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/pcaps');
const mountPoint = mkdtempSync(path.join(os.tmpdir(), 'flowlab-diskfull-'));

function tryMount(): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}
const mountProblem = process.getuid?.() === 0 ? tryMount() : 'not root';
if (mountProblem) console.warn(`SKIPPED disk-full test: cannot mount a small tmpfs (${mountProblem})`);

/**
 * Takes what is free on the tmpfs again (another filler file) but `spareBytes`: a failed step
 * frees what it had written (e.g. an ingest's spool files, DuckDB's temporary blocks), and some
 * of that is released a moment later, so this fills until the free space stays put.
 */
async function fillDisk(spareBytes: number): Promise<void> {
  let stableChecks = 0;
  for (let attempt = 0; attempt < 50 && stableChecks < 3; attempt++) {
    const { bavail, bsize } = statfsSync(mountPoint);
    const free = bavail * bsize;
    if (free > spareBytes) {
      writeFileSync(path.join(mountPoint, `filler-${Date.now()}-${attempt}`), Buffer.alloc(free - spareBytes));
      stableChecks = 0;
    } else {
      stableChecks++;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { bavail, bsize } = statfsSync(mountPoint);
  expect(bavail * bsize).toBeLessThanOrEqual(spareBytes);
}

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as Error,
  );
}

describe.skipIf(mountProblem !== undefined)('disk full', () => {
  const casePath = path.join(mountPoint, 'case.duckdb');
  const filler = path.join(mountPoint, 'filler');
  let service: FlowlabService;

  beforeAll(async () => {
    service = await FlowlabService.open(casePath, { workers: 1 });
    await service.ingest(path.join(fixtures, 'ftp_bruteforce.pcap'));
    const { bavail, bsize } = statfsSync(mountPoint);
    writeFileSync(filler, Buffer.alloc(bavail * bsize - 64 * 1024));
  });
  afterAll(async () => {
    await service?.close().catch(() => undefined);
    try {
      // Lazy: DuckDB may release its file handles a moment after close.
      execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' });
    } catch {
      // not mounted
    }
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('an ingest fails with a clear disk-full error and keeps what was committed', async () => {
    const error = await errorOf(service.ingest(path.join(fixtures, 'dns_mixed_queries_mdns_llmnr.pcap')));
    expect(error).toBeInstanceOf(FlowlabError);
    expect((error as FlowlabError).code).toBe(ErrorCode.io);
    expect(error.message).toMatch(
      /^Disk full: .*dns_mixed_queries_mdns_llmnr\.pcap.*Free disk space and ingest it again\.$/,
    );
    expect(isDiskFullError(error.cause)).toBe(true);
    const captures = await service.listCaptures();
    expect(captures.find((c) => c.fileName === 'ftp_bruteforce.pcap')).toMatchObject({
      status: 'complete',
      flows: 30,
    });
    expect(captures.find((c) => c.fileName === 'dns_mixed_queries_mdns_llmnr.pcap')?.status).not.toBe(
      'complete',
    );
    const rows = await service.store.rows('SELECT count(*) AS n FROM flows');
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(30);
  });

  it('a CSV export fails with a clear error and leaves no partial file', async () => {
    await fillDisk(4096);
    const out = path.join(mountPoint, 'flows.csv');
    const error = await errorOf(service.exportFlowsCsv(out, {}));
    expect((error as FlowlabError).code).toBe(ErrorCode.io);
    expect(error.message).toMatch(/^Disk full: could not write .*flows\.csv/);
    expect(existsSync(out)).toBe(false);
  });

  it('an API export fails with a disk-full error and leaves nothing in the export directory', async () => {
    await fillDisk(4096);
    const handlers = createApiHandlers(service, { emit: () => undefined });
    const { path: exportDir } = await handlers['export.directory']();
    const error = await errorOf(handlers['export.flows']({ fileName: 'flows.csv', format: 'csv' }));
    expect(error.message).toMatch(/no space left on device|disk full/i);
    expect(existsSync(exportDir) ? readdirSync(exportDir) : []).toEqual([]);
  });

  it('once space is freed the same case reopens and the capture ingests completely', async () => {
    for (const name of readdirSync(mountPoint)) if (name.startsWith('filler')) rmSync(path.join(mountPoint, name));
    await service.close();
    service = await FlowlabService.open(casePath, { workers: 1 });
    const { capture } = await service.ingest(path.join(fixtures, 'dns_mixed_queries_mdns_llmnr.pcap'));
    expect(capture).toMatchObject({ status: 'complete', flows: 220 });
    const statuses = (await service.listCaptures()).map((c) => [c.fileName, c.status]);
    expect(statuses).toEqual([
      ['ftp_bruteforce.pcap', 'complete'],
      ['dns_mixed_queries_mdns_llmnr.pcap', 'complete'],
    ]);
    mkdirSync(path.join(mountPoint, 'after'), { recursive: true });
    await service.exportFlowsCsv(path.join(mountPoint, 'after', 'flows.csv'), {});
    expect(existsSync(path.join(mountPoint, 'after', 'flows.csv'))).toBe(true);
  });
});
