/** issue #6 - the Models view's pure shaping: curves, confusion heatmap, importance, comparison. */
import { describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../../src/shared/ml-types';
import {
  buildConfusionOption,
  confusionCells,
} from '../../../src/renderer/src/models/build-confusion-option';
import {
  buildCurveOption,
  comparisonCurveSeries,
  curveLabel,
  modelCurveSeries,
} from '../../../src/renderer/src/models/build-curve-option';
import {
  buildImportanceOption,
  topImportance,
} from '../../../src/renderer/src/models/build-importance-option';
import { comparisonRows, labelForClass } from '../../../src/renderer/src/models/model-rows';

const curves = {
  roc: [
    [0, 0],
    [0.1, 0.9],
    [1, 1],
  ] as [number, number][],
  pr: [
    [0.5, 1],
    [1, 0.8],
  ] as [number, number][],
  auc: 0.94,
  averagePrecision: 0.9,
};

function model(id: number, kind: ModelSummary['kind'], f1: number): ModelSummary {
  return {
    id,
    name: `m${id}`,
    kind,
    createdAt: '2026-01-01',
    source: 'imported',
    features: ['a', 'b'],
    classes: ['BENIGN', 'DDoS'],
    training: {
      datasetIds: [1],
      captureIds: [],
      split: 'stratified',
      testSize: 0.2,
      seed: 1,
      params: {},
      trainMs: 1500,
    },
    metrics: {
      macroF1: f1,
      accuracy: 0.99,
      perClass: {
        BENIGN: { precision: 1, recall: 1, f1: 1, support: 8 },
        DDoS: { precision: 0.5, recall: 1, f1, support: 2 },
      },
      confusion: [
        [6, 2],
        [0, 2],
      ],
      classes: ['BENIGN', 'DDoS'],
      curves: { DDoS: curves },
      trainRows: 40,
      testRows: 10,
    },
    importance: [
      { feature: 'a', importance: 0.7 },
      { feature: 'b', importance: 0.3 },
    ],
  };
}

describe('Models view shaping', () => {
  it('draws one ROC line per class with its AUC, plus the chance diagonal; PR as a step line', () => {
    const roc = buildCurveOption(modelCurveSeries(model(1, 'rf', 0.8)), 'roc', 'ROC');
    const series = roc.series as { name: string; data: number[][]; step?: string }[];
    expect(series.map((entry) => entry.name)).toEqual(['DDoS (AUC 0.940)', 'chance']);
    expect(series[0]!.data).toEqual([
      [0, 0],
      [0.1, 0.9],
      [1, 1],
    ]);
    const pr = buildCurveOption(modelCurveSeries(model(1, 'rf', 0.8)), 'pr', 'PR');
    expect((pr.series as { step?: string }[])[0]!.step).toBe('end');
    expect(curveLabel('x', curves, 'pr')).toBe('x (AP 0.900)');
  });

  it('compares one class across models', () => {
    const series = comparisonCurveSeries([model(1, 'rf', 0.8), model(2, 'gbt', 0.9)], 'DDoS');
    expect(series.map((entry) => entry.name)).toEqual(['#1 rf', '#2 gbt']);
    expect(comparisonCurveSeries([model(1, 'rf', 0.8)], 'BENIGN')).toEqual([]);
  });

  it('colours confusion cells by the share of the actual class and labels them with counts', () => {
    expect(confusionCells(model(1, 'rf', 0.8).metrics)).toEqual([
      [0, 0, 0.75, 6],
      [1, 0, 0.25, 2],
      [0, 1, 0, 0],
      [1, 1, 1, 2],
    ]);
    const option = buildConfusionOption(model(1, 'rf', 0.8).metrics);
    expect((option.xAxis as { data: string[] }).data).toEqual(['BENIGN', 'DDoS']);
    expect((option.series as { type: string }[])[0]!.type).toBe('heatmap');
  });

  it('shows the most important features with the largest on top', () => {
    const top = topImportance(
      [
        { feature: 'a', importance: 0.1 },
        { feature: 'b', importance: 0.6 },
        { feature: 'c', importance: 0.3 },
      ],
      2,
    );
    expect(top.map((entry) => entry.feature)).toEqual(['c', 'b']);
    expect((buildImportanceOption(model(1, 'rf', 0.8).importance).yAxis as { data: string[] }).data).toEqual([
      'b',
      'a',
    ]);
  });

  it('lines models up side by side and turns classes into label names the labels API accepts', () => {
    const rows = comparisonRows([model(1, 'rf', 0.8), model(2, 'logreg', 0.5)]);
    expect(rows.find((row) => row.metric === 'Macro-F1')!.values).toEqual(['80.0 %', '50.0 %']);
    expect(rows.find((row) => row.metric === 'F1 DDoS')!.values).toEqual(['80.0 %', '50.0 %']);
    expect(rows.find((row) => row.metric === 'Kind')!.values).toEqual(['rf', 'logreg']);
    expect(labelForClass('BENIGN')).toBe('benign');
    expect(labelForClass('Web Attack - XSS')).toBe('web-attack-xss');
    expect(labelForClass('SSH-Patator')).toBe('ssh-patator');
    expect(labelForClass('!!!')).toBe('unnamed');
  });
});
