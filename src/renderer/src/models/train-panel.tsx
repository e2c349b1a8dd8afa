/** Import CICIDS2017 CSVs and train a model (in the worker; progress and cancel). */
import { useState } from 'react';
import type { DatasetInfo, MlProgress, ModelKind, SplitKind, TrainingSource } from '../../../shared/ml-types';
import { useClient } from '../api/api-context';
import { errorMessage } from '../common/use-async';

interface Props {
  datasets: DatasetInfo[];
  progress: MlProgress | undefined;
  onError: (message: string | undefined) => void;
}

export function TrainPanel({ datasets, progress, onError }: Props) {
  const { api } = useClient();
  const [paths, setPaths] = useState('');
  const [kind, setKind] = useState<ModelKind>('rf');
  const [source, setSource] = useState<TrainingSource>('imported');
  const [split, setSplit] = useState<SplitKind>('stratified');
  const [testSize, setTestSize] = useState(0.2);
  const [trees, setTrees] = useState(100);
  const [seed, setSeed] = useState(1);
  const [cvFolds, setCvFolds] = useState(0);
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    onError(undefined);
    try {
      await work();
    } catch (error) {
      if (!/cancel/i.test(errorMessage(error))) onError(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  const importFiles = () =>
    run(() =>
      api
        .mlImport({
          paths: paths
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean),
        })
        .then(() => setPaths('')),
    );
  const train = () =>
    run(() =>
      api.mlTrain({ kind, source, split, testSize, trees, seed, ...(cvFolds >= 2 ? { cvFolds } : {}) }),
    );

  return (
    <section className="ml-panel" aria-label="Train a model">
      <h3>Imported datasets</h3>
      <ul className="ml-datasets">
        {datasets.map((dataset) => (
          <li key={dataset.id} title={dataset.warnings.join('\n')}>
            #{dataset.id} {dataset.name}: {dataset.rows} rows ·{' '}
            {Object.entries(dataset.classCounts)
              .map(([name, count]) => `${name} ${count}`)
              .join(', ')}
            {Object.keys(dataset.nonFinite).length > 0 && (
              <span className="muted"> · Infinity/NaN → missing</span>
            )}
          </li>
        ))}
        {datasets.length === 0 && (
          <li className="muted">None yet: import CICFlowMeter / CICIDS2017 CSV files.</li>
        )}
      </ul>
      <textarea
        aria-label="CSV paths"
        placeholder="/path/to/cicids2017.csv (one per line)"
        value={paths}
        onChange={(event) => setPaths(event.target.value)}
        rows={2}
      />
      <button type="button" disabled={busy || !paths.trim()} onClick={() => void importFiles()}>
        Import CSV
      </button>
      <h3>Train</h3>
      <div className="ml-form">
        <label>
          Model
          <select
            aria-label="Model kind"
            value={kind}
            onChange={(event) => setKind(event.target.value as ModelKind)}
          >
            <option value="rf">Random forest</option>
            <option value="gbt">Gradient-boosted trees</option>
            <option value="logreg">Logistic regression</option>
          </select>
        </label>
        <label>
          Rows
          <select
            aria-label="Training source"
            value={source}
            onChange={(event) => setSource(event.target.value as TrainingSource)}
          >
            <option value="imported">Imported datasets</option>
            <option value="captured">Labeled captured flows</option>
          </select>
        </label>
        <label>
          Split
          <select
            aria-label="Split"
            value={split}
            onChange={(event) => setSplit(event.target.value as SplitKind)}
          >
            <option value="stratified">Stratified random</option>
            <option value="group">By capture / dataset</option>
          </select>
        </label>
        <label>
          Test share
          <input
            type="number"
            min={0.05}
            max={0.9}
            step={0.05}
            value={testSize}
            onChange={(event) => setTestSize(Number(event.target.value))}
          />
        </label>
        <label>
          {kind === 'logreg' ? 'Epochs' : kind === 'gbt' ? 'Rounds' : 'Trees'}
          <input
            type="number"
            min={1}
            max={2000}
            value={trees}
            onChange={(event) => setTrees(Number(event.target.value))}
          />
        </label>
        <label>
          Seed
          <input
            type="number"
            min={0}
            value={seed}
            onChange={(event) => setSeed(Number(event.target.value))}
          />
        </label>
        <label title="k-fold cross-validation before the final fit (0: none); folds follow the split kind">
          CV folds
          <input
            type="number"
            aria-label="Cross-validation folds"
            min={0}
            max={20}
            value={cvFolds}
            onChange={(event) => setCvFolds(Number(event.target.value))}
          />
        </label>
      </div>
      <button type="button" disabled={busy} onClick={() => void train()}>
        Train
      </button>
      {busy && (
        <button type="button" onClick={() => void api.mlCancel()}>
          Cancel
        </button>
      )}
      {progress && (
        <div className="ml-progress" role="status">
          <progress max={1} value={progress.fraction} /> {progress.phase}: {progress.message}
        </div>
      )}
    </section>
  );
}
