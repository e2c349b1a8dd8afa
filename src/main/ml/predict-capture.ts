/**
 * Applies a model to a capture: the capture's flows stream out of DuckDB in blocks of typed
 * arrays, the worker pool predicts the blocks in parallel (one per thread), and the predictions
 * are staged in bulk and moved into ml_predictions at the end (prediction-writer.ts), replacing
 * that model's earlier predictions for the capture. A cancelled job leaves them as they were.
 */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { ModelSummary, PredictResult } from '../../shared/ml-types';
import type { PredictTaskResult } from '../../shared/ml/worker-messages';
import type { CaseStore } from '../store/case-store';
import { CIC_FEATURES } from './cic-features';
import { streamNumericMatrix } from './feature-matrix';
import type { MlPool } from './ml-pool';
import { loadModel } from './model-store';
import { PredictionWriter } from './prediction-writer';
import type { JobOptions } from './train-model';
import { throwIfAborted } from './train-model';

const BLOCK_ROWS = 65_536;

/** SQL expressions over `flows` for the model's features (CICFlowMeter features are derived). */
export function featureSql(model: Pick<ModelSummary, 'source' | 'features'>): string[] {
  if (model.source === 'captured')
    return model.features.map((name) => `CAST("${name.replaceAll('"', '')}" AS DOUBLE)`);
  const byName = new Map(CIC_FEATURES.map((feature) => [feature.name, feature]));
  const missing = model.features.filter((name) => byName.get(name)?.flowSql === undefined);
  if (missing.length) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `The model uses CICFlowMeter features Flowlab cannot compute from captured flows: ${missing.join(', ')}; retrain with --features without them`,
    );
  }
  return model.features.map((name) => `CAST(${byName.get(name)!.flowSql} AS DOUBLE)`);
}

export async function predictCapture(
  store: CaseStore,
  pool: MlPool,
  request: { modelId: number; captureId: number },
  options: JobOptions & { blockRows?: number } = {},
): Promise<PredictResult> {
  const started = performance.now();
  const { summary, bytes } = await loadModel(store, request.modelId);
  const capture = await store.getCapture(request.captureId);
  if (!capture)
    throw new FlowlabError(ErrorCode.invalidArgument, `No capture ${request.captureId} in this case`);
  const expressions = featureSql(summary);
  const report = options.onProgress ?? (() => undefined);
  const total = Math.max(1, capture.flows);
  // Flow ids (capture_id * 2^32 + n) travel as doubles: exact below 2^53, i.e. capture ids < 2^21.
  const writer = await PredictionWriter.open(store);
  const counts = new Array<number>(summary.classes.length).fill(0);
  const modelKey = `${store.path}#${summary.id}#${summary.createdAt}`;
  const inFlight = Math.max(1, pool.threads);
  let done = 0;
  const write = (flowIds: Float64Array, result: PredictTaskResult) => {
    writer.append(flowIds.length, flowIds, result.predicted, result.probability, result.uncertainty);
    for (let i = 0; i < flowIds.length; i++) counts[result.predicted[i]!]!++;
    done += flowIds.length;
    report({ phase: 'predicting', fraction: Math.min(1, done / total), message: `${done} flows` });
  };
  try {
    // Blocks are written in order; up to one block per worker thread is predicting meanwhile.
    const queue: Promise<void>[] = [];
    let previous: Promise<void> = Promise.resolve();
    await streamNumericMatrix(
      store,
      `SELECT CAST(flow_id AS DOUBLE), ${expressions.join(', ')} FROM flows WHERE capture_id = $capture ORDER BY flow_id`,
      { capture: request.captureId },
      1,
      options.blockRows ?? BLOCK_ROWS,
      async (chunk) => {
        throwIfAborted(options.signal);
        const flowIds = chunk.keys[0]!;
        const prediction = pool.predict(
          { op: 'predict', modelKey, model: bytes, x: chunk.x, rows: chunk.rows, features: expressions.length },
          options.signal,
        );
        const after = previous;
        previous = prediction.then(async (result) => {
          await after;
          write(flowIds, result);
        });
        previous.catch(() => undefined);
        queue.push(previous);
        if (queue.length >= inFlight) await queue.shift();
      },
    );
    await Promise.all(queue);
    throwIfAborted(options.signal);
    await writer.commit(request.modelId, request.captureId, summary.classes);
  } catch (error) {
    if (options.signal?.aborted)
      throw new FlowlabError(ErrorCode.cancelled, 'Prediction cancelled', { cause: error });
    throw error;
  } finally {
    writer.close();
  }
  const byClass: Record<string, number> = {};
  summary.classes.forEach((name, i) => {
    if (counts[i]) byClass[name] = counts[i]!;
  });
  return {
    modelId: summary.id,
    captureId: request.captureId,
    flows: done,
    byClass,
    elapsedMs: Math.round(performance.now() - started),
  };
}
