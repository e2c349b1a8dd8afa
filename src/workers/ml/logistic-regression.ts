/**
 * Multinomial logistic regression (softmax) trained by mini-batch Adam with L2 regularisation,
 * on features compressed with sign(x)·log1p(|x|) and standardized (flow counts and rates span
 * nine orders of magnitude; missing values become the mean, 0).
 *
 * Why our own: ml-logistic-regression 2.0.0 (one-vs-rest, fixed-step gradient descent on
 * ml-matrix) took 80 s for 50k x 40 rows here and gives no probabilities for several classes.
 */
import type { LinearModel } from '../../shared/ml/model-codec';
import { compress, softmaxInPlace, standardizeRow } from './ensemble-predict';
import { SeededRandom } from './seeded-random';

export interface LogisticOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
  seed: number;
  onEpoch?: (done: number, total: number) => void;
}

export function trainLogisticRegression(
  x: Float64Array,
  rows: number,
  features: number,
  labels: Uint8Array,
  classCount: number,
  options: LogisticOptions,
): { model: LinearModel; importance: Float64Array } {
  const { mean, scale } = columnStatistics(x, rows, features);
  const stride = features + 1;
  const weights = new Float64Array(classCount * stride);
  const gradient = new Float64Array(weights.length);
  const firstMoment = new Float64Array(weights.length);
  const secondMoment = new Float64Array(weights.length);
  const z = new Float64Array(rows * features);
  for (let row = 0; row < rows; row++)
    standardizeRow({ mean, scale }, x, row * features, z.subarray(row * features, (row + 1) * features));
  const order = Int32Array.from({ length: rows }, (_, index) => index);
  const random = new SeededRandom(options.seed);
  const scores = new Float64Array(classCount);
  const beta1 = 0.9;
  const beta2 = 0.999;
  let step = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    random.shuffle(order);
    for (let start = 0; start < rows; start += options.batchSize) {
      const end = Math.min(rows, start + options.batchSize);
      gradient.fill(0);
      for (let k = start; k < end; k++) {
        const row = order[k]!;
        const base = row * features;
        for (let c = 0; c < classCount; c++) {
          let sum = weights[c * stride + features]!;
          for (let f = 0; f < features; f++) sum += weights[c * stride + f]! * z[base + f]!;
          scores[c] = sum;
        }
        softmaxInPlace(scores, 0, classCount);
        for (let c = 0; c < classCount; c++) {
          const error = scores[c]! - (labels[row] === c ? 1 : 0);
          const w = c * stride;
          for (let f = 0; f < features; f++) gradient[w + f]! += error * z[base + f]!;
          gradient[w + features]! += error;
        }
      }
      const batch = end - start;
      step++;
      const correction1 = 1 - beta1 ** step;
      const correction2 = 1 - beta2 ** step;
      for (let i = 0; i < weights.length; i++) {
        const isBias = i % stride === features;
        const g = gradient[i]! / batch + (isBias ? 0 : options.l2 * weights[i]!);
        firstMoment[i] = beta1 * firstMoment[i]! + (1 - beta1) * g;
        secondMoment[i] = beta2 * secondMoment[i]! + (1 - beta2) * g * g;
        weights[i]! -=
          (options.learningRate * (firstMoment[i]! / correction1)) /
          (Math.sqrt(secondMoment[i]! / correction2) + 1e-8);
      }
    }
    options.onEpoch?.(epoch + 1, options.epochs);
  }
  // Importance: mean |weight| per standardized feature over the classes.
  const importance = new Float64Array(features);
  for (let c = 0; c < classCount; c++)
    for (let f = 0; f < features; f++) importance[f]! += Math.abs(weights[c * stride + f]!);
  let total = 0;
  for (const value of importance) total += value;
  return {
    model: { type: 'linear', classCount, featureCount: features, mean, scale, weights },
    importance: total > 0 ? importance.map((value) => value / total) : importance,
  };
}

/** Mean and standard deviation of the compressed finite values of each column (1 when constant). */
function columnStatistics(
  x: Float64Array,
  rows: number,
  features: number,
): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(features);
  const scale = new Float64Array(features);
  for (let f = 0; f < features; f++) {
    let count = 0;
    let sum = 0;
    let squares = 0;
    for (let row = 0; row < rows; row++) {
      const value = x[row * features + f]!;
      if (value !== value) continue;
      const v = compress(value);
      count++;
      sum += v;
      squares += v * v;
    }
    const m = count ? sum / count : 0;
    const variance = count ? squares / count - m * m : 0;
    mean[f] = m;
    scale[f] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  return { mean, scale };
}
