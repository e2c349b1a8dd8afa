import { describe, expect, it } from 'vitest';
import type { FlowLabel, LabelSummary } from '../../../src/shared/label-types';
import { LABEL_FIELD, attachLabels, pageFlowIds } from '../../../src/renderer/src/labels/attach-labels';
import { labelCellText } from '../../../src/renderer/src/labels/label-column';
import { isTyping, labelShortcutForKey } from '../../../src/renderer/src/labels/label-shortcuts';
import { captureRows, classRows, describeBatch, percent } from '../../../src/renderer/src/labels/labels-rows';

const key = (
  key: string,
  modifiers: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {},
) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...modifiers,
});

describe('label shortcuts', () => {
  it('map B/M/L to the selected rows and Shift to every matching row', () => {
    expect(labelShortcutForKey(key('b'), false)).toEqual({
      kind: 'label',
      label: 'benign',
      scope: 'selected',
    });
    expect(labelShortcutForKey(key('M', { shiftKey: true }), false)).toEqual({
      kind: 'label',
      label: 'malicious',
      scope: 'matching',
    });
    expect(labelShortcutForKey(key('l'), false)).toEqual({
      kind: 'label',
      label: 'chosen',
      scope: 'selected',
    });
    expect(labelShortcutForKey(key('u'), false)).toEqual({ kind: 'clear' });
  });
  it('undo/redo with Ctrl or Cmd; nothing while typing or with Alt', () => {
    expect(labelShortcutForKey(key('z', { ctrlKey: true }), false)).toEqual({ kind: 'undo' });
    expect(labelShortcutForKey(key('Z', { metaKey: true, shiftKey: true }), false)).toEqual({ kind: 'redo' });
    expect(labelShortcutForKey(key('y', { ctrlKey: true }), false)).toEqual({ kind: 'redo' });
    expect(labelShortcutForKey(key('b'), true)).toBeUndefined();
    expect(labelShortcutForKey(key('b', { altKey: true }), false)).toBeUndefined();
    expect(labelShortcutForKey(key('b', { ctrlKey: true }), false)).toBeUndefined();
    expect(labelShortcutForKey(key('x'), false)).toBeUndefined();
  });
  it('knows text fields', () => {
    expect(isTyping({ tagName: 'INPUT' } as unknown as EventTarget)).toBe(true);
    expect(isTyping({ tagName: 'DIV', isContentEditable: false } as unknown as EventTarget)).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});

describe('label column', () => {
  const label = (flowId: number, extra: Partial<FlowLabel> = {}): FlowLabel => ({
    flowId,
    label: 'malicious',
    tags: [],
    source: 'manual',
    labeledAt: '2024-01-01T00:00:00Z',
    conflict: false,
    claims: [],
    ...extra,
  });
  it('merges labels into page rows by flow id, null for unlabeled rows, without changing the input', () => {
    const rows: Record<string, unknown>[] = [{ flow_id: 1, src_ip: 'a' }, { flow_id: 2 }, { flow_id: 3 }];
    const merged = attachLabels(rows, [
      label(3, { tags: ['scan'] }),
      label(1, {
        label: 'benign',
        conflict: true,
        claims: [{ label: 'malicious', source: 'rule', batchId: 4 }],
      }),
    ]);
    expect(merged.map((row) => labelCellText(row[LABEL_FIELD] as never))).toEqual([
      '⚠ benign',
      '',
      'malicious · scan',
    ]);
    expect(merged[0]!.src_ip).toBe('a');
    expect((merged[0]![LABEL_FIELD] as { title: string }).title).toMatch(
      /conflict: malicious \(rule, act 4\)/,
    );
    expect(rows[0]).not.toHaveProperty(LABEL_FIELD);
    expect(pageFlowIds([{ flow_id: 5 }, { flow_id: 'x' }, {}])).toEqual([5]);
  });
});

describe('labels view rows', () => {
  const summary: LabelSummary = {
    totalFlows: 100,
    labeledFlows: 30,
    unlabeledShare: 0.7,
    conflicts: 2,
    classes: [
      { label: 'benign', flows: 20 },
      { label: 'c2-beacon', flows: 10 },
    ],
    captures: [
      {
        captureId: 1,
        fileName: 'a.pcap',
        flows: 80,
        labeled: 30,
        conflicts: 2,
        classes: [
          { label: 'c2-beacon', flows: 10 },
          { label: 'benign', flows: 20 },
        ],
      },
      { captureId: 2, fileName: 'b.pcap', flows: 20, labeled: 0, conflicts: 0, classes: [] },
    ],
    recent: [],
    knownClasses: ['benign', 'malicious', 'c2-beacon'],
    canUndo: true,
    canRedo: false,
  };
  it('class rows include the unlabeled flows, largest first', () => {
    expect(classRows(summary).map((row) => [row.label, row.flows, percent(row.share)])).toEqual([
      ['unlabeled', 70, '70.0%'],
      ['benign', 20, '20.0%'],
      ['c2-beacon', 10, '10.0%'],
    ]);
  });
  it('capture rows give each capture its unlabeled share and classes', () => {
    expect(
      captureRows(summary).map((row) => [row.fileName, percent(row.unlabeledShare), row.classes]),
    ).toEqual([
      ['a.pcap', '62.5%', 'benign 20 · c2-beacon 10'],
      ['b.pcap', '100.0%', ''],
    ]);
  });
  it('describes an act for the activity list', () => {
    expect(
      describeBatch({
        batchId: 3,
        createdAt: '2024-01-01T00:00:00Z',
        actor: 'ana',
        source: 'rule',
        kind: 'label',
        label: 'malicious',
        tags: ['scan'],
        reason: 'telnet sweep',
        target: 'filter: dst_port = 23',
        ruleId: 1,
        flows: 12,
        conflicts: 3,
        state: 'undone',
      }),
    ).toBe('rule: malicious [scan] on 12 flows (3 in conflict) — telnet sweep (undone)');
  });
});
