/**
 * SQL for the derived grid columns (shared/derived-columns.ts): `label` from flow_labels_current
 * and `predicted_class` / `predicted_probability` from ml_predictions for one model. A filter
 * on them becomes a semi-join on flow_id (so it works in every `FROM flows WHERE ...` of every
 * view); sorting or showing them LEFT JOINs their table in flows.page. Neither happens unless
 * the request names them.
 */
import { isDerivedColumn } from '../../shared/derived-columns';
import type { SqlParameters } from './sql-parameters';

/** What resolves a derived column: the model whose predictions are meant. */
export interface DerivedContext {
  /** ml_models.id; absent: the newest model that has predictions. */
  predictionModel?: number;
}

interface DerivedSource {
  /** A relation with flow_id and the column, at most one row per flow. */
  relation: string;
  /** The column's name inside `relation`. */
  column: string;
}

/** The model id as SQL: a parameter, or the newest model with predictions. */
function modelSql(context: DerivedContext, params: SqlParameters): string {
  return context.predictionModel === undefined
    ? '(SELECT max(model_id) FROM ml_predictions)'
    : params.add(context.predictionModel);
}

function derivedSource(name: string, context: DerivedContext, params: SqlParameters): DerivedSource {
  if (name === 'label') return { relation: 'flow_labels_current', column: 'label' };
  return {
    relation: `(SELECT flow_id, predicted_class, probability AS predicted_probability FROM ml_predictions WHERE model_id = ${modelSql(context, params)})`,
    column: name,
  };
}

/**
 * A condition over `flows` for a predicate on derived column `name`. `compile` builds the
 * predicate for a column expression; `matchesNull` says whether it holds for NULL (an unlabeled
 * flow, a flow without a prediction): `label != 'benign'` and `label is null` do.
 */
export function derivedCondition(
  name: string,
  context: DerivedContext,
  params: SqlParameters,
  compile: (columnExpression: string) => string,
  matchesNull: boolean,
): string {
  const { relation, column } = derivedSource(name, context, params);
  const predicate = compile(`"${column}"`);
  return matchesNull
    ? `("flow_id" NOT IN (SELECT flow_id FROM ${relation} WHERE NOT coalesce(${predicate}, false)))`
    : `("flow_id" IN (SELECT flow_id FROM ${relation} WHERE ${predicate}))`;
}

/** LEFT JOINs adding the derived `names` to `flows` (for sorting and showing them). */
export function derivedJoins(names: Iterable<string>, context: DerivedContext, params: SqlParameters): string {
  const wanted = new Set([...names].filter(isDerivedColumn));
  const joins: string[] = [];
  if (wanted.has('label')) {
    joins.push(
      'LEFT JOIN (SELECT flow_id AS label_flow_id, label FROM flow_labels_current) derived_label ON derived_label.label_flow_id = flows.flow_id',
    );
  }
  if (wanted.has('predicted_class') || wanted.has('predicted_probability')) {
    joins.push(
      `LEFT JOIN (SELECT flow_id AS prediction_flow_id, predicted_class, probability AS predicted_probability FROM ml_predictions WHERE model_id = ${modelSql(context, params)}) derived_prediction ON derived_prediction.prediction_flow_id = flows.flow_id`,
    );
  }
  return joins.join('\n');
}
