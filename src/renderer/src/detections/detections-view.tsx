/**
 * Detections: run the detectors over the case (or the filtered captures), a results table with
 * score and why, findings per kind, a beacon's histograms, a click to the finding's flows, and
 * "Label these…" (the proposed class is applied only after the analyst confirms).
 */
import { useCallback, useMemo, useState } from 'react';
import type { DetectResult, Finding, FindingKind } from '../../../shared/detect-types';
import { useClient } from '../api/api-context';
import { EChart } from '../charts/echart';
import { errorMessage } from '../common/use-async';
import { useFlowFilter } from '../filter/filter-context';
import { buildBeaconOption, buildKindsOption } from './build-detection-options';
import { kindSummary, severity, showFlowsActions, visibleFindings } from './finding-rows';
import { FindingDetails } from './finding-details';

export function DetectionsView({ active, onShowFlows }: { active: boolean; onShowFlows: () => void }) {
  const { api } = useClient();
  const { filter, dispatch } = useFlowFilter();
  const [result, setResult] = useState<DetectResult>();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string>();
  const [kind, setKind] = useState<FindingKind>();
  const [minScore, setMinScore] = useState(0);
  const [selected, setSelected] = useState<Finding>();

  const run = useCallback(async () => {
    setRunning(true);
    setError(undefined);
    try {
      setResult(await api.detectRun(filter.captureIds?.length ? { captureIds: filter.captureIds } : {}));
      setSelected(undefined);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setRunning(false);
    }
  }, [api, filter.captureIds]);

  const summary = useMemo(() => kindSummary(result?.findings ?? []), [result]);
  const rows = useMemo(
    () => visibleFindings(result?.findings ?? [], kind ? new Set([kind]) : undefined, minScore),
    [result, kind, minScore],
  );
  const kindsOption = useMemo(() => buildKindsOption(summary), [summary]);
  const kindEvents = useMemo(
    () => ({ click: (params: unknown) => setKind(summary[(params as { dataIndex: number }).dataIndex]?.kind) }),
    [summary],
  );
  const showFlows = (finding: Finding) => {
    for (const action of showFlowsActions(finding.filter)) dispatch(action);
    onShowFlows();
  };

  if (!active && !result) return null;
  return (
    <div className="detections" data-testid="detections">
      <div className="toolbar">
        <button type="button" onClick={() => void run()} disabled={running} data-testid="run-detections">
          {running ? 'Running…' : 'Run detections'}
        </button>
        <span className="muted">{filter.captureIds?.length ? `captures ${filter.captureIds.join(', ')}` : 'whole case'}</span>
        <label>
          Kind{' '}
          <select value={kind ?? ''} onChange={(event) => setKind((event.target.value || undefined) as FindingKind | undefined)}>
            <option value="">all</option>
            {summary.map((entry) => (
              <option key={entry.kind} value={entry.kind}>
                {entry.kind} ({entry.count})
              </option>
            ))}
          </select>
        </label>
        <label>
          Min score <input type="number" min={0} max={1} step={0.1} value={minScore} onChange={(event) => setMinScore(Number(event.target.value) || 0)} style={{ width: 60 }} />
        </label>
        {result && (
          <span className="muted" title={JSON.stringify(result.timings)}>
            {rows.length} of {result.findings.length} findings · {Math.round(Object.values(result.timings).reduce((sum, ms) => sum + (ms ?? 0), 0))} ms
          </span>
        )}
      </div>
      {error && <div className="error-banner">{error}</div>}
      {result && summary.length > 0 && <EChart option={kindsOption} events={kindEvents} label="Findings per kind; click to show one kind" className="echart detections-chart" />}
      {result && (
        <div className="detections-body">
          <table className="findings-table" data-testid="findings-table">
            <thead>
              <tr>
                <th>Score</th>
                <th>Kind</th>
                <th>Capture</th>
                <th>Source</th>
                <th>Destination</th>
                <th>Flows</th>
                <th>Summary</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((finding, index) => (
                <tr
                  key={`${finding.kind}:${finding.capture_id}:${finding.summary}:${index}`}
                  className={`${severity(finding.score)}${finding === selected ? ' selected' : ''}`}
                  onClick={() => setSelected(finding)}
                  onDoubleClick={() => showFlows(finding)}
                  title="Click for why; double-click shows the flows"
                >
                  <td>{finding.score.toFixed(3)}</td>
                  <td>{finding.kind}</td>
                  <td>{finding.capture_id}</td>
                  <td>{finding.src_ip ?? '–'}</td>
                  <td>{finding.dst_ip ?? '–'}</td>
                  <td>{finding.flows}</td>
                  <td>{finding.summary}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {selected && (
            <FindingDetails
              key={`${selected.kind}:${selected.capture_id}:${selected.summary}`}
              finding={selected}
              onShowFlows={() => showFlows(selected)}
              beaconChart={(detail) => <EChart option={buildBeaconOption(detail)} label="Beacon intervals and connections over time" className="echart beacon-chart" />}
            />
          )}
        </div>
      )}
    </div>
  );
}
