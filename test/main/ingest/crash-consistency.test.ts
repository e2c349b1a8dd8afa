/**
 * Crash consistency (issue #7): `flowlab ingest` (the built CLI) is killed with SIGKILL at
 * random points, many times. After every kill the case must reopen, a capture that was already
 * complete must be intact, the interrupted capture must not be 'complete' (unless the kill came
 * after its commit, and then its flows must be the clean ones), and ingesting it again must
 * complete with exactly the flows of a clean ingest, leaving no orphan packets or flows.
 * The same for `flowlab label` (a labeling act is all or nothing: after a kill every flow has
 * exactly the label it had before the act, or exactly the one the act gives; no committed
 * label is lost) and `flowlab export` (the output is absent or complete, the case unharmed).
 * FLOWLAB_CRASH_KILLS sets the number of kills of each kind (default 6).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandlers } from '../../../src/main/query/api-handlers';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { CaseStore } from '../../../src/main/store/case-store';
import { buildCli, ROOT, runCli } from './cli-process';

const KILLS = Number(process.env.FLOWLAB_CRASH_KILLS ?? 6);
const committed = path.join(ROOT, 'test/fixtures/pcaps/ftp_bruteforce.pcap');
const source = path.join(ROOT, 'test/fixtures/pcaps/dns_mixed_queries_mdns_llmnr.pcap');
/** Small blocks and one worker make the ingest long enough to be killed in the middle. */
const INGEST_OPTIONS = ['--workers', '1', '--block-bytes', '512', '--json'];

const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-crash-'));
const baseCase = path.join(dir, 'base.duckdb');
/** The fixture's records repeated 8 times, 1000 s apart: long enough an ingest to be killed inside. */
const interrupted = path.join(dir, 'repeated.pcap');
writeFileSync(interrupted, repeatedCapture(readFileSync(source), 8));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface CaseState {
  captures: {
    id: number;
    path: string;
    status: string;
    flows: number;
    packets: number;
    warnings: string[];
  }[];
  orphanPackets: number;
  orphanFlows: number;
}

async function readCase(casePath: string): Promise<CaseState> {
  const store = await CaseStore.open(casePath);
  try {
    const captures = (await store.listCaptures()).map(
      ({ id, path: file, status, flows, packets, warnings }) => ({
        id,
        path: file,
        status,
        flows,
        packets,
        warnings,
      }),
    );
    const [orphans] = await store.rows(
      `SELECT (SELECT count(*) FROM packets WHERE capture_id NOT IN (SELECT id FROM captures)) AS packets,
              (SELECT count(*) FROM flows WHERE capture_id NOT IN (SELECT id FROM captures)) AS flows`,
    );
    return { captures, orphanPackets: Number(orphans!.packets), orphanFlows: Number(orphans!.flows) };
  } finally {
    store.close();
  }
}

/** Every flow column but the ids, in a stable order: what a clean ingest of `file` gives. */
async function flowsOf(casePath: string, file: string): Promise<string[]> {
  const store = await CaseStore.open(casePath);
  try {
    const rows = await store.rows(
      `SELECT f.* EXCLUDE (flow_id, capture_id), (SELECT count(*) FROM packets p WHERE p.flow_id = f.flow_id) AS packet_rows
       FROM flows f JOIN captures c ON c.id = f.capture_id WHERE c.path = $path ORDER BY ALL`,
      { path: file },
    );
    return rows.map((row) => JSON.stringify(row));
  } finally {
    store.close();
  }
}

/** A little-endian microsecond pcap's records `times` times over, each copy 1000 s later. */
function repeatedCapture(pcap: Buffer, times: number): Buffer {
  const parts: Buffer[] = [pcap.subarray(0, 24)];
  for (let copy = 0; copy < times; copy++) {
    for (let offset = 24; offset + 16 <= pcap.length;) {
      const length = 16 + pcap.readUInt32LE(offset + 8);
      const record = Buffer.from(pcap.subarray(offset, offset + length));
      record.writeUInt32LE(record.readUInt32LE(0) + copy * 1000, 0);
      parts.push(record);
      offset += length;
    }
  }
  return Buffer.concat(parts);
}

function copyCase(from: string, to: string): void {
  copyFileSync(from, to);
  if (existsSync(`${from}.wal`)) copyFileSync(`${from}.wal`, `${to}.wal`);
}

/** mulberry32, so the kill points reproduce. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('SIGKILL during flowlab ingest', () => {
  let cleanFlows: string[];
  let cleanMs: number;
  /** Process start, case open and close: kills before this land before the ingest starts. */
  let startupMs: number;
  let committedState: CaseState['captures'][number];

  beforeAll(async () => {
    buildCli();
    const first = await runCli(['ingest', committed, '--db', baseCase, ...INGEST_OPTIONS]);
    expect(first.code, first.stderr).toBe(0);
    committedState = (await readCase(baseCase)).captures[0]!;
    const cleanCase = path.join(dir, 'clean.duckdb');
    copyCase(baseCase, cleanCase);
    let started = performance.now();
    await runCli(['captures', cleanCase, '--json']);
    startupMs = performance.now() - started;
    started = performance.now();
    const clean = await runCli(['ingest', interrupted, '--db', cleanCase, ...INGEST_OPTIONS]);
    cleanMs = performance.now() - started;
    expect(clean.code, clean.stderr).toBe(0);
    cleanFlows = await flowsOf(cleanCase, interrupted);
    expect(cleanFlows.length).toBeGreaterThan(100);
  });

  it(`${KILLS} kills at random points: the case reopens, nothing committed is lost, re-ingest matches a clean one`, async () => {
    const next = random(7);
    const outcomes = { beforeCapture: 0, interrupted: 0, afterCommit: 0 };
    for (let kill = 0; kill < KILLS; kill++) {
      const casePath = path.join(dir, `kill-${kill}.duckdb`);
      copyCase(baseCase, casePath);
      // Mostly inside the ingest: from late in the start-up to just after the clean run's end.
      const from = startupMs * 0.8;
      const delay = Math.round(from + next() * (cleanMs - from) * 1.1);
      const run = await runCli(['ingest', interrupted, '--db', casePath, ...INGEST_OPTIONS], delay);
      const label = `kill ${kill} after ${delay} ms (${run.signal ?? `exit ${run.code}`})`;

      const after = await readCase(casePath);
      expect(
        after.captures.find((c) => c.path === committed),
        label,
      ).toEqual(committedState);
      const victim = after.captures.find((c) => c.path === interrupted);
      if (!victim) outcomes.beforeCapture++;
      else if (victim.status === 'complete') {
        outcomes.afterCommit++;
        expect(await flowsOf(casePath, interrupted), label).toEqual(cleanFlows);
      } else {
        outcomes.interrupted++;
        expect(victim.status, label).toBe('incomplete');
        expect(victim.warnings.join(' '), label).toMatch(/interrupted/);
      }

      const again = await runCli(['ingest', interrupted, '--db', casePath, ...INGEST_OPTIONS]);
      expect(again.code, `${label}: ${again.stderr}`).toBe(0);
      const redone = await readCase(casePath);
      expect(
        redone.captures.filter((c) => c.path === interrupted).map((c) => c.status),
        label,
      ).toEqual(['complete']);
      expect(redone.orphanPackets + redone.orphanFlows, label).toBe(0);
      expect(await flowsOf(casePath, interrupted), label).toEqual(cleanFlows);
      rmSync(casePath, { force: true });
      rmSync(`${casePath}.wal`, { force: true });
    }
    console.log(`crash consistency: ${KILLS} kills`, outcomes);
    // The kill points must really land inside ingests, not only before or after them.
    expect(outcomes.interrupted).toBeGreaterThanOrEqual(Math.ceil(KILLS / 4));
  }, 600_000);
});

/** Label of every flow of the case (flow id -> class), through the API handlers. */
async function labelsOf(casePath: string): Promise<Record<number, string>> {
  const service = await FlowlabService.open(casePath, { workers: 1 });
  try {
    const handlers = createApiHandlers(service, { emit: () => undefined });
    const ids = (await service.store.rows('SELECT flow_id FROM flows ORDER BY flow_id')).map((row) =>
      Number(row.flow_id),
    );
    const labels = await handlers['labels.forFlows']({ flowIds: ids });
    return Object.fromEntries(labels.map((label) => [label.flowId, label.label]));
  } finally {
    await service.close();
  }
}

describe('SIGKILL during flowlab label and flowlab export', () => {
  const labeledCase = path.join(dir, 'labeled.duckdb');
  const act = ['--class', 'malicious', '--filter', 'protocol = 17', '--reason', 'second act'];
  let before: Record<number, string>;
  let after: Record<number, string>;
  let actMs: number;
  let exportMs: number;
  let cleanExport: string;

  beforeAll(async () => {
    buildCli();
    const ingest = await runCli(['ingest', interrupted, '--db', labeledCase, ...INGEST_OPTIONS]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const first = await runCli([
      'label',
      labeledCase,
      '--class',
      'benign',
      '--filter',
      'dst_port = 53',
      '--reason',
      'first act',
    ]);
    expect(first.code, first.stderr).toBe(0);
    before = await labelsOf(labeledCase);
    const applied = path.join(dir, 'applied.duckdb');
    copyCase(labeledCase, applied);
    let started = performance.now();
    const second = await runCli(['label', applied, ...act]);
    actMs = performance.now() - started;
    expect(second.code, second.stderr).toBe(0);
    after = await labelsOf(applied);
    // The two states differ, so a half-applied act would show.
    expect(Object.keys(before).length).toBeGreaterThan(100);
    expect(Object.values(after).filter((label) => label === 'malicious').length).toBeGreaterThan(100);
    started = performance.now();
    const exported = await runCli(['export', labeledCase, '--out', path.join(dir, 'clean.csv')]);
    exportMs = performance.now() - started;
    expect(exported.code, exported.stderr).toBe(0);
    cleanExport = readFileSync(path.join(dir, 'clean.csv'), 'utf8');
  });

  it(`${KILLS} kills of a labeling act: every flow keeps its old label or has the new one, never a mix`, async () => {
    const next = random(11);
    const outcomes = { before: 0, after: 0 };
    for (let kill = 0; kill < KILLS; kill++) {
      const casePath = path.join(dir, `label-kill-${kill}.duckdb`);
      copyCase(labeledCase, casePath);
      const delay = Math.round(next() * actMs * 1.1);
      await runCli(['label', casePath, ...act], delay);
      const labels = await labelsOf(casePath);
      const state = JSON.stringify(labels) === JSON.stringify(before) ? 'before' : 'after';
      expect(labels, `kill ${kill} after ${delay} ms`).toEqual(state === 'before' ? before : after);
      outcomes[state]++;
      rmSync(casePath, { force: true });
      rmSync(`${casePath}.wal`, { force: true });
    }
    console.log(`label crash consistency: ${KILLS} kills`, outcomes);
  }, 600_000);

  it(`${KILLS} kills of an export: the output is absent or complete, the case unharmed`, async () => {
    const next = random(13);
    const outcomes = { absent: 0, complete: 0 };
    for (let kill = 0; kill < KILLS; kill++) {
      const out = path.join(dir, `export-kill-${kill}.csv`);
      const delay = Math.round(next() * exportMs * 1.1);
      await runCli(['export', labeledCase, '--out', out], delay);
      if (existsSync(out)) {
        expect(readFileSync(out, 'utf8'), `kill ${kill} after ${delay} ms`).toBe(cleanExport);
        outcomes.complete++;
      } else outcomes.absent++;
      rmSync(out, { force: true });
      rmSync(`${out}.partial`, { force: true });
    }
    expect(await labelsOf(labeledCase)).toEqual(before);
    console.log(`export crash consistency: ${KILLS} kills`, outcomes);
  }, 600_000);
});
