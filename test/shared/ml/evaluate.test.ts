import { describe, expect, it } from 'vitest';
import { evaluatePredictions, oneVsRestCurves } from '../../../src/shared/ml/evaluate';

describe('evaluatePredictions', () => {
  it('computes the confusion matrix, per-class precision/recall/F1 and macro-F1 as scikit-learn does', () => {
    // actual:    a a a b b c
    // predicted: a a b b c c
    const classes = ['a', 'b', 'c'];
    const actual = [0, 0, 0, 1, 1, 2];
    const predicted = [0, 0, 1, 1, 2, 2];
    const probabilities = predicted.flatMap((p) => classes.map((_, c) => (c === p ? 0.8 : 0.1)));
    const metrics = evaluatePredictions(classes, actual, probabilities, 10);
    expect(metrics.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(metrics.perClass.a).toEqual({ precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
    expect(metrics.perClass.b!.precision).toBeCloseTo(0.5);
    expect(metrics.perClass.b!.recall).toBeCloseTo(0.5);
    expect(metrics.perClass.c!.precision).toBeCloseTo(0.5);
    expect(metrics.perClass.c!.f1).toBeCloseTo(2 / 3);
    // sklearn.metrics.f1_score(average='macro') = (0.8 + 0.5 + 0.6667) / 3
    expect(metrics.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 10);
    expect(metrics.accuracy).toBeCloseTo(4 / 6);
    expect(metrics.trainRows).toBe(10);
    expect(metrics.testRows).toBe(6);
  });

  it('leaves classes absent from the test set and never predicted out of macro-F1', () => {
    const metrics = evaluatePredictions(['a', 'b', 'c'], [0, 1], [1, 0, 0, 0, 1, 0], 2);
    expect(metrics.macroF1).toBe(1);
    expect(metrics.perClass.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
  });
});

describe('oneVsRestCurves', () => {
  const binary = (scores: number[]) => scores.flatMap((s) => [1 - s, s]);

  it('gives AUC 1 and AP 1 for a perfect ranking, AUC 0 for a reversed one', () => {
    const actual = [1, 1, 0, 0];
    const perfect = oneVsRestCurves(actual, binary([0.9, 0.8, 0.3, 0.1]), 2, 1);
    expect(perfect.auc).toBe(1);
    expect(perfect.averagePrecision).toBe(1);
    expect(perfect.roc[0]).toEqual([0, 0]);
    expect(perfect.roc.at(-1)).toEqual([1, 1]);
    expect(oneVsRestCurves(actual, binary([0.1, 0.2, 0.8, 0.9]), 2, 1).auc).toBe(0);
  });

  it('matches roc_auc_score and average_precision_score on a mixed ranking, with ties', () => {
    // sklearn: roc_auc_score([1,0,1,0,1], [0.9,0.8,0.7,0.7,0.2]) = 5/12 (pairs: 2 won, 1 tied of 6)
    //          average_precision_score(...) = 1/3*1 + 1/3*(2/4) + 1/3*(3/5) = 0.7
    const curves = oneVsRestCurves([1, 0, 1, 0, 1], binary([0.9, 0.8, 0.7, 0.7, 0.2]), 2, 1);
    expect(curves.auc).toBeCloseTo(5 / 12, 10);
    expect(curves.averagePrecision).toBeCloseTo(0.7, 10);
  });
});
