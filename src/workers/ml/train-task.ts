/** Split, train and evaluate one model (what the worker's 'train' task runs). */
import { evaluatePredictions } from '../../shared/ml/evaluate';
import { encodeModel } from '../../shared/ml/model-codec';
import type { TrainedModel } from '../../shared/ml/model-codec';
import type { CrossValidation } from '../../shared/ml-types';
import type { TrainTask, TrainTaskResult } from '../../shared/ml/worker-messages';
import { predictProbabilities } from './ensemble-predict';
import { binFeatures } from './feature-bins';
import { trainGradientBoosting } from './gradient-boosting';
import { trainLogisticRegression } from './logistic-regression';
import { trainRandomForest } from './random-forest';
import { SeededRandom } from './seeded-random';
import { foldOfRows, groupSplit, stratifiedSplit, takeRows } from './split-rows';

export function runTrainTask(task: TrainTask): TrainTaskResult {
  const { features, classes } = task;
  if (task.rows < 2) throw new Error(`Expected at least 2 labeled rows to train on, found ${task.rows}`);
  const split =
    task.split === 'group'
      ? groupSplit(task.groups, task.labels, classes.length, task.testSize, task.seed)
      : stratifiedSplit(task.labels, classes.length, task.testSize, task.seed);
  if (split.train.length === 0 || split.test.length === 0) {
    throw new Error(
      `Expected rows on both sides of the ${task.split} split, found ${split.train.length} training and ${split.test.length} test rows` +
        (task.split === 'group' ? ' (a group split needs at least two captures or datasets)' : ''),
    );
  }
  let lastPost = 0;
  let prefix = '';
  const progress = (done: number, total: number, unit: string) => {
    const now = performance.now();
    if (done < total && now - lastPost < 200) return;
    lastPost = now;
    task.port?.postMessage({
      phase: 'training',
      fraction: done / total,
      message: `${prefix}${unit} ${done}/${total}`,
    });
  };
  let crossValidation: CrossValidation | undefined;
  if (task.cvFolds && task.cvFolds >= 2) {
    crossValidation = crossValidate(task, task.cvFolds, (fold) => {
      prefix = `cross-validation fold ${fold}/${task.cvFolds}: `;
    }, progress);
    prefix = 'final model: ';
  }
  const trainX = takeRows(task.x, features, split.train);
  const trainY = Uint8Array.from(split.train, (row) => task.labels[row]!);
  const started = performance.now();
  const { model, importance } = fit(task, trainX, trainY, split.train.length, progress);
  const trainMs = performance.now() - started;
  task.port?.postMessage({
    phase: 'evaluating',
    fraction: 0,
    message: `evaluating on ${split.test.length} held-out rows`,
  });
  const testX = takeRows(task.x, features, split.test);
  const probabilities = predictProbabilities(model, testX, split.test.length, features);
  const actual = Uint8Array.from(split.test, (row) => task.labels[row]!);
  const metrics = evaluatePredictions(classes, actual, probabilities, split.train.length);
  if (crossValidation) metrics.crossValidation = crossValidation;
  return { model: encodeModel(model), metrics, importance: Array.from(importance), trainMs };
}

/** Trains on k-1 folds and evaluates on the k-th, for each fold; the folds over all rows. */
function crossValidate(
  task: TrainTask,
  folds: number,
  onFold: (fold: number) => void,
  progress: (done: number, total: number, unit: string) => void,
): CrossValidation {
  const { features, classes } = task;
  const fold = foldOfRows(
    task.labels,
    classes.length,
    folds,
    task.seed,
    task.split === 'group' ? task.groups : undefined,
  );
  const macroF1: number[] = [];
  const accuracy: number[] = [];
  for (let k = 0; k < folds; k++) {
    onFold(k + 1);
    const trainRows: number[] = [];
    const testRows: number[] = [];
    for (let row = 0; row < task.rows; row++) (fold[row] === k ? testRows : trainRows).push(row);
    if (!testRows.length || !trainRows.length) throw new Error(`Cross-validation fold ${k + 1} has no rows`);
    const train = Int32Array.from(trainRows);
    const test = Int32Array.from(testRows);
    const labels = Uint8Array.from(train, (row) => task.labels[row]!);
    const { model } = fit(task, takeRows(task.x, features, train), labels, train.length, progress);
    const probabilities = predictProbabilities(model, takeRows(task.x, features, test), test.length, features);
    const actual = Uint8Array.from(test, (row) => task.labels[row]!);
    const metrics = evaluatePredictions(classes, actual, probabilities, train.length);
    macroF1.push(metrics.macroF1);
    accuracy.push(metrics.accuracy);
  }
  const mean = macroF1.reduce((sum, value) => sum + value, 0) / folds;
  const variance = macroF1.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (folds - 1);
  return { folds, split: task.split, macroF1, accuracy, meanMacroF1: mean, stdMacroF1: Math.sqrt(variance) };
}

function fit(
  task: TrainTask,
  x: Float64Array,
  labels: Uint8Array,
  rows: number,
  progress: (done: number, total: number, unit: string) => void,
): { model: TrainedModel; importance: Float64Array } {
  const { params, features, seed } = task;
  const classCount = task.classes.length;
  if (task.kind === 'logreg') {
    return trainLogisticRegression(x, rows, features, labels, classCount, {
      epochs: params.trees,
      batchSize: 256,
      learningRate: params.learningRate,
      l2: 1e-4,
      seed,
      onEpoch: (done, total) => progress(done, total, 'epoch'),
    });
  }
  const binned = binFeatures(x, rows, features, new SeededRandom(seed ^ 0x5bd1e995));
  if (task.kind === 'rf') {
    return trainRandomForest(binned, labels, classCount, {
      trees: params.trees,
      maxDepth: params.maxDepth,
      minSamplesLeaf: params.minSamplesLeaf,
      seed,
      onTree: (done, total) => progress(done, total, 'tree'),
    });
  }
  return trainGradientBoosting(binned, labels, classCount, {
    rounds: params.trees,
    maxDepth: params.maxDepth,
    learningRate: params.learningRate,
    subsample: 0.8,
    seed,
    onRound: (done, total) => progress(done, total, 'round'),
  });
}
