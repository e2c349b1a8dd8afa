/** The workstation shell: view tabs, the active filter, the views, and a status bar. */
import { Suspense, lazy, useCallback, useEffect, useState } from 'react';
import { CapturesView } from './captures/captures-view';
import { IngestProgressBar } from './captures/ingest-progress-bar';
import { useClient } from './api/api-context';
import { FilterChipsBar } from './filter/filter-chips-bar';
import { FlowsView } from './flows/flows-view';
import { useMenuCommand } from './export/menu-command';
import { TABS, tabForKey } from './shell/tabs';
import type { TabId } from './shell/tabs';
import { useFileDrop } from './shell/use-file-drop';

// Charts (echarts) and the graph (cytoscape) load on first use: the grid comes up first.
const DashboardView = lazy(() => import('./dashboard/dashboard-view').then((module) => ({ default: module.DashboardView })));
const HostsView = lazy(() => import('./hosts/hosts-view').then((module) => ({ default: module.HostsView })));
const DetectionsView = lazy(() => import('./detections/detections-view').then((module) => ({ default: module.DetectionsView })));
const StatisticsView = lazy(() => import('./statistics/statistics-view').then((module) => ({ default: module.StatisticsView })));
const LabelsView = lazy(() => import('./labels/labels-view').then((module) => ({ default: module.LabelsView })));
const ModelsView = lazy(() => import('./models/models-view').then((module) => ({ default: module.ModelsView })));

export function App() {
  const { api, mode } = useClient();
  const [tab, setTab] = useState<TabId>('flows');
  const [visited, setVisited] = useState<ReadonlySet<TabId>>(new Set(['flows']));
  const select = useCallback((next: TabId) => {
    setTab(next);
    setVisited((previous) => (previous.has(next) ? previous : new Set(previous).add(next)));
  }, []);
  const showCaptures = useCallback(() => select('captures'), [select]);
  useFileDrop(showCaptures);
  useMenuCommand('export', () => select('flows')); // File > Export… opens the dialog on Flows

  // An empty case starts on Captures, where captures are opened.
  useEffect(() => {
    void api.capturesList().then(
      (captures) => captures.length === 0 && select('captures'),
      () => select('captures'),
    );
  }, [api, select]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const next = tabForKey(event);
      if (next) {
        event.preventDefault();
        select(next);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [select]);

  return (
    <div className="app">
      <header className="app-header">
        <span className="brand">Flowlab</span>
        <nav role="tablist" aria-label="Views">
          {TABS.map((entry, index) => (
            <button
              key={entry.id}
              type="button"
              role="tab"
              aria-selected={tab === entry.id}
              className={tab === entry.id ? 'tab active' : 'tab'}
              title={`${entry.label} (Ctrl+${index + 1})`}
              onClick={() => select(entry.id)}
            >
              {entry.label}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        <IngestProgressBar compact />
      </header>
      <FilterChipsBar />
      <main className="views">
        {TABS.map(({ id }) =>
          visited.has(id) ? (
            <div key={id} className="view" role="tabpanel" aria-label={id} hidden={tab !== id} data-testid={`view-${id}`}>
              <Suspense fallback={<div className="muted pad">Loading…</div>}>
                {id === 'captures' && <CapturesView active={tab === id} onShowFlows={() => select('flows')} />}
                {id === 'flows' && <FlowsView active={tab === id} />}
                {id === 'dashboard' && <DashboardView active={tab === id} />}
                {id === 'hosts' && <HostsView active={tab === id} />}
                {id === 'labels' && <LabelsView active={tab === id} />}
                {id === 'detections' && <DetectionsView active={tab === id} onShowFlows={() => select('flows')} />}
                {id === 'statistics' && <StatisticsView active={tab === id} onShowFlows={() => select('flows')} />}
                {id === 'models' && <ModelsView active={tab === id} onShowFlows={() => select('flows')} />}
              </Suspense>
            </div>
          ) : null,
        )}
      </main>
      <footer className="status-bar">
        <span>{mode === 'browser' ? 'Browser mode' : 'Desktop'}</span>
        <span className="muted">Ctrl+1–{TABS.length} views · / quick filter · Enter opens a flow · Esc closes details</span>
      </footer>
    </div>
  );
}
