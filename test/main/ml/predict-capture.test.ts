/**
 * issue #6 - predictCapture (typed-array reads, blocks predicted in parallel, bulk write) stores
 * for every flow exactly what the model predicts for it when evaluated directly on the float
 * walk, in more blocks than worker threads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMatrix } from '../../../src/main/ml/feature-matrix';
import { MlPool } from '../../../src/main/ml/ml-pool';
import { saveModel } from '../../../src/main/ml/model-store';
import { featureSql, predictCapture } from '../../../src/main/ml/predict-capture';
import { CaseStore } from '../../../src/main/store/case-store';
import { decodeModel } from '../../../src/shared/ml/model-codec';
import { predictProbabilities } from '../../../src/workers/ml/ensemble-predict';
import { runTrainTask } from '../../../src/workers/ml/train-task';

const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-ml-predict-'));
const FLOWS = 7000;
const FEATURES = ['duration_ms', 'src2dst_packets', 'dst2src_packets', 'src2dst_bytes', 'dst2src_bytes'];
let store: CaseStore;
let pool: MlPool;

beforeAll(async () => {
  store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  pool = new MlPool(2);
  for (const capture of [1, 2]) {
    await store.run(
      `INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, flows, status)
       VALUES ($id, 'x', 'x', 0, $id::VARCHAR, $flows, 'done')`,
      { id: capture, flows: FLOWS },
    );
    // Deterministic pseudo-random flows; some durations missing (NULL → NaN).
    await store.run(
      `INSERT INTO flows (flow_id, capture_id, duration_ms, src2dst_packets, dst2src_packets, src2dst_bytes, dst2src_bytes)
       SELECT $id * 4294967296 + i, $id,
         CASE WHEN i % 50 = 7 THEN NULL ELSE (i * 7919) % 1000 END,
         (i * 104729) % 60, (i * 1299709) % 40, (i * 15485863) % 5000, (i * 32452843) % 7000
       FROM range(${FLOWS}) t(i)`,
      { id: capture },
    );
  }
}, 60_000);

afterAll(async () => {
  await pool.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('predictCapture (issue #6)', () => {
  it('stores per flow the class, probability and uncertainty of a direct float-walk prediction', async () => {
    const sql = featureSql({ source: 'captured', features: FEATURES });
    const train = await readMatrix(store, `SELECT flow_id, ${sql.join(', ')} FROM flows WHERE capture_id = 1 ORDER BY flow_id`, {}, 1);
    // Three classes by a rule over two features, with a little label noise.
    const labels = Uint8Array.from({ length: train.rows }, (_, row) => {
      const packets = train.x[row * FEATURES.length + 1]!;
      const bytes = train.x[row * FEATURES.length + 3]!;
      return row % 53 === 0 ? 2 : packets > 30 ? (bytes > 2500 ? 2 : 1) : 0;
    });
    const classes = ['benign', 'scan', 'exfil'];
    const trained = runTrainTask({
      op: 'train',
      kind: 'rf',
      x: train.x,
      rows: train.rows,
      features: FEATURES.length,
      labels,
      classes,
      groups: new Int32Array(train.rows),
      split: 'stratified',
      testSize: 0.2,
      seed: 3,
      params: { trees: 20, maxDepth: 20, minSamplesLeaf: 1, learningRate: 0 },
    });
    const summary = await saveModel(
      store,
      {
        name: 'test',
        kind: 'rf',
        source: 'captured',
        features: FEATURES,
        classes,
        training: { datasetIds: [], captureIds: [1], split: 'stratified', testSize: 0.2, seed: 3, params: {}, trainMs: 0 },
        metrics: trained.metrics,
        importance: [],
      },
      trained.model,
    );
    // Blocks of 1000 rows: seven blocks, more than the pool's two threads.
    const result = await predictCapture(store, pool, { modelId: summary.id, captureId: 2 }, { blockRows: 1000 });
    expect(result.flows).toBe(FLOWS);

    const target = await readMatrix(store, `SELECT flow_id, ${sql.join(', ')} FROM flows WHERE capture_id = 2 ORDER BY flow_id`, {}, 1);
    const probabilities = predictProbabilities(decodeModel(trained.model), target.x, target.rows, FEATURES.length, undefined, false);
    const stored = await store.rows(
      'SELECT flow_id, predicted_class, probability, uncertainty FROM ml_predictions WHERE model_id = $m AND capture_id = 2 ORDER BY flow_id',
      { m: summary.id },
    );
    expect(stored.length).toBe(FLOWS);
    const seen = new Set<string>();
    stored.forEach((row, i) => {
      const p = Array.from(probabilities.subarray(i * 3, i * 3 + 3));
      const order = [0, 1, 2].sort((a, b) => p[b]! - p[a]! || a - b);
      expect(BigInt(row.flow_id as bigint)).toBe(BigInt(target.keys[0]![i] as bigint));
      expect(row.predicted_class).toBe(classes[order[0]!]);
      expect(row.probability).toBe(p[order[0]!]);
      expect(row.uncertainty).toBeCloseTo(1 - (p[order[0]!]! - p[order[1]!]!), 12);
      seen.add(String(row.predicted_class));
    });
    expect(seen.size).toBe(3);
    const byClass = Object.fromEntries(classes.map((name) => [name, stored.filter((row) => row.predicted_class === name).length]));
    expect(result.byClass).toEqual(byClass);
  }, 120_000);
});
