/**
 * Labeling in the flows view: a class picker (built-in, known and new classes), tags, and
 * actions on the selected rows or on every row matching the current filter (any number: the
 * backend labels them in one set-based act), with undo/redo and keyboard shortcuts
 * (label-shortcuts.ts). The last act's result, conflicts included, stays visible.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LabelApplyResult, LabelTarget } from '../../../shared/label-types';
import { BUILTIN_CLASSES } from '../../../shared/label-types';
import { useClient } from '../api/api-context';
import { errorMessage } from '../common/use-async';
import { normalizeFilter } from '../filter/filter-model';
import { useFlowFilter } from '../filter/filter-context';
import { formatCount } from '../format/format-values';
import { publishFlowSelection } from '../export/flow-selection';
import { isTyping, labelShortcutForKey } from './label-shortcuts';
import type { LabelShortcut } from './label-shortcuts';
import { useLabelVersion } from './use-label-version';

interface Props {
  active: boolean;
  selectedFlowIds: readonly number[];
  /** Flows matching the current filter (for the "all matching" button), when known. */
  matchingCount: number | undefined;
}

export function describeResult(verb: string, result: LabelApplyResult): string {
  const conflicts = result.conflicts
    ? `, ${formatCount(result.conflicts)} in conflict (kept, see Labels)`
    : '';
  return `${verb} ${formatCount(result.flows)} ${result.flows === 1 ? 'flow' : 'flows'}${conflicts}`;
}

export function LabelBar({ active, selectedFlowIds, matchingCount }: Props) {
  const { api } = useClient();
  const { filter } = useFlowFilter();
  const version = useLabelVersion();
  const [chosen, setChosen] = useState('malicious');
  const [tags, setTags] = useState('');
  const [classes, setClasses] = useState<string[]>([...BUILTIN_CLASSES]);
  const [status, setStatus] = useState<{ text: string; error?: boolean } | undefined>(undefined);
  // The Export dialog carves the selected rows when there are some (it reads them from here).
  useEffect(() => publishFlowSelection(selectedFlowIds), [selectedFlowIds]);
  useEffect(() => () => publishFlowSelection([]), []);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!active) return;
    void api.labelsSummary({ recent: 0 }).then(
      (summary) => setClasses(summary.knownClasses),
      () => undefined,
    );
  }, [api, active, version]);

  const run = useCallback(async (work: () => Promise<string>) => {
    setBusy(true);
    try {
      setStatus({ text: await work() });
    } catch (error) {
      setStatus({ text: errorMessage(error), error: true });
    } finally {
      setBusy(false);
    }
  }, []);

  const target = useCallback(
    (scope: 'selected' | 'matching'): LabelTarget | undefined =>
      scope === 'selected'
        ? selectedFlowIds.length
          ? { flowIds: [...selectedFlowIds] }
          : undefined
        : { filter: normalizeFilter(filter) },
    [selectedFlowIds, filter],
  );

  const label = useCallback(
    (className: string, scope: 'selected' | 'matching') => {
      const where = target(scope);
      if (!where) return setStatus({ text: 'Select rows first (click, Shift/Ctrl+click)', error: true });
      const tagList = tags
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean);
      void run(async () =>
        describeResult(
          `${className}:`,
          await api.labelsApply({ target: where, label: className, tags: tagList, source: 'manual' }),
        ),
      );
    },
    [api, run, tags, target],
  );

  const act = useCallback(
    (shortcut: LabelShortcut) => {
      if (shortcut.kind === 'label')
        label(shortcut.label === 'chosen' ? chosen : shortcut.label, shortcut.scope);
      else if (shortcut.kind === 'clear') {
        const where = target('selected');
        if (!where) return setStatus({ text: 'Select rows first', error: true });
        void run(async () => describeResult('Cleared', await api.labelsClear({ target: where })));
      } else if (shortcut.kind === 'undo') {
        void run(async () => {
          const batch = await api.labelsUndo();
          return batch
            ? `Undid act ${batch.batchId} (${batch.label ?? batch.kind}, ${formatCount(batch.flows)} flows)`
            : 'Nothing to undo';
        });
      } else {
        void run(async () => {
          const batch = await api.labelsRedo();
          return batch
            ? `Redid act ${batch.batchId} (${batch.label ?? batch.kind}, ${formatCount(batch.flows)} flows)`
            : 'Nothing to redo';
        });
      }
    },
    [api, chosen, label, run, target],
  );

  const latest = useRef(act);
  useEffect(() => {
    latest.current = act;
  });
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent): void => {
      const shortcut = labelShortcutForKey(event, isTyping(event.target));
      if (!shortcut) return;
      event.preventDefault();
      latest.current(shortcut);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [active]);

  const selected = selectedFlowIds.length;
  return (
    <div className="label-bar" data-testid="label-bar">
      <input
        aria-label="Class"
        className="label-class"
        list="label-classes"
        value={chosen}
        onChange={(event) => setChosen(event.target.value.trim().toLowerCase())}
        size={12}
      />
      <datalist id="label-classes">
        {classes.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <input
        aria-label="Tags"
        placeholder="tags, comma-separated"
        value={tags}
        onChange={(event) => setTags(event.target.value)}
        size={14}
      />
      <button
        type="button"
        disabled={busy || !selected || !chosen}
        onClick={() => label(chosen, 'selected')}
        title="L (B benign, M malicious)"
      >
        Label {formatCount(selected)} selected
      </button>
      <button
        type="button"
        disabled={busy || !chosen}
        onClick={() => label(chosen, 'matching')}
        title="Shift+L (Shift+B benign, Shift+M malicious): every flow matching the filter"
      >
        Label all {matchingCount === undefined ? 'matching' : formatCount(matchingCount)}
      </button>
      <button type="button" disabled={busy || !selected} onClick={() => act({ kind: 'clear' })} title="U">
        Clear
      </button>
      <button type="button" disabled={busy} onClick={() => act({ kind: 'undo' })} title="Ctrl+Z">
        Undo
      </button>
      <button type="button" disabled={busy} onClick={() => act({ kind: 'redo' })} title="Ctrl+Shift+Z">
        Redo
      </button>
      {status && (
        <span className={status.error ? 'error-text' : 'muted'} data-testid="label-status" role="status">
          {status.text}
        </span>
      )}
    </div>
  );
}
