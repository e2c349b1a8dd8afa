/** Captures of the case: format, size, packets, flows, time span, status and warnings; open more; remove. */
import { useState } from 'react';
import { useClient } from '../api/api-context';
import { errorMessage } from '../common/use-async';
import { useFlowFilter } from '../filter/filter-context';
import { useDataVersion, useIngestProgress } from '../shell/live-data-context';
import { captureRowView, withProgress } from './capture-rows';
import { IngestProgressBar } from './ingest-progress-bar';
import { OpenPathsForm } from './open-paths-form';
import { useCaptures } from './use-captures';

export function CapturesView({ active, onShowFlows }: { active: boolean; onShowFlows: () => void }) {
  const { api, mode } = useClient();
  const { bump } = useDataVersion();
  const { dispatch } = useFlowFilter();
  const captures = useCaptures(active);
  const { progress } = useIngestProgress();
  const [confirming, setConfirming] = useState<number | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const rows = (captures.data ?? []).map((capture) => withProgress(captureRowView(capture), progress.get(capture.id)));

  const remove = async (captureId: number): Promise<void> => {
    setConfirming(undefined);
    try {
      await api.capturesRemove({ captureId });
      dispatch({ type: 'setCaptures', captureIds: undefined });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      bump();
    }
  };

  return (
    <div className="captures-view">
      {mode === 'browser' ? (
        <OpenPathsForm />
      ) : (
        <p className="muted">Open captures with File › Open capture… (Ctrl+O) or drop pcap, pcapng or .gz files onto the window.</p>
      )}
      <IngestProgressBar />
      {(captures.error || error) && <div className="error-banner">{captures.error ?? error}</div>}
      <div className="table-scroll">
        <table className="dense-table captures-table" data-testid="captures-table">
          <thead>
            <tr>
              <th>#</th>
              <th>Capture</th>
              <th>Format</th>
              <th className="num">Size</th>
              <th className="num">Packets</th>
              <th className="num">Flows</th>
              <th>Time span (UTC)</th>
              <th>Duration</th>
              <th>Status</th>
              <th>Warnings</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && !captures.loading && (
              <tr>
                <td colSpan={11} className="muted">
                  No captures in this case yet.
                </td>
              </tr>
            )}
            {rows.map((row) => (
              <tr key={row.id}>
                <td>{row.id}</td>
                <td title={row.path}>{row.fileName}</td>
                <td>{row.format}</td>
                <td className="num">{row.size}</td>
                <td className="num">{row.packets}</td>
                <td className="num">{row.flows}</td>
                <td className="nowrap">{row.timeSpan}</td>
                <td>{row.duration}</td>
                <td>
                  <span className={`status status-${row.status}`}>{row.status}</span>
                </td>
                <td className="warnings" title={row.warnings.join('\n')}>
                  {row.warnings.length ? `${row.warnings.length}: ${row.warnings[0]}` : ''}
                </td>
                <td className="nowrap">
                  <button
                    type="button"
                    onClick={() => {
                      dispatch({ type: 'setCaptures', captureIds: [row.id] });
                      onShowFlows();
                    }}
                  >
                    Flows
                  </button>{' '}
                  {confirming === row.id ? (
                    <>
                      <button type="button" className="danger" onClick={() => void remove(row.id)}>
                        Remove capture {row.id}?
                      </button>{' '}
                      <button type="button" onClick={() => setConfirming(undefined)}>
                        Keep
                      </button>
                    </>
                  ) : (
                    <button type="button" onClick={() => setConfirming(row.id)} disabled={row.status === 'ingesting'}>
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
