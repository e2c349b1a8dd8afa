/**
 * The Models view: import labeled flow sets, train (worker, progress, cancel), evaluate (per-class
 * metrics, confusion, ROC/PR, feature importance), compare models side by side, apply a model to
 * a capture, and confirm predictions as labels.
 */
import { useMemo, useState } from 'react';
import type { ModelSummary } from '../../../shared/ml-types';
import { useClient } from '../api/api-context';
import { EChart } from '../charts/echart';
import { buildConfusionOption } from './build-confusion-option';
import { buildCurveOption, comparisonCurveSeries, modelCurveSeries } from './build-curve-option';
import { buildImportanceOption } from './build-importance-option';
import { comparisonRows, crossValidationText } from './model-rows';
import { PredictionsPanel } from './predictions-panel';
import { TrainPanel } from './train-panel';
import { useMlData } from './use-ml-data';

export function ModelsView({ active, onShowFlows }: { active: boolean; onShowFlows: () => void }) {
  const { api } = useClient();
  const { datasets, models, error, progress, setError } = useMlData(active);
  const [selectedId, setSelectedId] = useState<number | undefined>();
  const [compareIds, setCompareIds] = useState<ReadonlySet<number>>(new Set());
  const model = models.find((entry) => entry.id === selectedId) ?? models.at(-1);
  const compared = models.filter((entry) => compareIds.has(entry.id));

  return (
    <div className="models-view">
      {error && <div className="error-banner">{error}</div>}
      <div className="models-top">
        <TrainPanel datasets={datasets} progress={progress} onError={setError} />
        <section className="ml-panel" aria-label="Models">
          <h3>Models</h3>
          <table className="ml-table">
            <thead>
              <tr>
                <th>Compare</th>
                <th>#</th>
                <th>Kind</th>
                <th>Trained on</th>
                <th>Macro-F1</th>
                <th>Accuracy</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {models.map((entry) => (
                <tr
                  key={entry.id}
                  className={entry.id === model?.id ? 'selected' : undefined}
                  onClick={() => setSelectedId(entry.id)}
                >
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Compare model ${entry.id}`}
                      checked={compareIds.has(entry.id)}
                      onClick={(event) => event.stopPropagation()}
                      onChange={() =>
                        setCompareIds((previous) => {
                          const next = new Set(previous);
                          if (next.has(entry.id)) next.delete(entry.id);
                          else next.add(entry.id);
                          return next;
                        })
                      }
                    />
                  </td>
                  <td>{entry.id}</td>
                  <td>{entry.kind}</td>
                  <td>{entry.name}</td>
                  <td title={`cross-validation: ${crossValidationText(entry)}`}>
                    {entry.metrics.macroF1.toFixed(3)}
                    {entry.metrics.crossValidation && (
                      <span className="muted">
                        {' '}
                        (CV {entry.metrics.crossValidation.meanMacroF1.toFixed(3)} ±{' '}
                        {entry.metrics.crossValidation.stdMacroF1.toFixed(3)})
                      </span>
                    )}
                  </td>
                  <td>{entry.metrics.accuracy.toFixed(3)}</td>
                  <td>
                    <button
                      type="button"
                      aria-label={`Delete model ${entry.id}`}
                      onClick={(event) => (
                        event.stopPropagation(),
                        void api.mlDeleteModel({ modelId: entry.id })
                      )}
                    >
                      ×
                    </button>
                  </td>
                </tr>
              ))}
              {models.length === 0 && (
                <tr>
                  <td colSpan={7} className="muted">
                    No models yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </section>
      </div>
      {compared.length >= 2 && <Comparison models={compared} />}
      {model && <ModelDetails model={model} />}
      {model && <PredictionsPanel model={model} onError={setError} onShowFlows={onShowFlows} />}
    </div>
  );
}

function ModelDetails({ model }: { model: ModelSummary }) {
  const roc = useMemo(
    () => buildCurveOption(modelCurveSeries(model), 'roc', 'ROC (one-vs-rest, held-out)'),
    [model],
  );
  const pr = useMemo(
    () => buildCurveOption(modelCurveSeries(model), 'pr', 'Precision-recall (held-out)'),
    [model],
  );
  const confusion = useMemo(() => buildConfusionOption(model.metrics), [model]);
  const importance = useMemo(() => buildImportanceOption(model.importance), [model]);
  return (
    <section className="ml-panel" aria-label={`Model ${model.id}`}>
      <h3>
        Model #{model.id}: {model.name}
      </h3>
      <table className="ml-table" aria-label="Per-class metrics">
        <thead>
          <tr>
            <th>Class</th>
            <th>Precision</th>
            <th>Recall</th>
            <th>F1</th>
            <th>Support</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(model.metrics.perClass).map(([name, value]) => (
            <tr key={name}>
              <td>{name}</td>
              <td>{value.precision.toFixed(3)}</td>
              <td>{value.recall.toFixed(3)}</td>
              <td>{value.f1.toFixed(3)}</td>
              <td>{value.support}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="ml-charts">
        <EChart option={confusion} label="Confusion matrix" className="echart ml-chart" />
        <EChart option={roc} label="ROC curves" className="echart ml-chart" />
        <EChart option={pr} label="Precision-recall curves" className="echart ml-chart" />
        <EChart option={importance} label="Feature importance" className="echart ml-chart" />
      </div>
    </section>
  );
}

function Comparison({ models }: { models: ModelSummary[] }) {
  const classes = [...new Set(models.flatMap((model) => model.classes))].sort();
  const [className, setClassName] = useState(classes[classes.length - 1] ?? '');
  const roc = useMemo(
    () => buildCurveOption(comparisonCurveSeries(models, className), 'roc', `ROC of ${className}`),
    [models, className],
  );
  return (
    <section className="ml-panel" aria-label="Model comparison">
      <h3>Side by side</h3>
      <table className="ml-table">
        <thead>
          <tr>
            <th />
            {models.map((model) => (
              <th key={model.id}>#{model.id}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {comparisonRows(models).map((row) => (
            <tr key={row.metric}>
              <td>{row.metric}</td>
              {row.values.map((value, index) => (
                <td key={index}>{value}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <select
        aria-label="Class to compare"
        value={className}
        onChange={(event) => setClassName(event.target.value)}
      >
        {classes.map((name) => (
          <option key={name}>{name}</option>
        ))}
      </select>
      <EChart option={roc} label="ROC comparison" className="echart ml-chart" />
    </section>
  );
}
