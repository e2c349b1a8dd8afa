/**
 * `flowlab label` end to end over real captures: label with a SQL condition, a rule and a whole
 * capture, undo, and labels surviving removal and re-ingest of the capture (new flow ids).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowlabService } from '../../../src/main/service/flowlab-service';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DNS = path.join(ROOT, 'test/fixtures/pcaps/dns_lab_with_nxdomain.pcapng');
const ICMP = path.join(ROOT, 'test/fixtures/pcaps/fmt_pcap_be_usec_icmp_echo.pcap');

/** Runs `flowlab label <case> ...args --json` from the sources; returns the parsed output. */
function label(casePath: string, ...args: string[]): Record<string, unknown> {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'src/main/cli/flowlab.ts'), 'label', casePath, ...args, '--json'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return JSON.parse(out) as Record<string, unknown>;
}

/** Opens the case, runs `work`, closes it (the CLI needs the file unlocked). */
async function withCase<T>(casePath: string, work: (service: FlowlabService) => Promise<T>): Promise<T> {
  const service = await FlowlabService.open(casePath, { workers: 1 });
  try {
    return await work(service);
  } finally {
    await service.close();
  }
}

/** Labeled flows as `src:port>dst:port@first_seen=label`, which does not depend on flow ids. */
const LABELED_KEYS = `SELECT f.src_ip || ':' || f.src_port || '>' || f.dst_ip || ':' || f.dst_port || '@' || f.first_seen || '=' || l.label AS key
  FROM flow_labels_current l JOIN flows f ON f.flow_id = l.flow_id ORDER BY key`;

describe('flowlab label', () => {
  let dir: string;
  let casePath: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-label-cli-'));
    casePath = path.join(dir, 'case.duckdb');
    await withCase(casePath, async (service) => {
      await service.ingest(DNS);
      await service.ingest(ICMP);
    });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('labels by SQL condition, by saved rule and by capture, and undoes', async () => {
    const dnsFlows = await withCase(casePath, (service) =>
      service.store.rows('SELECT count(*) AS n FROM flows WHERE capture_id = 1 AND dst_port = 53'),
    );
    const expected = Number(dnsFlows[0]!.n);
    expect(expected).toBeGreaterThan(5);

    const bySql = label(
      casePath,
      '--class',
      'benign',
      '--where',
      'capture_id = 1 AND dst_port = 53',
      '--reason',
      'lab DNS',
    );
    expect(bySql).toMatchObject({ flows: expected, conflicts: 0 });

    const saved = label(
      casePath,
      '--save-rule',
      'icmp',
      '--class',
      'malicious',
      '--filter',
      'protocol = 1',
      '--tags',
      'ping',
    );
    expect(saved).toMatchObject({
      name: 'icmp',
      label: 'malicious',
      expression: 'protocol = 1',
      tags: ['ping'],
    });
    const ruled = label(casePath, '--apply-rule', 'icmp');
    const icmpFlows = await withCase(casePath, (service) =>
      service.store.rows('SELECT count(*) AS n FROM flows WHERE protocol = 1'),
    );
    expect(ruled).toMatchObject({ flows: Number(icmpFlows[0]!.n) });

    // A weaker 'capture' claim on flows the analyst labeled: conflicts shown, labels kept.
    const whole = label(casePath, '--class', 'c2-beacon', '--capture', '1');
    expect(whole.conflicts).toBe(expected);
    const captureFlows = await withCase(casePath, (service) =>
      service.store.rows('SELECT count(*) AS n FROM flows WHERE capture_id = 1'),
    );
    const others = Number(captureFlows[0]!.n) - expected;
    const summary = label(casePath, '--summary');
    expect(summary).toMatchObject({ conflicts: expected });
    const classes = Object.fromEntries(
      (summary.classes as { label: string; flows: number }[]).map((item) => [item.label, item.flows]),
    );
    expect(classes).toEqual({
      benign: expected,
      malicious: Number(icmpFlows[0]!.n),
      ...(others ? { 'c2-beacon': others } : {}),
    });
    expect(label(casePath, '--undo')).toMatchObject({ undone: { label: 'c2-beacon', state: 'undone' } });
    expect(label(casePath, '--summary')).toMatchObject({ conflicts: 0 });
  }, 120_000);

  it('labels survive removing and re-ingesting the capture (flows get new ids)', async () => {
    const before = await withCase(casePath, async (service) => ({
      keys: await service.store.rows(LABELED_KEYS),
      ids: await service.store.rows('SELECT flow_id FROM flow_labels_current WHERE capture_id = 1'),
    }));
    expect(before.ids.length).toBeGreaterThan(0);
    await withCase(casePath, async (service) => {
      await service.removeCapture(1);
      expect(await service.store.rows('SELECT * FROM flow_labels_current WHERE capture_id = 1')).toEqual([]);
      const again = await service.ingest(DNS);
      expect(again.capture.id).not.toBe(1);
      // The view reattaches them at once, before any labeling act runs.
      expect(await service.store.rows(LABELED_KEYS)).toEqual(before.keys);
    });
    const history = await withCase(casePath, (service) =>
      service.store.rows('SELECT min(flow_id) AS flow_id FROM flow_labels_current WHERE capture_id <> 2'),
    );
    const flowId = Number(history[0]!.flow_id);
    expect(before.ids.map((row) => Number(row.flow_id))).not.toContain(flowId);
    // The next act moves them back under flow ids, with their history.
    label(casePath, '--class', 'benign', '--where', 'protocol = 1');
    const entries = label(casePath, '--history', String(flowId)) as unknown as { reason: string | null }[];
    expect(entries.map((entry) => entry.reason)).toContain('lab DNS');
    await withCase(casePath, async (service) => {
      expect((await service.store.rows(LABELED_KEYS)).length).toBe(before.keys.length);
    });
  }, 120_000);

  it('reports mistakes with exit code 2 and a reason', () => {
    let failure: { status?: number; stderr?: string } | undefined;
    try {
      label(casePath, '--class', 'benign');
    } catch (error) {
      failure = error as { status?: number; stderr?: string };
    }
    expect(failure?.status).toBe(2);
    expect(String(failure?.stderr)).toMatch(/--where SQL, --filter EXPR or --capture ID/);
  });
});
