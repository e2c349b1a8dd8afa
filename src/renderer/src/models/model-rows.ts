/** Pure shaping for the Models view: comparison rows, label names for confirmed predictions. */
import type { ModelSummary } from '../../../shared/ml-types';

export interface ComparisonRow {
  metric: string;
  /** One value per compared model, formatted. */
  values: string[];
}

const percent = (value: number | undefined) => (value === undefined ? '–' : `${(value * 100).toFixed(1)} %`);

/** Side-by-side rows: overall metrics, then F1 per class (union of the models' classes). */
export function comparisonRows(models: readonly ModelSummary[]): ComparisonRow[] {
  const rows: ComparisonRow[] = [
    { metric: 'Kind', values: models.map((model) => model.kind) },
    { metric: 'Source', values: models.map((model) => `${model.source} (${model.training.split})`) },
    { metric: 'Features', values: models.map((model) => String(model.features.length)) },
    {
      metric: 'Train / test rows',
      values: models.map((model) => `${model.metrics.trainRows} / ${model.metrics.testRows}`),
    },
    { metric: 'Macro-F1', values: models.map((model) => percent(model.metrics.macroF1)) },
    { metric: 'Accuracy', values: models.map((model) => percent(model.metrics.accuracy)) },
    { metric: 'CV macro-F1', values: models.map((model) => crossValidationText(model)) },
    {
      metric: 'Training time',
      values: models.map((model) => `${(model.training.trainMs / 1000).toFixed(1)} s`),
    },
  ];
  const classes = [...new Set(models.flatMap((model) => model.classes))].sort();
  for (const name of classes) {
    rows.push({
      metric: `F1 ${name}`,
      values: models.map((model) => percent(model.metrics.perClass[name]?.f1)),
    });
  }
  return rows;
}

/** `98.1 % ± 0.7 (5-fold, stratified)`, or `–` without cross-validation. */
export function crossValidationText(model: Pick<ModelSummary, 'metrics'>): string {
  const cv = model.metrics.crossValidation;
  if (!cv) return '–';
  return `${(cv.meanMacroF1 * 100).toFixed(1)} % ± ${(cv.stdMacroF1 * 100).toFixed(1)} (${cv.folds}-fold, ${cv.split === 'group' ? 'by capture/dataset' : 'stratified'})`;
}

/**
 * The label a confirmed prediction gets: the labels API's class names are lower-case words
 * joined by `-`, `_` or `.` (`BENIGN` → `benign`, `Web Attack - XSS` → `web-attack-xss`).
 */
export function labelForClass(className: string): string {
  const slug = className
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, 64);
  return slug || 'unnamed';
}
