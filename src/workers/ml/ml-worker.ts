/**
 * The classifier worker (piscina): trains and evaluates models and predicts chunks of flows, off
 * the main thread. Cancelling a task (piscina's abort signal) ends the thread itself, so even a
 * long tree cannot hold it up.
 */
import { decodeModel } from '../../shared/ml/model-codec';
import type { TrainedModel } from '../../shared/ml/model-codec';
import type {
  MlWorkerTask,
  PredictTask,
  PredictTaskResult,
  TrainTaskResult,
} from '../../shared/ml/worker-messages';
import { predictProbabilities } from './ensemble-predict';
import { runTrainTask } from './train-task';

let cached: { key: string; model: TrainedModel } | undefined;

export default function run(task: MlWorkerTask): TrainTaskResult | PredictTaskResult {
  return task.op === 'train' ? runTrainTask(task) : runPredictTask(task);
}

export function runPredictTask(task: PredictTask): PredictTaskResult {
  if (cached?.key !== task.modelKey) cached = { key: task.modelKey, model: decodeModel(task.model) };
  const model = cached.model;
  const classes = model.classCount;
  const probabilities = predictProbabilities(model, task.x, task.rows, task.features);
  const predicted = new Uint8Array(task.rows);
  const probability = new Float64Array(task.rows);
  const uncertainty = new Float64Array(task.rows);
  for (let row = 0; row < task.rows; row++) {
    let best = 0;
    let second = -1;
    const base = row * classes;
    for (let c = 1; c < classes; c++) {
      if (probabilities[base + c]! > probabilities[base + best]!) {
        second = best;
        best = c;
      } else if (second < 0 || probabilities[base + c]! > probabilities[base + second]!) second = c;
    }
    predicted[row] = best;
    probability[row] = probabilities[base + best]!;
    uncertainty[row] = 1 - (probabilities[base + best]! - (second >= 0 ? probabilities[base + second]! : 0));
  }
  return { predicted, probability, uncertainty };
}
