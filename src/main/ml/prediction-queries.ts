/**
 * Pages of a model's predictions joined with their flows (the Models view's grid), and active
 * learning's "next flows to label": unlabeled flows the model is least sure about.
 */
import type { PredictionPage, PredictionPageRequest, PredictionRow } from '../../shared/ml-types';
import type { CaseStore } from '../store/case-store';
import { predictionConditions } from './prediction-filter';
import { integerField, requestObject } from '../query/request-checks';
import { SqlParameters } from '../query/sql-parameters';

/** True once the labels migration has created `flow_labels_current`. */
export async function hasLabelsView(store: CaseStore): Promise<boolean> {
  const rows = await store.rows(
    "SELECT count(*) AS n FROM duckdb_views() WHERE view_name = 'flow_labels_current' AND NOT internal",
  );
  return Number(rows[0]!.n) > 0;
}

export async function predictionsPage(
  store: CaseStore,
  input: PredictionPageRequest,
): Promise<PredictionPage> {
  const request = requestObject<PredictionPageRequest>(input, 'ml.predictions');
  const params = new SqlParameters();
  const modelId = integerField(request.modelId, 'modelId', { min: 1, max: 2 ** 31 - 1 });
  const offset = integerField(request.offset, 'offset', {
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    fallback: 0,
  });
  const limit = integerField(request.limit, 'limit', { min: 1, max: 10_000, fallback: 100 });
  const conditions = predictionConditions(
    {
      modelId,
      ...(request.classes !== undefined ? { classes: request.classes } : {}),
      ...(request.minProbability !== undefined ? { minProbability: request.minProbability } : {}),
      ...(request.maxProbability !== undefined ? { maxProbability: request.maxProbability } : {}),
    },
    params,
    'p',
  );
  if (request.captureId !== undefined && request.captureId !== null) {
    conditions.push(
      `p.capture_id = ${params.add(integerField(request.captureId, 'captureId', { min: 0, max: 2 ** 31 - 1 }))}`,
    );
  }
  const labels = await hasLabelsView(store);
  const uncertain = request.order === 'uncertain';
  // Active learning proposes only flows nobody has labeled yet.
  if (uncertain && labels) conditions.push('l.label IS NULL');
  const join = labels ? 'LEFT JOIN flow_labels_current l ON l.flow_id = p.flow_id' : '';
  const from = `FROM ml_predictions p JOIN flows f ON f.flow_id = p.flow_id ${join} WHERE ${conditions.join(' AND ')}`;
  const countParams = { ...params.values };
  const order = uncertain ? 'p.uncertainty DESC, p.flow_id' : 'p.probability DESC, p.flow_id';
  const rows = await store.rows(
    `SELECT p.flow_id, p.capture_id, p.predicted_class, p.probability, p.uncertainty, f.src_ip, f.dst_ip, f.dst_port,
       f.protocol, f.application, ${labels ? 'l.label' : 'NULL'} AS label
     ${from} ORDER BY ${order} LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`,
    params.values,
  );
  const total = await store.rows(`SELECT count(*) AS n ${from}`, countParams);
  return { rows: rows.map(toRow), total: Number(total[0]!.n) };
}

function toRow(row: Record<string, unknown>): PredictionRow {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  const number = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    flowId: Number(row.flow_id),
    captureId: Number(row.capture_id),
    predictedClass: String(row.predicted_class),
    probability: Number(row.probability),
    uncertainty: Number(row.uncertainty),
    srcIp: text(row.src_ip),
    dstIp: text(row.dst_ip),
    dstPort: number(row.dst_port),
    protocol: number(row.protocol),
    application: text(row.application),
    label: text(row.label),
  };
}
