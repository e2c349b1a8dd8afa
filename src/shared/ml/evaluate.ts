/**
 * Held-out evaluation: per-class precision/recall/F1 (scikit-learn's definitions, 0 when
 * undefined), macro-F1 over the classes present in the test set or predicted, accuracy, the
 * confusion matrix, and one-vs-rest ROC and PR curves with AUC and average precision.
 */
import type { ClassCurves, ClassMetrics, CurvePoint, EvaluationMetrics } from '../ml-types';

/** Most points kept per curve (the areas are computed on the full curve). */
const CURVE_POINTS = 200;

/**
 * `actual[i]` is row i's class index; `probabilities` is rows × classes.length.
 */
export function evaluatePredictions(
  classes: readonly string[],
  actual: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  trainRows: number,
): EvaluationMetrics {
  const k = classes.length;
  const rows = actual.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let row = 0; row < rows; row++) {
    const predicted = argmax(probabilities, row * k, k);
    confusion[actual[row]!]![predicted]!++;
    if (predicted === actual[row]) correct++;
  }
  const perClass: Record<string, ClassMetrics> = {};
  const curves: Record<string, ClassCurves> = {};
  let f1Sum = 0;
  let f1Count = 0;
  for (let c = 0; c < k; c++) {
    const truePositives = confusion[c]![c]!;
    let support = 0;
    let predictedCount = 0;
    for (let other = 0; other < k; other++) {
      support += confusion[c]![other]!;
      predictedCount += confusion[other]![c]!;
    }
    const precision = predictedCount ? truePositives / predictedCount : 0;
    const recall = support ? truePositives / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[classes[c]!] = { precision, recall, f1, support };
    if (support > 0 || predictedCount > 0) {
      f1Sum += f1;
      f1Count++;
    }
    if (support > 0 && support < rows) curves[classes[c]!] = oneVsRestCurves(actual, probabilities, k, c);
  }
  return {
    macroF1: f1Count ? f1Sum / f1Count : 0,
    accuracy: rows ? correct / rows : 0,
    perClass,
    confusion,
    classes: [...classes],
    curves,
    trainRows,
    testRows: rows,
  };
}

export function argmax(values: ArrayLike<number>, start: number, count: number): number {
  let best = 0;
  for (let c = 1; c < count; c++) if (values[start + c]! > values[start + best]!) best = c;
  return best;
}

/** ROC (FPR, TPR) and PR (recall, precision) of class `target` against the rest. */
export function oneVsRestCurves(
  actual: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  classCount: number,
  target: number,
): ClassCurves {
  const rows = actual.length;
  const order = Array.from({ length: rows }, (_, index) => index);
  const score = (row: number) => probabilities[row * classCount + target]!;
  order.sort((a, b) => score(b) - score(a));
  let positives = 0;
  for (let row = 0; row < rows; row++) if (actual[row] === target) positives++;
  const negatives = rows - positives;
  const roc: CurvePoint[] = [[0, 0]];
  const pr: CurvePoint[] = [];
  let truePositives = 0;
  let falsePositives = 0;
  let auc = 0;
  let averagePrecision = 0;
  let previousRecall = 0;
  for (let i = 0; i < rows; i++) {
    const row = order[i]!;
    if (actual[row] === target) truePositives++;
    else falsePositives++;
    // One point per distinct score (ties move together).
    if (i + 1 < rows && score(order[i + 1]!) === score(row)) continue;
    const tpr = truePositives / positives;
    const fpr = falsePositives / negatives;
    const [lastFpr, lastTpr] = roc[roc.length - 1]!;
    auc += ((fpr - lastFpr) * (tpr + lastTpr)) / 2;
    roc.push([fpr, tpr]);
    const precision = truePositives / (truePositives + falsePositives);
    averagePrecision += (tpr - previousRecall) * precision;
    previousRecall = tpr;
    pr.push([tpr, precision]);
  }
  return { roc: thin(roc), pr: thin(pr), auc, averagePrecision };
}

/** At most CURVE_POINTS points, keeping the first and last. */
function thin(points: CurvePoint[]): CurvePoint[] {
  if (points.length <= CURVE_POINTS) return points.map(round);
  const step = (points.length - 1) / (CURVE_POINTS - 1);
  return Array.from({ length: CURVE_POINTS }, (_, i) => round(points[Math.round(i * step)]!));
}

function round([x, y]: CurvePoint): CurvePoint {
  return [Math.round(x * 1e5) / 1e5, Math.round(y * 1e5) / 1e5];
}
