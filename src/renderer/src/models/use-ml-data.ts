/** Datasets and models of the case, reloaded when the backend says they changed. */
import { useCallback, useEffect, useState } from 'react';
import type { DatasetInfo, MlProgress, ModelSummary } from '../../../shared/ml-types';
import { useClient } from '../api/api-context';
import { errorMessage } from '../common/use-async';

export function useMlData(active: boolean) {
  const { api } = useClient();
  const [datasets, setDatasets] = useState<DatasetInfo[]>([]);
  const [models, setModels] = useState<ModelSummary[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [progress, setProgress] = useState<MlProgress | undefined>();
  const reload = useCallback(() => {
    Promise.all([api.mlDatasets(), api.mlModels()]).then(
      ([nextDatasets, nextModels]) => {
        setDatasets(nextDatasets);
        setModels(nextModels);
        setError(undefined);
      },
      (reason: unknown) => setError(errorMessage(reason)),
    );
  }, [api]);
  useEffect(() => {
    if (active) reload();
  }, [active, reload]);
  useEffect(() => api.on('ml.changed', reload), [api, reload]);
  useEffect(
    () => api.on('ml.progress', (next) => setProgress(next.phase === 'done' ? undefined : next)),
    [api],
  );
  return { datasets, models, error, progress, reload, setError, clearProgress: () => setProgress(undefined) };
}
