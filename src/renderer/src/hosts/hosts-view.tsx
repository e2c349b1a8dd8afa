/** Hosts: the endpoints table, the world map of external peers and the host graph with min-weight and top-N controls. */
import { useMemo, useState } from 'react';
import { useClient } from '../api/api-context';
import { useAsync } from '../common/use-async';
import { filterKey } from '../filter/filter-model';
import { useFlowFilter } from '../filter/filter-context';
import { formatBytes, formatCount } from '../format/format-values';
import { useDataVersion } from '../shell/live-data-context';
import { buildElements } from './build-elements';
import { HostGraph } from './host-graph';
import { HostsTable } from './hosts-table';
import { WorldMap } from './world-map';

const TOP_N_CHOICES = [50, 100, 250, 500, 1000, 2000, 5000];
const MIN_BYTES_CHOICES = [0, 1024, 10 * 1024, 100 * 1024, 1024 ** 2, 10 * 1024 ** 2, 100 * 1024 ** 2];

export function HostsView({ active }: { active: boolean }) {
  const { api } = useClient();
  const { filter, dispatch } = useFlowFilter();
  const { version } = useDataVersion();
  const [topN, setTopN] = useState(250);
  const [minBytes, setMinBytes] = useState(0);
  const [tableError, setTableError] = useState<string | undefined>(undefined);
  const [layoutMs, setLayoutMs] = useState<number | undefined>(undefined);
  const graph = useAsync(() => api.hostsGraph({ filter, topN, minBytes }), `${filterKey(filter)}#${version}#${topN}#${minBytes}`, active);
  const elements = useMemo(() => (graph.data ? buildElements(graph.data) : []), [graph.data]);

  return (
    <div className="hosts-view">
      <section className="hosts-table-pane" aria-label="Endpoints">
        <div className="toolbar">
          <strong>Endpoints</strong>
          <span className="muted">click a host to filter by it</span>
        </div>
        {tableError && <div className="error-banner">{tableError}</div>}
        <div className="grid-host" data-testid="hosts-table">
          <HostsTable onError={setTableError} />
        </div>
        <WorldMap active={active} />
      </section>
      <section className="hosts-graph-pane" aria-label="Host graph">
        <div className="toolbar">
          <strong>Host graph</strong>
          <label>
            Top edges
            <select value={topN} onChange={(event) => setTopN(Number(event.target.value))}>
              {TOP_N_CHOICES.map((choice) => (
                <option key={choice} value={choice}>
                  {choice}
                </option>
              ))}
            </select>
          </label>
          <label>
            Min edge bytes
            <select value={minBytes} onChange={(event) => setMinBytes(Number(event.target.value))}>
              {MIN_BYTES_CHOICES.map((choice) => (
                <option key={choice} value={choice}>
                  {choice === 0 ? 'any' : formatBytes(choice)}
                </option>
              ))}
            </select>
          </label>
          <span className="spacer" />
          {graph.data && (
            <span className="muted" data-testid="graph-stats">
              {formatCount(graph.data.nodes.length)} hosts · {formatCount(graph.data.edges.length)} edges
              {graph.elapsedMs !== undefined ? ` · query ${Math.round(graph.elapsedMs)} ms` : ''}
              {layoutMs !== undefined ? ` · layout ${Math.round(layoutMs)} ms` : ''}
            </span>
          )}
        </div>
        {graph.error && <div className="error-banner">{graph.error}</div>}
        <div className="graph-host">
          <HostGraph
            elements={elements}
            onNode={(host) => dispatch({ type: 'selectHost', host })}
            onEdge={(a, b) => dispatch({ type: 'setHostPair', a, b })}
            onLayoutTime={setLayoutMs}
          />
          {graph.loading && <div className="card-spinner" aria-label="Loading" />}
          <div className="graph-legend">
            <span className="legend-dot internal" /> internal <span className="legend-dot external" /> external · node size = bytes · edge width = bytes
          </div>
        </div>
      </section>
    </div>
  );
}
