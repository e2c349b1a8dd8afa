/** The case's captures, reloaded when the data changes; ended ingests drop their progress. */
import { useEffect } from 'react';
import { useClient } from '../api/api-context';
import { useAsync } from '../common/use-async';
import { useDataVersion, useIngestProgress } from '../shell/live-data-context';

export function useCaptures(active: boolean) {
  const { api } = useClient();
  const { version } = useDataVersion();
  const { progress, finish } = useIngestProgress();
  const state = useAsync(() => api.capturesList(), String(version), active);
  useEffect(() => {
    for (const capture of state.data ?? []) {
      if (capture.status !== 'ingesting' && progress.has(capture.id)) finish(capture.id);
    }
  }, [state.data, progress, finish]);
  return state;
}
