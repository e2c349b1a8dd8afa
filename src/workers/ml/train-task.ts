/** Split, train and evaluate one model (what the worker's 'train' task runs). */
import { evaluatePredictions } from '../../shared/ml/evaluate';
import { encodeModel } from '../../shared/ml/model-codec';
import type { TrainedModel } from '../../shared/ml/model-codec';
import type { TrainTask, TrainTaskResult } from '../../shared/ml/worker-messages';
import { predictProbabilities } from './ensemble-predict';
import { binFeatures } from './feature-bins';
import { trainGradientBoosting } from './gradient-boosting';
import { trainLogisticRegression } from './logistic-regression';
import { trainRandomForest } from './random-forest';
import { SeededRandom } from './seeded-random';
import { groupSplit, stratifiedSplit, takeRows } from './split-rows';

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
  const trainX = takeRows(task.x, features, split.train);
  const trainY = Uint8Array.from(split.train, (row) => task.labels[row]!);
  const started = performance.now();
  let lastPost = 0;
  const progress = (done: number, total: number, unit: string) => {
    const now = performance.now();
    if (done < total && now - lastPost < 200) return;
    lastPost = now;
    task.port?.postMessage({
      phase: 'training',
      fraction: done / total,
      message: `${unit} ${done}/${total}`,
    });
  };
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
  return { model: encodeModel(model), metrics, importance: Array.from(importance), trainMs };
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
