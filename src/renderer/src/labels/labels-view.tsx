/**
 * Labels: counts per class and per capture, the unlabeled share, conflicts (shown, never
 * silently resolved), recent activity with undo/redo, saved rules and ground-truth import.
 */
import { useState } from 'react';
import { useClient } from '../api/api-context';
import { useAsync } from '../common/use-async';
import { formatCount } from '../format/format-values';
import { useDataVersion } from '../shell/live-data-context';
import { ImportPanel } from './import-panel';
import { captureRows, classRows, describeBatch, percent } from './labels-rows';
import { RulesPanel } from './rules-panel';
import { useLabelVersion } from './use-label-version';

export function LabelsView({ active }: { active: boolean }) {
  const { api } = useClient();
  const { version } = useDataVersion();
  const labelVersion = useLabelVersion();
  const [rulesVersion, setRulesVersion] = useState(0);
  const key = `${version}/${labelVersion}`;
  const summary = useAsync(() => api.labelsSummary({ recent: 30 }), key, active);
  const conflicts = useAsync(() => api.labelsConflicts({ limit: 200 }), key, active);
  const rules = useAsync(() => api.labelsRules(), `${key}/${rulesVersion}`, active);
  const data = summary.data;

  return (
    <div className="labels-view pad" data-testid="labels-view">
      <div className="toolbar">
        <strong data-testid="labels-totals">
          {data
            ? `${formatCount(data.labeledFlows)} of ${formatCount(data.totalFlows)} flows labeled · ${percent(data.unlabeledShare)} unlabeled · ${formatCount(data.conflicts)} in conflict`
            : '…'}
        </strong>
        <span className="spacer" />
        <button type="button" disabled={!data?.canUndo} onClick={() => void api.labelsUndo()}>
          Undo
        </button>
        <button type="button" disabled={!data?.canRedo} onClick={() => void api.labelsRedo()}>
          Redo
        </button>
      </div>
      {summary.error && <div className="error-banner">{summary.error}</div>}
      {data && (
        <div className="labels-grid">
          <section className="labels-panel">
            <h3>Classes</h3>
            <table className="simple-table" data-testid="label-classes">
              <tbody>
                {classRows(data).map((row) => (
                  <tr key={row.label} data-class={row.label}>
                    <td
                      className={`label-${row.label === 'benign' || row.label === 'malicious' ? row.label : row.label === 'unlabeled' ? 'none' : 'other'}`}
                    >
                      {row.label}
                    </td>
                    <td className="num" data-testid={`class-count-${row.label}`}>
                      {formatCount(row.flows)}
                    </td>
                    <td className="num">{percent(row.share)}</td>
                    <td className="bar-cell">
                      <span
                        className="share-bar"
                        style={{ width: `${Math.max(1, Math.round(row.share * 100))}%` }}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="labels-panel">
            <h3>Per capture</h3>
            <table className="simple-table">
              <thead>
                <tr>
                  <th>capture</th>
                  <th className="num">flows</th>
                  <th className="num">labeled</th>
                  <th className="num">unlabeled</th>
                  <th className="num">conflicts</th>
                  <th>classes</th>
                </tr>
              </thead>
              <tbody>
                {captureRows(data).map((row) => (
                  <tr key={row.captureId}>
                    <td title={`capture ${row.captureId}`}>{row.fileName}</td>
                    <td className="num">{formatCount(row.flows)}</td>
                    <td className="num">{formatCount(row.labeled)}</td>
                    <td className="num">{percent(row.unlabeledShare)}</td>
                    <td className="num">{formatCount(row.conflicts)}</td>
                    <td>{row.classes}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="labels-panel">
            <h3>Conflicts {conflicts.data && conflicts.data.length >= 200 ? '(first 200)' : ''}</h3>
            {conflicts.data?.length ? (
              <table className="simple-table" data-testid="label-conflicts">
                <thead>
                  <tr>
                    <th>flow</th>
                    <th>first seen</th>
                    <th>kept</th>
                    <th>claims</th>
                  </tr>
                </thead>
                <tbody>
                  {conflicts.data.map((conflict) => (
                    <tr key={conflict.flowId}>
                      <td className="mono">{`${conflict.srcIp}:${conflict.srcPort} → ${conflict.dstIp}:${conflict.dstPort} (${conflict.protocol})`}</td>
                      <td>{conflict.firstSeen}</td>
                      <td>{`${conflict.label} (${conflict.source})`}</td>
                      <td>
                        {conflict.claims
                          .map((claim) => `${claim.label} by ${claim.source}, act ${claim.batchId}`)
                          .join('; ')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">No conflicts: every labeled flow's sources agree.</p>
            )}
          </section>
          <section className="labels-panel">
            <h3>Recent activity</h3>
            <ol className="activity" data-testid="label-activity">
              {data.recent.map((batch) => (
                <li key={batch.batchId} className={batch.state === 'applied' ? '' : 'muted'}>
                  <span className="mono">#{batch.batchId}</span> {batch.createdAt}{' '}
                  {batch.actor ? `${batch.actor} ` : ''}
                  {describeBatch(batch)} <span className="muted">{batch.target}</span>
                </li>
              ))}
            </ol>
          </section>
          <RulesPanel rules={rules.data} onChanged={() => setRulesVersion((value) => value + 1)} />
          <ImportPanel />
        </div>
      )}
    </div>
  );
}
