/**
 * Statistics over the current filter: a column profile (describe, histogram, KS normality,
 * optionally per label or another column), outliers by z-score or IQR (each linking to its
 * flow), a two-group comparison and a linear regression of the column (relations-panel.tsx),
 * and the correlation heatmap of chosen columns.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ColumnProfile, CorrelationMatrix, OutliersResult, StatsSource } from '../../../shared/stats-types';
import { useClient } from '../api/api-context';
import { EChart } from '../charts/echart';
import { errorMessage } from '../common/use-async';
import { useFlowFilter } from '../filter/filter-context';
import { buildCorrelationOption, buildHistogramOption, profileTable } from './build-statistics-options';
import { RelationsPanel } from './relations-panel';

const GROUPS = ['', 'label', 'application', 'protocol', 'capture_id', 'tcp_state'];
const DEFAULT_CORRELATION = ['duration_ms', 'bidirectional_packets', 'bidirectional_bytes', 'bidirectional_mean_ps', 'bidirectional_mean_piat_ms'];

export function StatisticsView({ active, onShowFlows }: { active: boolean; onShowFlows: () => void }) {
  const { api } = useClient();
  const { filter, dispatch } = useFlowFilter();
  const [source, setSource] = useState<StatsSource>('flows');
  const [columns, setColumns] = useState<string[]>([]);
  const [column, setColumn] = useState('bidirectional_bytes');
  const [by, setBy] = useState('');
  const [chosen, setChosen] = useState<string[]>(DEFAULT_CORRELATION);
  const [profiles, setProfiles] = useState<ColumnProfile[]>();
  const [matrix, setMatrix] = useState<CorrelationMatrix>();
  const [outliers, setOutliers] = useState<OutliersResult>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!active) return;
    void api.statsColumns({ source }).then(setColumns, (failure: unknown) => setError(errorMessage(failure)));
  }, [api, active, source]);

  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  const describe = () => attempt(async () => setProfiles(await api.statsDescribe({ source, filter, column, ...(by ? { by } : {}) })));
  const correlate = () => attempt(async () => setMatrix(await api.statsCorrelation({ source, filter, columns: chosen.filter((name) => columns.includes(name)) })));
  const findOutliers = (method: 'zscore' | 'iqr') => attempt(async () => setOutliers(await api.statsOutliers({ source, filter, column, method, limit: 50 })));
  const showFlow = (flowId: number) => {
    dispatch({ type: 'clear' });
    dispatch({ type: 'setExpression', expression: `flow_id = ${flowId}` });
    onShowFlows();
  };

  const table = useMemo(() => (profiles ? profileTable(profiles) : undefined), [profiles]);
  const heatmap = useMemo(() => (matrix ? buildCorrelationOption(matrix) : undefined), [matrix]);
  if (!active && !profiles && !matrix) return null;
  return (
    <div className="statistics" data-testid="statistics">
      <div className="toolbar">
        <label>
          Rows{' '}
          <select value={source} onChange={(event) => setSource(event.target.value as StatsSource)}>
            <option value="flows">flows</option>
            <option value="packets">packets of the flows</option>
          </select>
        </label>
        <label>
          Column{' '}
          <select value={column} onChange={(event) => setColumn(event.target.value)} data-testid="stats-column">
            {columns.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <label>
          By{' '}
          <select value={by} onChange={(event) => setBy(event.target.value)}>
            {GROUPS.map((name) => (
              <option key={name} value={name}>
                {name || '(none)'}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void describe()} disabled={busy} data-testid="stats-describe">
          Describe
        </button>
        <button type="button" onClick={() => void findOutliers('zscore')} disabled={busy}>
          Outliers (|z| &gt; 3)
        </button>
        <button type="button" onClick={() => void findOutliers('iqr')} disabled={busy}>
          Outliers (1.5·IQR)
        </button>
      </div>
      {error && <div className="error-banner">{error}</div>}
      {table && (
        <table className="profile-table" data-testid="profile-table">
          <thead>
            <tr>
              {table.headers.map((header, index) => (
                <th key={index}>{header}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map(([name, ...values]) => (
              <tr key={name}>
                <th>{name}</th>
                {values.map((value, index) => (
                  <td key={index}>{value}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="stats-charts">
        {profiles?.slice(0, 6).map((profile) => (
          <EChart key={String(profile.group)} option={buildHistogramOption(profile)} label={`Histogram of ${profile.column}`} className="echart stats-chart" />
        ))}
      </div>
      {outliers && (
        <section>
          <h3>
            {outliers.total} outliers of {outliers.column} ({outliers.method}: outside [{outliers.lower.toPrecision(5)}, {outliers.upper.toPrecision(5)}])
          </h3>
          <table className="outliers-table">
            <tbody>
              {outliers.rows.map((row) => (
                <tr key={`${row.flow_id}:${row.packet_number ?? ''}`} onClick={() => showFlow(row.flow_id)} title="Show this flow">
                  <td>flow {row.flow_id}</td>
                  <td>{row.value}</td>
                  <td>{row.z === null ? '' : `z ${row.z.toFixed(2)}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <RelationsPanel source={source} filter={filter} column={column} />
      <div className="toolbar">
        <label>
          Correlate{' '}
          <select multiple size={4} value={chosen} onChange={(event) => setChosen([...event.target.selectedOptions].map((option) => option.value))}>
            {columns.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void correlate()} disabled={busy || chosen.length < 2}>
          Correlation matrix
        </button>
      </div>
      {heatmap && <EChart option={heatmap} label="Correlation heatmap" className="echart stats-heatmap" />}
    </div>
  );
}
