/**
 * FlowFilter.prediction: flows a model predicted (optionally of some classes and within a
 * probability range), as one parameterised condition over `flows`. Every view that narrows by
 * the shared filter (grid, dashboards, labels "all rows matching the filter") gets it.
 */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { PredictionFilter } from '../../shared/ml-types';
import type { SqlParameters } from '../query/sql-parameters';

export function compilePredictionFilter(filter: PredictionFilter, params: SqlParameters): string {
  return `("flow_id" IN (SELECT flow_id FROM ml_predictions WHERE ${predictionConditions(filter, params).join(' AND ')}))`;
}

/** The validated conditions on ml_predictions columns (prefixed with `alias.` when given). */
export function predictionConditions(filter: PredictionFilter, params: SqlParameters, alias = ''): string[] {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  const invalid = (expected: string) =>
    new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected ${expected} for filter.prediction, found ${JSON.stringify(filter)?.slice(0, 120)}`,
    );
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) throw invalid('an object');
  if (!Number.isSafeInteger(filter.modelId) || filter.modelId < 1)
    throw invalid('modelId, a positive integer');
  const parts = [`${column('model_id')} = ${params.add(filter.modelId)}`];
  if (filter.classes !== undefined && filter.classes !== null) {
    if (
      !Array.isArray(filter.classes) ||
      filter.classes.length > 1000 ||
      !filter.classes.every((name) => typeof name === 'string' && name.length <= 200)
    )
      throw invalid('classes, a list of class names');
    parts.push(
      filter.classes.length
        ? `${column('predicted_class')} IN (${filter.classes.map((name) => params.add(name)).join(', ')})`
        : 'FALSE',
    );
  }
  for (const [key, operator] of [
    ['minProbability', '>='],
    ['maxProbability', '<='],
  ] as const) {
    const value = filter[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1)
      throw invalid(`${key} from 0 to 1`);
    parts.push(`${column('probability')} ${operator} ${params.add(value)}`);
  }
  return parts;
}
