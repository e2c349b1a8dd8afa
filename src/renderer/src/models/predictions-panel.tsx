/**
 * Apply a model to a capture; its predictions as a table (class and probability, filterable),
 * "next flows to label" (most uncertain, unlabeled), and confirming predictions as labels
 * through the labels API (source 'model'): nothing becomes a label until the analyst confirms.
 */
import { useEffect, useState } from 'react';
import type { CaptureInfo } from '../../../shared/api-types';
import type { ModelSummary, PredictionPage } from '../../../shared/ml-types';
import { useClient } from '../api/api-context';
import { errorMessage } from '../common/use-async';
import { useFlowFilter } from '../filter/filter-context';
import { labelForClass } from './model-rows';

interface Props {
  model: ModelSummary;
  onError: (message: string | undefined) => void;
  onShowFlows: () => void;
}

export function PredictionsPanel({ model, onError, onShowFlows }: Props) {
  const { api } = useClient();
  const { dispatch } = useFlowFilter();
  const [captures, setCaptures] = useState<CaptureInfo[]>([]);
  const [captureId, setCaptureId] = useState<number | undefined>();
  const [className, setClassName] = useState('');
  const [minProbability, setMinProbability] = useState(0);
  const [order, setOrder] = useState<'probability' | 'uncertain'>('probability');
  const [page, setPage] = useState<PredictionPage | undefined>();
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [version, setVersion] = useState(0);
  const [note, setNote] = useState<string | undefined>();

  useEffect(() => {
    void api.capturesList().then((list) => {
      setCaptures(list);
      setCaptureId((current) => current ?? list[0]?.id);
    });
  }, [api]);

  useEffect(() => {
    let current = true;
    api
      .mlPredictions({
        modelId: model.id,
        ...(captureId !== undefined ? { captureId } : {}),
        ...(className ? { classes: [className] } : {}),
        ...(minProbability > 0 ? { minProbability } : {}),
        order,
        limit: 200,
      })
      .then(
        (next) => current && setPage(next),
        (error: unknown) => current && onError(errorMessage(error)),
      );
    return () => {
      current = false;
    };
  }, [api, model.id, captureId, className, minProbability, order, version, onError]);

  const apply = async () => {
    if (captureId === undefined) return;
    onError(undefined);
    try {
      const result = await api.mlPredict({ modelId: model.id, captureId });
      setNote(`${result.flows} flows predicted in ${result.elapsedMs} ms`);
      setVersion((value) => value + 1);
    } catch (error) {
      onError(errorMessage(error));
    }
  };

  /** Selected rows, else every flow of the chosen class above the probability threshold. */
  const confirm = async () => {
    onError(undefined);
    try {
      const rows = page?.rows.filter((row) => selected.has(row.flowId)) ?? [];
      const byClass = new Map<string, number[]>();
      for (const row of rows)
        byClass.set(row.predictedClass, [...(byClass.get(row.predictedClass) ?? []), row.flowId]);
      let flows = 0;
      if (byClass.size) {
        for (const [name, flowIds] of byClass) {
          flows += (
            await api.labelsApply({
              target: { flowIds },
              label: labelForClass(name),
              source: 'model',
              reason: `model #${model.id} (${model.kind})`,
            })
          ).flows;
        }
      } else if (className) {
        const filter = {
          prediction: {
            modelId: model.id,
            classes: [className],
            ...(minProbability > 0 ? { minProbability } : {}),
          },
          ...(captureId !== undefined ? { captureIds: [captureId] } : {}),
        };
        flows = (
          await api.labelsApply({
            target: { filter },
            label: labelForClass(className),
            source: 'model',
            reason: `model #${model.id} (${model.kind}), p >= ${minProbability}`,
          })
        ).flows;
      }
      setNote(`${flows} flows labeled (source: model)`);
      setSelected(new Set());
      setVersion((value) => value + 1);
    } catch (error) {
      onError(errorMessage(error));
    }
  };

  const toggle = (flowId: number) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(flowId)) next.delete(flowId);
      else next.add(flowId);
      return next;
    });

  return (
    <section className="ml-panel" aria-label="Predictions">
      <h3>Apply to a capture</h3>
      <div className="ml-form">
        <select
          aria-label="Capture"
          value={captureId ?? ''}
          onChange={(event) => setCaptureId(Number(event.target.value))}
        >
          {captures.map((capture) => (
            <option key={capture.id} value={capture.id}>
              #{capture.id} {capture.fileName}
            </option>
          ))}
        </select>
        <button type="button" disabled={captureId === undefined} onClick={() => void apply()}>
          Predict
        </button>
        <select
          aria-label="Predicted class"
          value={className}
          onChange={(event) => setClassName(event.target.value)}
        >
          <option value="">All classes</option>
          {model.classes.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <label>
          p ≥
          <input
            type="number"
            aria-label="Minimum probability"
            min={0}
            max={1}
            step={0.05}
            value={minProbability}
            onChange={(event) => setMinProbability(Number(event.target.value))}
          />
        </label>
        <button
          type="button"
          aria-pressed={order === 'uncertain'}
          onClick={() => setOrder(order === 'uncertain' ? 'probability' : 'uncertain')}
        >
          {order === 'uncertain' ? 'Show all' : 'Next flows to label'}
        </button>
        <button
          type="button"
          title="Narrow every view to these predictions (a chip in the filter bar)"
          onClick={() => {
            dispatch({
              type: 'setPrediction',
              prediction: {
                modelId: model.id,
                ...(className ? { classes: [className] } : {}),
                ...(minProbability > 0 ? { minProbability } : {}),
              },
            });
            onShowFlows();
          }}
        >
          Show in Flows
        </button>
        <button
          type="button"
          disabled={selected.size === 0 && !className}
          onClick={() => void confirm()}
          title="Selected rows, else every flow of the chosen class"
        >
          Confirm as labels
        </button>
      </div>
      {note && <p className="muted">{note}</p>}
      <p className="muted">
        {page
          ? `${page.total} flows${order === 'uncertain' ? ' (unlabeled, most uncertain first)' : ''}`
          : 'No predictions yet'}
      </p>
      <table className="ml-table" aria-label="Predicted flows">
        <thead>
          <tr>
            <th />
            <th>Flow</th>
            <th>Source</th>
            <th>Destination</th>
            <th>Application</th>
            <th>Predicted</th>
            <th>Probability</th>
            <th>Uncertainty</th>
            <th>Label</th>
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((row) => (
            <tr key={row.flowId}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select flow ${row.flowId}`}
                  checked={selected.has(row.flowId)}
                  onChange={() => toggle(row.flowId)}
                />
              </td>
              <td>{row.flowId}</td>
              <td>{row.srcIp}</td>
              <td>
                {row.dstIp}:{row.dstPort}
              </td>
              <td>{row.application}</td>
              <td>{row.predictedClass}</td>
              <td>{row.probability.toFixed(3)}</td>
              <td>{row.uncertainty.toFixed(3)}</td>
              <td>{row.label ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
