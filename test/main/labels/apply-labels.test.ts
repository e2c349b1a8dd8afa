import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseStore } from '../../../src/main/store/case-store';
import { applyLabels, clearLabels, redoLabels, undoLabels } from '../../../src/main/labels/apply-labels';
import {
  labelHistory,
  labelSummary,
  labelsForFlows,
  labelConflicts,
} from '../../../src/main/labels/label-queries';
import { applyRule, listRules, saveRule } from '../../../src/main/labels/label-rules';
import { addSyntheticCapture, reingestSynthetic } from './bulk-case';

const STRIDE = 2 ** 32;
const flowId = (capture: number, n: number) => capture * STRIDE + n;

/** flow_id → label of every labeled flow, read through the shared view. */
async function currentLabels(store: CaseStore): Promise<Map<number, string>> {
  const rows = await store.rows('SELECT flow_id, label FROM flow_labels_current ORDER BY flow_id');
  return new Map(rows.map((row) => [Number(row.flow_id), String(row.label)]));
}

describe('labeling acts', () => {
  let dir: string;
  let store: CaseStore;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-labels-'));
    store = await CaseStore.open(path.join(dir, 'case.duckdb'));
    await addSyntheticCapture(store, 1, 30);
    await addSyntheticCapture(store, 2, 10);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('labels selected rows, a filter and a capture, and the shared view has exactly its columns', async () => {
    const selected = await applyLabels(store, {
      target: { flowIds: [flowId(1, 1), flowId(1, 2)] },
      label: 'Malicious',
      tags: ['scan', 'scan', ' nmap '],
      source: 'manual',
      reason: 'seen in IDS',
    });
    expect(selected).toMatchObject({ flows: 2, conflicts: 0 });
    // dst_port 23 is every third flow: capture 1 has 10 (n = 0, 3, ..., 27), capture 2 has 4.
    const filtered = await applyLabels(store, {
      target: { filter: { expression: 'dst_port = 23' }, captureId: 1 },
      label: 'mirai-scan',
      source: 'rule',
    });
    expect(filtered.flows).toBe(10);
    const whole = await applyLabels(store, { target: { captureId: 2 }, label: 'benign', source: 'capture' });
    expect(whole.flows).toBe(10);

    const labels = await currentLabels(store);
    expect(labels.size).toBe(2 + 10 + 10);
    expect(labels.get(flowId(1, 1))).toBe('malicious');
    expect(labels.get(flowId(1, 3))).toBe('mirai-scan');
    expect(labels.get(flowId(2, 3))).toBe('benign');
    expect(labels.has(flowId(1, 4))).toBe(false);

    const described = await store.rows('DESCRIBE flow_labels_current');
    expect(described.map((row) => [row.column_name, row.column_type])).toEqual([
      ['flow_id', 'BIGINT'],
      ['capture_id', 'INTEGER'],
      ['label', 'VARCHAR'],
      ['tags', 'VARCHAR[]'],
      ['source', 'VARCHAR'],
      ['labeled_at', 'TIMESTAMP'],
    ]);
    const [row] = await labelsForFlows(store, { flowIds: [flowId(1, 1)] });
    expect(row).toMatchObject({
      label: 'malicious',
      tags: ['nmap', 'scan'],
      source: 'manual',
      conflict: false,
    });
    const history = await labelHistory(store, { flowId: flowId(1, 1) });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      reason: 'seen in IDS',
      source: 'manual',
      flowLabel: 'malicious',
      state: 'applied',
    });
    expect(history[0]!.actor).toBeTruthy();
  });

  it('undo and redo walk the acts back and forth; a new act discards the redo history', async () => {
    await applyLabels(store, { target: { captureId: 1 }, label: 'benign', source: 'manual' });
    await applyLabels(store, { target: { flowIds: [flowId(1, 0)] }, label: 'malicious', source: 'manual' });
    expect((await currentLabels(store)).get(flowId(1, 0))).toBe('malicious');

    const undone = await undoLabels(store);
    expect(undone).toMatchObject({ label: 'malicious', state: 'undone' });
    expect((await currentLabels(store)).get(flowId(1, 0))).toBe('benign');
    await undoLabels(store);
    expect((await currentLabels(store)).size).toBe(0);
    expect(await undoLabels(store)).toBeNull();

    expect(await redoLabels(store)).toMatchObject({ label: 'benign', state: 'applied' });
    expect((await currentLabels(store)).get(flowId(1, 0))).toBe('benign');
    expect((await labelSummary(store)).canRedo).toBe(true);

    await applyLabels(store, { target: { flowIds: [flowId(1, 5)] }, label: 'c2-beacon', source: 'manual' });
    expect(await redoLabels(store)).toBeNull();
    const labels = await currentLabels(store);
    expect(labels.get(flowId(1, 0))).toBe('benign');
    expect(labels.get(flowId(1, 5))).toBe('c2-beacon');
  });

  it('clear removes labels and can be undone', async () => {
    await applyLabels(store, { target: { captureId: 1 }, label: 'benign', source: 'capture' });
    const cleared = await clearLabels(store, { target: { flowIds: [flowId(1, 0), flowId(1, 1)] } });
    expect(cleared.flows).toBe(2);
    expect((await currentLabels(store)).size).toBe(28);
    await undoLabels(store);
    expect((await currentLabels(store)).size).toBe(30);
  });

  it('conflicts are kept visible: a weaker source does not overwrite, a manual verdict resolves', async () => {
    await applyLabels(store, { target: { captureId: 1 }, label: 'benign', source: 'import' });
    const rule = await applyLabels(store, {
      target: { filter: { expression: 'dst_port = 23' }, captureId: 1 },
      label: 'malicious',
      source: 'rule',
    });
    expect(rule).toMatchObject({ flows: 10, conflicts: 10 });
    const labels = await currentLabels(store);
    expect(labels.get(flowId(1, 3))).toBe('benign'); // import outranks rule
    const [flow] = await labelsForFlows(store, { flowIds: [flowId(1, 3)] });
    expect(flow!.conflict).toBe(true);
    expect(flow!.claims.map((claim) => `${claim.label}/${claim.source}`).sort()).toEqual([
      'benign/import',
      'malicious/rule',
    ]);
    const summary = await labelSummary(store);
    expect(summary.conflicts).toBe(10);
    expect((await labelConflicts(store, {})).map((conflict) => conflict.flowId)).toContain(flowId(1, 3));

    // The same class from another source is agreement, not conflict.
    const agree = await applyLabels(store, {
      target: { flowIds: [flowId(1, 4)] },
      label: 'benign',
      source: 'model',
    });
    expect(agree.conflicts).toBe(0);

    // Among claims of equal rank the latest wins; the disagreement is a conflict.
    const later = await applyLabels(store, {
      target: { flowIds: [flowId(1, 4)] },
      label: 'malicious',
      source: 'import',
    });
    expect(later.conflicts).toBe(1);
    expect((await currentLabels(store)).get(flowId(1, 4))).toBe('malicious');
    expect((await labelSummary(store)).conflicts).toBe(11);

    const verdict = await applyLabels(store, {
      target: { flowIds: [flowId(1, 3)] },
      label: 'malicious',
      source: 'manual',
    });
    expect(verdict.conflicts).toBe(0);
    expect((await currentLabels(store)).get(flowId(1, 3))).toBe('malicious');
    expect((await labelSummary(store)).conflicts).toBe(10);

    await undoLabels(store); // the verdict
    expect((await labelSummary(store)).conflicts).toBe(11);
    await undoLabels(store); // flow 4's second import
    expect((await labelSummary(store)).conflicts).toBe(10);
    expect((await currentLabels(store)).get(flowId(1, 4))).toBe('benign');
  });

  it('labels survive closing the case and re-ingesting the capture (new flow ids)', async () => {
    await applyLabels(store, { target: { flowIds: [flowId(1, 7)] }, label: 'malicious', source: 'manual' });
    await applyLabels(store, { target: { captureId: 2 }, label: 'benign', source: 'capture' });
    store.close();
    store = await CaseStore.open(path.join(dir, 'case.duckdb'));
    expect((await currentLabels(store)).get(flowId(1, 7))).toBe('malicious');

    await reingestSynthetic(store, 1, 3);
    const labels = await currentLabels(store);
    expect(labels.has(flowId(1, 7))).toBe(false);
    expect(labels.get(flowId(3, 7))).toBe('malicious');
    expect(labels.size).toBe(11);
    // Undo still works on the reattached label.
    await undoLabels(store); // capture 2
    await undoLabels(store); // flow 7
    expect((await currentLabels(store)).size).toBe(0);

    // Undo and redo also reach the parked labels of a removed capture.
    await redoLabels(store); // flow 7
    await redoLabels(store); // capture 2
    await store.deleteCapture(2);
    const parked = async () =>
      Number((await store.rows('SELECT count(*) AS n FROM label_parked_state'))[0]!.n);
    expect(await parked()).toBe(10);
    await undoLabels(store);
    expect(await parked()).toBe(0);
    await redoLabels(store);
    expect(await parked()).toBe(10);
  });

  it('saved rules (expression, time window, hosts) re-apply to a capture ingested later', async () => {
    const rule = await saveRule(store, {
      name: 'telnet scan',
      label: 'mirai-scan',
      tags: ['telnet'],
      expression: 'dst_port = 23',
      // first_seen = T0 + n ms: flows 0..19 of each capture
      timeRange: { from: '2024-01-01T00:00:00Z', to: '2024-01-01T00:00:00.020Z' },
      hosts: ['192.0.2.3', '192.0.2.6', '192.0.2.9', '192.0.2.27'],
    });
    expect(rule).toMatchObject({
      ruleId: 1,
      label: 'mirai-scan',
      hosts: ['192.0.2.3', '192.0.2.6', '192.0.2.9', '192.0.2.27'],
    });
    const first = await applyRule(store, { ruleId: rule.ruleId });
    // dst_port 23 (n % 3 = 0), n < 20, dst 192.0.2.(n % 250) in the host list: n = 3, 6, 9 in captures 1 and 2
    expect(first.flows).toBe(6);
    expect((await listRules(store))[0]!.lastAppliedAt).not.toBeNull();

    await addSyntheticCapture(store, 5, 30, 'fp-new');
    const later = await applyRule(store, { ruleId: rule.ruleId, captureIds: [5] });
    expect(later.flows).toBe(3);
    const labels = await currentLabels(store);
    expect([...labels.keys()].filter((id) => id >= flowId(5, 0)).sort()).toEqual([
      flowId(5, 3),
      flowId(5, 6),
      flowId(5, 9),
    ]);
    const [history] = await labelHistory(store, { flowId: flowId(5, 3) });
    expect(history).toMatchObject({ source: 'rule', ruleId: rule.ruleId, tags: ['telnet'] });

    // Saving under the same name replaces the rule; a bad expression is refused.
    expect((await saveRule(store, { name: 'telnet scan', label: 'benign' })).ruleId).toBe(rule.ruleId);
    await expect(
      saveRule(store, { name: 'x', label: 'benign', expression: 'dst_port ==' }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('rejects bad requests with INVALID_ARGUMENT and never accepts raw SQL from the API path', async () => {
    const bad = [
      { target: {}, label: 'benign', source: 'manual' },
      { target: { captureId: 1 }, label: 'not a class!', source: 'manual' },
      { target: { captureId: 1 }, label: 'benign', source: 'oracle' },
      { target: { flowIds: [-1] }, label: 'benign', source: 'manual' },
      { target: { filter: { expression: 'dst_port = = 3' } }, label: 'benign', source: 'manual' },
      { target: { sqlWhere: 'TRUE' }, label: 'benign', source: 'manual' },
    ];
    for (const request of bad) {
      await expect(applyLabels(store, request as never), JSON.stringify(request)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
    expect((await currentLabels(store)).size).toBe(0);
  });
});
