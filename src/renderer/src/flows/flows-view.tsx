/** Flows: quick filter, row count, column chooser, the grid, and the selected flow's details. */
import { Suspense, lazy, useCallback, useState } from 'react';
import { formatCount } from '../format/format-values';
import { ColumnChooser } from './column-chooser';
import { PredictionModelPicker } from './prediction-model-picker';
import { ExportButton } from '../export/export-button';
import { FlowsGrid } from './flows-grid';
import { LabelBar } from '../labels/label-bar';
import { QuickFilterBox } from './quick-filter-box';
import { useFlowCount } from './use-flow-count';
import { useVisibleColumns } from './use-visible-columns';

const FlowDetailsPanel = lazy(() => import('../details/flow-details-panel').then((module) => ({ default: module.FlowDetailsPanel })));

export function FlowsView({ active }: { active: boolean }) {
  const [visible, setVisible] = useVisibleColumns();
  const [flowId, setFlowId] = useState<number | undefined>(undefined);
  const [gridError, setGridError] = useState<string | undefined>(undefined);
  const [pageMs, setPageMs] = useState<number | undefined>(undefined);
  const [selectedFlowIds, setSelectedFlowIds] = useState<number[]>([]);
  const count = useFlowCount(active);
  const closeDetails = useCallback(() => setFlowId(undefined), []);

  return (
    <div className={`flows-view ${flowId !== undefined ? 'with-details' : ''}`}>
      <div className="toolbar">
        <QuickFilterBox />
        <span className="spacer" />
        <span className="row-count" data-testid="flow-count" title={count.elapsedMs !== undefined ? `count took ${Math.round(count.elapsedMs)} ms` : undefined}>
          {count.error ? <span className="error-text">{count.error}</span> : count.data === undefined ? '…' : `${formatCount(count.data)} ${count.data === 1 ? 'flow' : 'flows'}`}
        </span>
        {pageMs !== undefined && (
          <span className="muted" title="Time of the last grid page request">
            page {Math.round(pageMs)} ms
          </span>
        )}
        <PredictionModelPicker active={active} />
        <ColumnChooser visible={visible} onChange={setVisible} />
        <ExportButton openFlowId={flowId} active={active} />
      </div>
      <LabelBar active={active} selectedFlowIds={selectedFlowIds} matchingCount={count.data} />
      {gridError && <div className="error-banner">{gridError}</div>}
      <div className="grid-host" data-testid="flows-grid">
        <FlowsGrid visibleColumns={visible} onOpenFlow={setFlowId} onError={setGridError} onPageTime={setPageMs} onSelectionChange={setSelectedFlowIds} />
      </div>
      {flowId !== undefined && (
        <Suspense fallback={<div className="details muted pad">Loading…</div>}>
          <FlowDetailsPanel key={flowId} flowId={flowId} onClose={closeDetails} />
        </Suspense>
      )}
    </div>
  );
}
