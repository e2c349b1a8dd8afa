import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseStore } from '../../../src/main/store/case-store';
import { applyLabels, clearLabels, redoLabels, undoLabels } from '../../../src/main/labels/apply-labels';
import { actStatus, labelHistory } from '../../../src/main/labels/label-history';
import { addSyntheticCapture } from './bulk-case';

const flowId = (capture: number, n: number) => capture * 2 ** 32 + n;
/** [batchId, status, flowLabel] of each act, newest first. */
const statuses = async (store: CaseStore, id: number) =>
  (await labelHistory(store, { flowId: id })).map((entry) => [entry.batchId, entry.status, entry.flowLabel]);

describe('issue #4 - a flow label history says where each act stands', () => {
  let dir: string;
  let store: CaseStore;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-history-'));
    store = await CaseStore.open(path.join(dir, 'case.duckdb'));
    await addSyntheticCapture(store, 1, 20);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('marks the current act, superseded ones, conflicting claims, undone and discarded acts', async () => {
    const target = { flowIds: [flowId(1, 3)] };
    const first = await applyLabels(store, { target, label: 'benign', source: 'manual', reason: 'looked fine' });
    const second = await applyLabels(store, { target, label: 'malicious', tags: ['c2'], source: 'manual', reason: 'beacons' });
    let history = await labelHistory(store, { flowId: flowId(1, 3) });
    expect(history.map((entry) => [entry.batchId, entry.status, entry.flowLabel, entry.undoable])).toEqual([
      [second.batchId, 'current', 'malicious', true],
      [first.batchId, 'superseded', 'benign', false],
    ]);
    expect(history[0]).toMatchObject({ source: 'manual', reason: 'beacons', flowTags: ['c2'], kind: 'label' });
    expect(history[0]!.actor).toBeTruthy();

    // A weaker rule that disagrees: the manual act still wins, the rule's claim is a conflict.
    const rule = await applyLabels(store, { target: { captureId: 1 }, label: 'scan', source: 'rule' });
    expect(rule.conflicts).toBeGreaterThan(0);
    expect(await statuses(store, flowId(1, 3))).toEqual([
      [rule.batchId, 'conflicting', 'scan'],
      [second.batchId, 'current', 'malicious'],
      [first.batchId, 'superseded', 'benign'],
    ]);
    // On a flow only the rule touched, the rule is current.
    expect(await statuses(store, flowId(1, 4))).toEqual([[rule.batchId, 'current', 'scan']]);

    await undoLabels(store);
    history = await labelHistory(store, { flowId: flowId(1, 3) });
    expect(history.map((entry) => [entry.status, entry.undoable, entry.redoable])).toEqual([
      ['undone', false, true],
      ['current', true, false],
      ['superseded', false, false],
    ]);
    await redoLabels(store);
    await undoLabels(store);

    // A new act discards the undone one; a manual clear is then what is in effect.
    const cleared = await clearLabels(store, { target, reason: 'not sure any more' });
    expect(await statuses(store, flowId(1, 3))).toEqual([
      [cleared.batchId, 'current', null],
      [rule.batchId, 'discarded', 'scan'],
      [second.batchId, 'superseded', 'malicious'],
      [first.batchId, 'superseded', 'benign'],
    ]);
    expect(await statuses(store, flowId(1, 9))).toEqual([[rule.batchId, 'discarded', 'scan']]);
    expect(await labelHistory(store, { flowId: flowId(2, 0) })).toEqual([]);
  });

  it('actStatus: an applied clear that is not the newest act is superseded', () => {
    const standing = { winner: undefined, claimActs: new Set<number>() };
    expect(actStatus({ batchId: 1, state: 'applied', kind: 'clear' }, standing, 2)).toBe('superseded');
    expect(actStatus({ batchId: 2, state: 'applied', kind: 'clear' }, standing, 2)).toBe('current');
    expect(actStatus({ batchId: 2, state: 'applied', kind: 'label' }, standing, 2)).toBe('superseded');
    expect(actStatus({ batchId: 2, state: 'undone', kind: 'label' }, standing, 2)).toBe('undone');
  });
});

describe('closing a case after labeling', () => {
  it('releases the file: another process can open the case after FlowlabService.close', async () => {
    const { FlowlabService } = await import('../../../src/main/service/flowlab-service');
    const { execFileSync } = await import('node:child_process');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-close-'));
    try {
      const casePath = path.join(dir, 'case.duckdb');
      const service = await FlowlabService.open(casePath);
      await addSyntheticCapture(service.store, 1, 5);
      await applyLabels(service.store, { target: { captureId: 1 }, label: 'benign', source: 'manual' });
      await service.close();
      // DuckDB's lock is per process: a second process fails to open a file the first still holds.
      const script = `import('@duckdb/node-api').then(async ({ DuckDBInstance }) => { const db = await DuckDBInstance.create(${JSON.stringify(casePath)}); db.closeSync(); console.log('opened'); })`;
      expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim()).toBe('opened');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
