/** Tasks of the classifier worker (src/workers/ml/ml-worker.ts) and their results. */
import type { EvaluationMetrics, ModelKind, SplitKind } from '../ml-types';

/** Where the worker posts progress (a MessagePort transferred with the task). */
export interface ProgressPort {
  postMessage(message: WorkerProgress): void;
}

export interface WorkerProgress {
  phase: 'training' | 'evaluating';
  fraction: number;
  message: string;
}

export interface TrainParams {
  /** rf: trees; gbt: boosting rounds; logreg: epochs. */
  trees: number;
  maxDepth: number;
  minSamplesLeaf: number;
  learningRate: number;
}

export interface TrainTask {
  op: 'train';
  kind: ModelKind;
  /** Row-major rows × features; NaN = missing. */
  x: Float64Array;
  rows: number;
  features: number;
  /** Class index per row (into `classes`). */
  labels: Uint8Array;
  classes: string[];
  /** Group per row (capture or dataset id), for the group split. */
  groups: Int32Array;
  split: SplitKind;
  testSize: number;
  seed: number;
  /** k-fold cross-validation before the final fit (0 or undefined: none). */
  cvFolds?: number;
  params: TrainParams;
  port?: ProgressPort;
}

export interface TrainTaskResult {
  /** encodeModel() bytes of the model trained on the training split. */
  model: Uint8Array;
  metrics: EvaluationMetrics;
  importance: number[];
  trainMs: number;
}

export interface PredictTask {
  op: 'predict';
  /** Identifies the model so the worker decodes it once, not for every chunk. */
  modelKey: string;
  model: Uint8Array;
  x: Float64Array;
  rows: number;
  features: number;
}

export interface PredictTaskResult {
  /** Predicted class index per row. */
  predicted: Uint8Array;
  /** Probability of the predicted class. */
  probability: Float64Array;
  /** 1 - (top probability - second probability). */
  uncertainty: Float64Array;
}

export type MlWorkerTask = TrainTask | PredictTask;
