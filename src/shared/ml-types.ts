/**
 * Classifier types shared by the API contract, the backend (src/main/ml), the training worker
 * (src/workers/ml) and the renderer's Models view.
 */

/** Random forest, gradient-boosted trees, multinomial logistic regression. */
export type ModelKind = 'rf' | 'gbt' | 'logreg';

export const MODEL_KINDS: readonly ModelKind[] = ['rf', 'gbt', 'logreg'];

/**
 * Where training rows come from: imported CICFlowMeter/CICIDS2017 rows (their own feature
 * space, `cic_*` names) or captured flows labeled through `flow_labels_current` (flow columns).
 */
export type TrainingSource = 'imported' | 'captured';

/** How rows are split into training and held-out test sets. */
export type SplitKind = 'stratified' | 'group';

/** One imported CSV file: a labeled flow set kept apart from captured flows. */
export interface DatasetInfo {
  id: number;
  name: string;
  path: string;
  rows: number;
  /** Rows per label, as written in the file (e.g. `BENIGN`, `Web Attack - XSS`). */
  classCounts: Record<string, number>;
  /** Per feature: cells that were `Infinity`, `-Infinity` or `NaN` (stored as NULL = missing). */
  nonFinite: Record<string, number>;
  warnings: string[];
  importedAt: string;
}

export interface ImportResult {
  dataset: DatasetInfo;
  /** Header layout recognised: `original` (leading spaces, duplicated Fwd Header Length) or `improved`. */
  layout: 'original' | 'improved' | 'other';
  /** Total `Infinity`/`NaN` cells handled. */
  nonFiniteCells: number;
}

export interface TrainRequest {
  kind: ModelKind;
  source: TrainingSource;
  /** Imported datasets to train on (default: all). */
  datasetIds?: number[];
  /** Captures whose labeled flows to train on (default: all). */
  captureIds?: number[];
  /** Feature names (default: every numeric feature of the source, never identifiers). */
  features?: string[];
  /** Add the destination port as a feature (off by default: ports are identifiers). */
  includePorts?: boolean;
  /** Held-out share, 0.05..0.9 (default 0.2). */
  testSize?: number;
  /** `stratified` (default) or `group`: whole captures/datasets on one side, no leakage. */
  split?: SplitKind;
  seed?: number;
  /**
   * k-fold cross-validation over all rows before the final fit (2..20; default none): stratified
   * folds, or with split `group` whole captures/datasets per fold.
   */
  cvFolds?: number;
  /** Trees (rf) or boosting rounds (gbt); default 100. */
  trees?: number;
  maxDepth?: number;
  name?: string;
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** One curve point: x/y are (FPR, TPR) for ROC and (recall, precision) for PR. */
export type CurvePoint = [number, number];

export interface ClassCurves {
  roc: CurvePoint[];
  pr: CurvePoint[];
  /** Area under the ROC curve (one-vs-rest). */
  auc: number;
  /** Average precision (area under the PR step curve). */
  averagePrecision: number;
}

/** Metrics on the held-out split. */
export interface EvaluationMetrics {
  macroF1: number;
  accuracy: number;
  perClass: Record<string, ClassMetrics>;
  /** confusion[actual][predicted], indices into `classes`. */
  confusion: number[][];
  classes: string[];
  curves: Record<string, ClassCurves>;
  trainRows: number;
  testRows: number;
  /** Present when the model was trained with cross-validation (TrainRequest.cvFolds). */
  crossValidation?: CrossValidation;
}

/** k-fold cross-validation: each fold's held-out macro-F1 and accuracy, their mean and std. */
export interface CrossValidation {
  folds: number;
  split: SplitKind;
  macroF1: number[];
  accuracy: number[];
  meanMacroF1: number;
  /** Sample standard deviation over the folds. */
  stdMacroF1: number;
}

export interface FeatureImportance {
  feature: string;
  importance: number;
}

export interface ModelSummary {
  id: number;
  name: string;
  kind: ModelKind;
  createdAt: string;
  source: TrainingSource;
  features: string[];
  classes: string[];
  /** What it was trained on: datasets or captures, split, seed, parameters. */
  training: {
    datasetIds: number[];
    captureIds: number[];
    split: SplitKind;
    testSize: number;
    seed: number;
    params: Record<string, number>;
    trainMs: number;
  };
  metrics: EvaluationMetrics;
  importance: FeatureImportance[];
}

export interface TrainResult {
  model: ModelSummary;
}

/** Progress of a training or prediction job (event `ml.progress`). */
export interface MlProgress {
  jobId: number;
  phase: 'loading' | 'training' | 'evaluating' | 'predicting' | 'saving' | 'done';
  /** 0..1 of the current phase. */
  fraction: number;
  message: string;
}

export interface PredictRequest {
  modelId: number;
  captureId: number;
}

export interface PredictResult {
  modelId: number;
  captureId: number;
  flows: number;
  /** Flows per predicted class. */
  byClass: Record<string, number>;
  elapsedMs: number;
}

/** A flow with the model's prediction (the Models view's grid and "next flows to label"). */
export interface PredictionRow {
  flowId: number;
  captureId: number;
  predictedClass: string;
  probability: number;
  /** 1 - (top probability - second probability): 1 = most uncertain. */
  uncertainty: number;
  srcIp: string | null;
  dstIp: string | null;
  dstPort: number | null;
  protocol: number | null;
  application: string | null;
  /** The flow's current label, when the labels view exists and it has one. */
  label: string | null;
}

export interface PredictionPageRequest {
  modelId: number;
  captureId?: number;
  classes?: string[];
  minProbability?: number;
  maxProbability?: number;
  /** `uncertain`: most uncertain first, unlabeled flows only (active learning). */
  order?: 'probability' | 'uncertain';
  offset?: number;
  limit?: number;
}

export interface PredictionPage {
  rows: PredictionRow[];
  total: number;
}

/** Confirms predictions as labels (labels.apply with source 'model'). */
export interface ConfirmPredictionsRequest {
  modelId: number;
  /** Explicit flows; else every flow matching captureId/classes/minProbability. */
  flowIds?: number[];
  captureId?: number;
  classes?: string[];
  minProbability?: number;
  /** Label to give instead of the predicted class (e.g. map `ddos` to `malicious`). */
  label?: string;
}

/** Restricts flows to a model's predictions (FlowFilter.prediction). */
export interface PredictionFilter {
  modelId: number;
  classes?: string[];
  minProbability?: number;
  maxProbability?: number;
}
