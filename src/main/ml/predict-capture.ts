/**
 * Applies a model to a capture: the capture's flows stream out of DuckDB in blocks, the worker
 * predicts each block, and (flow_id, predicted class, probability, uncertainty) rows go into
 * ml_predictions through an appender, replacing that model's earlier predictions for the capture.
 * While the worker predicts one block, the next is read (two in flight at most).
 */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { ModelSummary, PredictResult } from '../../shared/ml-types';
import type { PredictTaskResult } from '../../shared/ml/worker-messages';
import type { CaseStore } from '../store/case-store';
import { CIC_FEATURES } from './cic-features';
import { streamMatrix } from './feature-matrix';
import type { MlPool } from './ml-pool';
import { loadModel } from './model-store';
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
  options: JobOptions = {},
): Promise<PredictResult> {
  const started = performance.now();
  const { summary, bytes } = await loadModel(store, request.modelId);
  const capture = await store.getCapture(request.captureId);
  if (!capture)
    throw new FlowlabError(ErrorCode.invalidArgument, `No capture ${request.captureId} in this case`);
  const expressions = featureSql(summary);
  const report = options.onProgress ?? (() => undefined);
  const total = Math.max(1, capture.flows);
  await store.run('DELETE FROM ml_predictions WHERE model_id = $model AND capture_id = $capture', {
    model: request.modelId,
    capture: request.captureId,
  });
  // Its own connection: appending on the streaming connection would end the stream.
  const writer = await store.connect();
  const appender = await writer.createAppender('ml_predictions');
  const counts = new Array<number>(summary.classes.length).fill(0);
  const modelKey = `${store.path}#${summary.id}#${summary.createdAt}`;
  let done = 0;
  let pending: Promise<void> = Promise.resolve();
  const write = (flowIds: unknown[], result: PredictTaskResult) => {
    for (let i = 0; i < flowIds.length; i++) {
      appender.appendInteger(request.modelId);
      appender.appendInteger(request.captureId);
      appender.appendBigInt(BigInt(flowIds[i] as bigint));
      appender.appendVarchar(summary.classes[result.predicted[i]!]!);
      appender.appendDouble(result.probability[i]!);
      appender.appendDouble(result.uncertainty[i]!);
      appender.endRow();
      counts[result.predicted[i]!]!++;
    }
    done += flowIds.length;
    report({ phase: 'predicting', fraction: Math.min(1, done / total), message: `${done} flows` });
  };
  try {
    await streamMatrix(
      store,
      `SELECT flow_id, ${expressions.join(', ')} FROM flows WHERE capture_id = $capture ORDER BY flow_id`,
      { capture: request.captureId },
      1,
      BLOCK_ROWS,
      async (chunk) => {
        throwIfAborted(options.signal);
        const flowIds = chunk.keys[0]!;
        const x = chunk.x.slice();
        const prediction = pool.predict(
          { op: 'predict', modelKey, model: bytes, x, rows: chunk.rows, features: expressions.length },
          options.signal,
        );
        // Keep one block predicting while the next is read; write in order.
        const previous = pending;
        pending = prediction.then(async (result) => {
          await previous;
          write(flowIds, result);
        });
        pending.catch(() => undefined);
        await previous;
      },
    );
    await pending;
    appender.flushSync();
  } catch (error) {
    if (options.signal?.aborted)
      throw new FlowlabError(ErrorCode.cancelled, 'Prediction cancelled', { cause: error });
    throw error;
  } finally {
    appender.closeSync();
    writer.closeSync();
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
