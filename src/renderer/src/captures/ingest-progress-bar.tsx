/** Progress of the ingests under way: bar, bytes, packets/s, ETA and Cancel. */
import { useClient } from '../api/api-context';
import { useIngestProgress } from '../shell/live-data-context';
import { progressView } from './capture-rows';

export function IngestProgressBar({ compact = false }: { compact?: boolean }) {
  const { api } = useClient();
  const { progress } = useIngestProgress();
  if (progress.size === 0) return null;
  return (
    <div className={`ingest-progress ${compact ? 'compact' : ''}`} data-testid="ingest-progress">
      {[...progress.values()].map((entry) => {
        const view = progressView(entry);
        const name = entry.path.split(/[\\/]/).pop() ?? entry.path;
        return (
          <div key={entry.captureId} className="ingest-progress-row">
            <span className="ingest-name" title={entry.path}>
              Ingesting {name}
            </span>
            <progress max={1} value={view.fraction} aria-label={`Ingest progress of ${name}`} />
            <span className="percent">{Math.floor(view.fraction * 100)} %</span>
            {!compact && <span className="muted">{view.label}</span>}
            <button type="button" onClick={() => void api.ingestCancel()}>
              Cancel
            </button>
          </div>
        );
      })}
    </div>
  );
}
