/**
 * A training job: load the rows from the case, train and evaluate in the worker (progress over
 * a MessagePort, cancel through piscina's abort, which ends the worker thread), save the model.
 */
import { MessageChannel } from 'node:worker_threads';
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { MlProgress, ModelSummary, TrainRequest } from '../../shared/ml-types';
import type { TrainParams, WorkerProgress } from '../../shared/ml/worker-messages';
import type { CaseStore } from '../store/case-store';
import type { MlPool } from './ml-pool';
import { saveModel } from './model-store';
import { loadTrainingData } from './training-data';

export interface JobOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Omit<MlProgress, 'jobId'>) => void;
}

/** Parameters with their defaults per model kind. */
export function trainParams(request: TrainRequest): TrainParams {
  switch (request.kind) {
    case 'rf':
      return {
        trees: request.trees ?? 100,
        maxDepth: request.maxDepth ?? 40,
        minSamplesLeaf: 1,
        learningRate: 0,
      };
    case 'gbt':
      return {
        trees: request.trees ?? 100,
        maxDepth: request.maxDepth ?? 6,
        minSamplesLeaf: 1,
        learningRate: 0.1,
      };
    case 'logreg':
      return { trees: request.trees ?? 30, maxDepth: 0, minSamplesLeaf: 0, learningRate: 0.01 };
  }
}

export async function trainModel(
  store: CaseStore,
  pool: MlPool,
  request: TrainRequest,
  options: JobOptions = {},
): Promise<ModelSummary> {
  const report = options.onProgress ?? (() => undefined);
  report({ phase: 'loading', fraction: 0, message: `loading ${request.source} rows` });
  const data = await loadTrainingData(store, request);
  throwIfAborted(options.signal);
  const params = trainParams(request);
  const testSize = request.testSize ?? 0.2;
  const seed = request.seed ?? 1;
  const split = request.split ?? 'stratified';
  report({
    phase: 'training',
    fraction: 0,
    message: `${data.rows} rows, ${data.features.length} features, ${data.classes.length} classes`,
  });
  const channel = new MessageChannel();
  channel.port1.on('message', (message: WorkerProgress) => report(message));
  let result;
  try {
    result = await pool.train(
      {
        op: 'train',
        kind: request.kind,
        x: data.x,
        rows: data.rows,
        features: data.features.length,
        labels: data.labels,
        classes: data.classes,
        groups: data.groups,
        split,
        testSize,
        seed,
        ...(request.cvFolds ? { cvFolds: request.cvFolds } : {}),
        params,
        port: channel.port2,
      },
      [data.x.buffer as ArrayBuffer, channel.port2],
      options.signal,
    );
  } catch (error) {
    if (options.signal?.aborted)
      throw new FlowlabError(ErrorCode.cancelled, 'Training cancelled', { cause: error });
    throw new FlowlabError(ErrorCode.invalidArgument, `Training failed: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    channel.port1.close();
  }
  report({ phase: 'saving', fraction: 1, message: 'saving the model' });
  const importance = data.features
    .map((feature, i) => ({ feature, importance: result.importance[i] ?? 0 }))
    .sort((a, b) => b.importance - a.importance);
  const summary = await saveModel(
    store,
    {
      name: request.name ?? `${request.kind} on ${request.source} (${data.rows} rows)`,
      kind: request.kind,
      source: request.source,
      features: data.features,
      classes: data.classes,
      training: {
        datasetIds: data.datasetIds,
        captureIds: data.captureIds,
        split,
        testSize,
        seed,
        params: { ...params },
        trainMs: Math.round(result.trainMs),
      },
      metrics: result.metrics,
      importance,
    },
    result.model,
  );
  report({
    phase: 'done',
    fraction: 1,
    message: `model ${summary.id}: macro-F1 ${summary.metrics.macroF1.toFixed(3)}`,
  });
  return summary;
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new FlowlabError(ErrorCode.cancelled, 'Cancelled');
}
