/**
 * Which model's predictions the grid's predicted_class / predicted_probability columns show
 * (FlowFilter.predictionModel): the newest model with predictions unless one is picked.
 * Shown only when the case has models.
 */
import { useEffect, useState } from 'react';
import type { ModelSummary } from '../../../shared/ml-types';
import { useClient } from '../api/api-context';
import { useFlowFilter } from '../filter/filter-context';

export function PredictionModelPicker({ active }: { active: boolean }) {
  const { api } = useClient();
  const { filter, dispatch } = useFlowFilter();
  const [models, setModels] = useState<ModelSummary[]>([]);
  useEffect(() => {
    if (!active) return;
    let live = true;
    api.mlModels().then(
      (list) => live && setModels(list),
      () => live && setModels([]),
    );
    return () => {
      live = false;
    };
  }, [api, active]);
  if (!models.length) return null;
  return (
    <label className="row gap" title="Model whose predictions the predicted_class and predicted_probability columns show and filter on">
      Predictions
      <select
        data-testid="prediction-model"
        value={filter.predictionModel === undefined ? '' : String(filter.predictionModel)}
        onChange={(event) =>
          dispatch({ type: 'setPredictionModel', modelId: event.target.value === '' ? undefined : Number(event.target.value) })
        }
      >
        <option value="">newest applied model</option>
        {models.map((model) => (
          <option key={model.id} value={model.id}>
            #{model.id} {model.name}
          </option>
        ))}
      </select>
    </label>
  );
}
