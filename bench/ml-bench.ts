/**
 * Classifier speed (issue #6): random forest of 100 trees on 200k flows x 40 features in under
 * 60 s; predicting 1M flows in under 10 s. Both run through the real worker (MlPool), as the app
 * and the CLI do. Prediction is measured twice: the worker alone on rows in memory, and end to
 * end as `flowlab predict` runs it (predictCapture: features computed by DuckDB from a capture
 * of 1M synthetic flows, predicted in the worker pool, written to ml_predictions).
 *
 * Rows: the CICIDS2017 samples of ../shared/datasets (imported with the real importer), the 40
 * first default features, resampled with replacement and each value jittered by +-5 % (so trees
 * are not trained on exact duplicates); without the datasets, synthetic rows of the same shape.
 *
 *   node --import tsx bench/ml-bench.ts [--train-rows 200000] [--predict-rows 1000000] [--trees 100]
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FLOW_COLUMNS } from '../src/shared/flow-schema';
import { MlEngine } from '../src/main/ml/ml-engine';
import { MlPool } from '../src/main/ml/ml-pool';
import { saveModel } from '../src/main/ml/model-store';
import { predictCapture } from '../src/main/ml/predict-capture';
import { loadTrainingData } from '../src/main/ml/training-data';
import { CaseStore } from '../src/main/store/case-store';

const { values } = parseArgs({
  options: {
    'train-rows': { type: 'string' },
    'predict-rows': { type: 'string' },
    trees: { type: 'string' },
  },
});
const trainRows = Number(values['train-rows'] ?? 200_000);
const predictRows = Number(values['predict-rows'] ?? 1_000_000);
const trees = Number(values.trees ?? 100);
const FEATURES = 40;
const datasets = path.resolve(import.meta.dirname, '../../shared/datasets');

/** Deterministic generator (mulberry32) so runs are comparable. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    let t = (state = (state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function sourceRows(): Promise<{
  x: Float64Array;
  labels: Uint8Array;
  rows: number;
  classes: string[];
  features: string[];
  origin: string;
}> {
  if (existsSync(datasets)) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-ml-bench-'));
    const store = await CaseStore.open(path.join(dir, 'bench.duckdb'));
    try {
      const engine = new MlEngine(store);
      await engine.importFiles(
        readdirSync(datasets)
          .filter((name) => name.endsWith('.csv'))
          .map((name) => path.join(datasets, name)),
      );
      const data = await loadTrainingData(store, { source: 'imported' });
      const keep = data.features.slice(0, FEATURES).map((name) => data.features.indexOf(name));
      const x = new Float64Array(data.rows * FEATURES);
      for (let row = 0; row < data.rows; row++)
        keep.forEach((f, j) => (x[row * FEATURES + j] = data.x[row * data.features.length + f]!));
      await engine.close();
      return {
        x,
        labels: data.labels,
        rows: data.rows,
        classes: data.classes,
        features: data.features.slice(0, FEATURES),
        origin: `${data.rows} CICIDS2017 sample rows`,
      };
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const random = generator(1);
  const rows = 10_000;
  const x = Float64Array.from({ length: rows * FEATURES }, () => random() * 1000);
  const labels = Uint8Array.from({ length: rows }, (_, row) =>
    x[row * FEATURES]! + x[row * FEATURES + 1]! > 1000 ? 1 : 0,
  );
  return {
    x,
    labels,
    rows,
    classes: ['a', 'b'],
    features: [],
    origin: 'synthetic rows (no ../shared/datasets)',
  };
}

function resample(source: { x: Float64Array; labels: Uint8Array; rows: number }, rows: number, seed: number) {
  const random = generator(seed);
  const x = new Float64Array(rows * FEATURES);
  const labels = new Uint8Array(rows);
  for (let row = 0; row < rows; row++) {
    const from = Math.floor(random() * source.rows);
    labels[row] = source.labels[from]!;
    for (let f = 0; f < FEATURES; f++)
      x[row * FEATURES + f] = source.x[from * FEATURES + f]! * (0.95 + random() * 0.1);
  }
  return { x, labels };
}

const source = await sourceRows();
console.log(
  `ml-bench: ${FEATURES} features from ${source.origin}; ${os.availableParallelism()} cores, load ${os.loadavg()[0]!.toFixed(1)}`,
);
const pool = new MlPool(2);
const cpuSeconds = () => process.cpuUsage().user / 1e6;
try {
  const train = resample(source, trainRows, 2);
  let started = performance.now();
  let cpu = cpuSeconds();
  const result = await pool.train(
    {
      op: 'train',
      kind: 'rf',
      x: train.x,
      rows: trainRows,
      features: FEATURES,
      labels: train.labels,
      classes: source.classes,
      groups: new Int32Array(trainRows),
      split: 'stratified',
      testSize: 0.05,
      seed: 1,
      params: { trees, maxDepth: 40, minSamplesLeaf: 1, learningRate: 0 },
    },
    [train.x.buffer],
  );
  const trainWall = (performance.now() - started) / 1000;
  const trainCpu = cpuSeconds() - cpu;
  console.log(
    `train: random forest of ${trees} trees on ${Math.round(trainRows * 0.95)} rows x ${FEATURES} features: ${(result.trainMs / 1000).toFixed(1)} s fitting ` +
      `(${trainWall.toFixed(1)} s with binning, held-out evaluation and transfer, ${trainCpu.toFixed(1)} s CPU; bar 60 s), macro-F1 ${result.metrics.macroF1.toFixed(4)}, model ${(result.model.length / 1e6).toFixed(1)} MB`,
  );
  const predict = resample(source, predictRows, 3);
  const block = 65_536;
  started = performance.now();
  cpu = cpuSeconds();
  let predicted = 0;
  // Two blocks in flight, one per worker thread, as predictCapture does.
  const blocks: Promise<void>[] = [];
  for (let start = 0; start < predictRows; start += block) {
    const rows = Math.min(block, predictRows - start);
    const x = predict.x.slice(start * FEATURES, (start + rows) * FEATURES);
    blocks.push(
      pool
        .predict({ op: 'predict', modelKey: 'bench', model: result.model, x, rows, features: FEATURES })
        .then((output) => {
          predicted += output.predicted.length;
        }),
    );
    if (blocks.length >= 2) await blocks.shift();
  }
  await Promise.all(blocks);
  const predictWall = (performance.now() - started) / 1000;
  const predictCpu = cpuSeconds() - cpu;
  console.log(
    `predict: ${predicted} rows in ${predictWall.toFixed(1)} s (${predictCpu.toFixed(1)} s CPU) through 2 worker threads in blocks of ${block} (bar 10 s)`,
  );
  if (source.features.length) await predictEndToEnd(result.model, source.classes, source.features);
} finally {
  await pool.close();
}

/**
 * predictCapture on a case holding one capture of `predictRows` synthetic flows (every numeric
 * flow column uniform in 0..1000, so the trees' paths are not those of real flows).
 */
async function predictEndToEnd(model: Uint8Array, classes: string[], features: string[]): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-ml-bench-'));
  const store = await CaseStore.open(path.join(dir, 'predict.duckdb'));
  const endToEndPool = new MlPool(2);
  try {
    await store.run(
      `INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, flows, status)
       VALUES (1, 'synthetic', 'synthetic', 0, 'synthetic', $flows, 'done')`,
      { flows: predictRows },
    );
    const numeric = FLOW_COLUMNS.filter(
      (column) =>
        column.type !== 'VARCHAR' &&
        !column.type.startsWith('TIMESTAMP') &&
        column.name !== 'flow_id' &&
        column.name !== 'capture_id',
    );
    await store.run(
      `INSERT INTO flows (flow_id, capture_id, ${numeric.map((column) => column.name).join(', ')})
       SELECT range, 1, ${numeric.map((column) => `CAST(floor(random() * 1000) AS ${column.type})`).join(', ')}
       FROM range(${predictRows})`,
    );
    const summary = await saveModel(
      store,
      {
        name: 'bench',
        kind: 'rf',
        source: 'imported',
        features,
        classes,
        training: { datasetIds: [], captureIds: [], split: 'stratified', testSize: 0.05, seed: 1, params: {}, trainMs: 0 },
        metrics: { macroF1: 0, accuracy: 0, perClass: {}, confusion: [], classes, curves: {}, trainRows: 0, testRows: 0 },
        importance: [],
      },
      model,
    );
    const started = performance.now();
    const cpu = cpuSeconds();
    const result = await predictCapture(store, endToEndPool, { modelId: summary.id, captureId: 1 });
    const wall = (performance.now() - started) / 1000;
    const stored = await store.rows('SELECT count(*) AS n FROM ml_predictions');
    console.log(
      `predict end to end (predictCapture: DuckDB features -> 2 worker threads -> ml_predictions): ${result.flows} flows in ${wall.toFixed(1)} s ` +
        `(${(cpuSeconds() - cpu).toFixed(1)} s CPU incl. DuckDB's threads; bar 10 s), ${Number(stored[0]!.n)} rows stored`,
    );
  } finally {
    await endToEndPool.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
