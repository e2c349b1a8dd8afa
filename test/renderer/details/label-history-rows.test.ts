import { describe, expect, it } from 'vitest';
import type { FlowLabelHistoryEntry } from '../../../src/shared/label-types';
import { labelHistoryRows } from '../../../src/renderer/src/details/label-history-rows';

function entry(batchId: number, overrides: Partial<FlowLabelHistoryEntry> = {}): FlowLabelHistoryEntry {
  return {
    batchId,
    createdAt: `2026-01-0${batchId}T10:00:00.000Z`,
    actor: 'alice',
    source: 'manual',
    kind: 'label',
    label: 'malicious',
    tags: [],
    reason: null,
    target: 'selected flows (1)',
    ruleId: null,
    flows: 1,
    conflicts: 0,
    state: 'applied',
    flowLabel: 'malicious',
    flowTags: [],
    status: 'current',
    undoable: false,
    redoable: false,
    ...overrides,
  };
}

describe('issue #4 - label history rows of the flow details panel', () => {
  it('lists every act newest first with class, tags, who/when/how/why and its status', () => {
    const rows = labelHistoryRows([
      entry(1, { flowLabel: 'benign', label: 'benign', status: 'superseded', reason: 'looked fine', target: 'filter: dst_port = 443', flows: 1200 }),
      entry(3, { source: 'rule', ruleId: 7, flowLabel: 'scan', flowTags: ['telnet', 'mirai'], status: 'conflicting', actor: null, undoable: true }),
      entry(2, { status: 'current', reason: 'beacons every 60 s' }),
    ]);
    expect(rows.map((row) => [row.batchId, row.label, row.statusText, row.undoable])).toEqual([
      [3, 'scan', 'in conflict', true],
      [2, 'malicious', 'current', false],
      [1, 'benign', 'superseded', false],
    ]);
    expect(rows[0]).toMatchObject({ tags: 'telnet, mirai', who: 'unknown', how: 'rule (rule 7)', why: '' });
    expect(rows[1]).toMatchObject({ when: '2026-01-02 10:00:00.000', who: 'alice', how: 'manual', why: 'beacons every 60 s' });
    expect(rows[2]!.target).toBe('filter: dst_port = 443 · 1200 flows');
  });

  it('shows a clear as "cleared" and undone or discarded acts as such', () => {
    const rows = labelHistoryRows([
      entry(5, { kind: 'clear', label: null, flowLabel: null, status: 'current' }),
      entry(4, { status: 'undone', state: 'undone', redoable: true }),
      entry(6, { status: 'discarded', state: 'discarded' }),
    ]);
    expect(rows.map((row) => [row.batchId, row.label, row.status, row.statusText, row.redoable])).toEqual([
      [6, 'malicious', 'discarded', 'discarded (undone, then replaced)', false],
      [5, 'cleared', 'current', 'current', false],
      [4, 'malicious', 'undone', 'undone', true],
    ]);
    expect(labelHistoryRows([])).toEqual([]);
  });
});
