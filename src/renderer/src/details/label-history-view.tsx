/** The open flow's label history: every labeling act, newest first, with undo/redo of the latest. */
import { useState } from 'react';
import { useClient } from '../api/api-context';
import { errorMessage, useAsync } from '../common/use-async';
import { useLabelVersion } from '../labels/use-label-version';
import { labelHistoryRows } from './label-history-rows';
import './label-history.css';

export function LabelHistoryView({ flowId }: { flowId: number }) {
  const { api } = useClient();
  const version = useLabelVersion();
  const [moved, setMoved] = useState(0);
  const [moveError, setMoveError] = useState<string | undefined>(undefined);
  const history = useAsync(() => api.labelsHistory({ flowId }), `${flowId}:${version}:${moved}`);
  const rows = history.data ? labelHistoryRows(history.data) : [];
  const move = (action: () => Promise<unknown>) => {
    setMoveError(undefined);
    action().then(
      () => setMoved((value) => value + 1),
      (error: unknown) => setMoveError(errorMessage(error)),
    );
  };
  return (
    <div className="label-history" data-testid="label-history">
      <h4>Label history ({rows.length})</h4>
      {history.error && <div className="error-text">{history.error}</div>}
      {moveError && <div className="error-text">{moveError}</div>}
      {history.data && rows.length === 0 && <div className="muted">Never labeled.</div>}
      <ol>
        {rows.map((row) => (
          <li key={row.batchId} className={`label-act label-act-${row.status}`} data-testid="label-act" data-status={row.status}>
            <div>
              <strong className="label-act-class">{row.label}</strong>
              {row.tags && <span className="muted"> [{row.tags}]</span>}
              <span className={`label-act-status status-${row.status}`}>{row.statusText}</span>
              {row.undoable && (
                <button type="button" title="Undo this act (the latest labeling act of the case)" onClick={() => move(() => api.labelsUndo())}>
                  Undo
                </button>
              )}
              {row.redoable && (
                <button type="button" title="Re-apply this act" onClick={() => move(() => api.labelsRedo())}>
                  Redo
                </button>
              )}
            </div>
            <div className="muted">
              {row.when} · {row.who} · {row.how} · act {row.batchId}
            </div>
            {row.why && <div className="label-act-reason">“{row.why}”</div>}
            <div className="muted label-act-target">{row.target}</div>
          </li>
        ))}
      </ol>
    </div>
  );
}
