/** Trained models in the case (ml_models): summary columns as JSON, the model as a BLOB. */
import { blobValue, DuckDBBlobValue } from '@duckdb/node-api';
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { ModelKind, ModelSummary, TrainingSource } from '../../shared/ml-types';
import type { CaseStore } from '../store/case-store';

const SUMMARY =
  'SELECT id, name, kind, source, created_at, features, classes, training, metrics, importance FROM ml_models';

export async function saveModel(
  store: CaseStore,
  summary: Omit<ModelSummary, 'id' | 'createdAt'>,
  bytes: Uint8Array,
): Promise<ModelSummary> {
  const next = await store.rows('SELECT coalesce(max(id), 0) + 1 AS id FROM ml_models');
  const id = Number(next[0]!.id);
  await store.run(
    `INSERT INTO ml_models VALUES ($id, $name, $kind, $source, now(), $features, $classes, $training, $metrics, $importance, $model)`,
    {
      id,
      name: summary.name,
      kind: summary.kind,
      source: summary.source,
      features: JSON.stringify(summary.features),
      classes: JSON.stringify(summary.classes),
      training: JSON.stringify(summary.training),
      metrics: JSON.stringify(summary.metrics),
      importance: JSON.stringify(summary.importance),
      model: blobValue(bytes),
    },
  );
  return (await getModel(store, id))!;
}

export async function listModels(store: CaseStore): Promise<ModelSummary[]> {
  return (await store.rows(`${SUMMARY} ORDER BY id`)).map(toSummary);
}

export async function getModel(store: CaseStore, id: number): Promise<ModelSummary | undefined> {
  const rows = await store.rows(`${SUMMARY} WHERE id = $id`, { id });
  return rows.length ? toSummary(rows[0]!) : undefined;
}

/** The model's summary and encoded bytes; throws when there is no such model. */
export async function loadModel(
  store: CaseStore,
  id: number,
): Promise<{ summary: ModelSummary; bytes: Uint8Array }> {
  const summary = await getModel(store, id);
  if (!summary) throw new FlowlabError(ErrorCode.invalidArgument, `No model ${id} in this case`);
  const reader = await store.connection.runAndReadAll('SELECT model FROM ml_models WHERE id = $id', { id });
  const value = reader.getRows()[0]![0];
  if (!(value instanceof DuckDBBlobValue))
    throw new FlowlabError(ErrorCode.caseUnusable, `Model ${id} has no stored model bytes`);
  return { summary, bytes: value.bytes };
}

export async function deleteModel(store: CaseStore, id: number): Promise<void> {
  await store.run('DELETE FROM ml_predictions WHERE model_id = $id', { id });
  await store.run('DELETE FROM ml_models WHERE id = $id', { id });
}

function toSummary(row: Record<string, unknown>): ModelSummary {
  return {
    id: Number(row.id),
    name: String(row.name),
    kind: String(row.kind) as ModelKind,
    source: String(row.source) as TrainingSource,
    createdAt: String(row.created_at),
    features: JSON.parse(String(row.features)) as string[],
    classes: JSON.parse(String(row.classes)) as string[],
    training: JSON.parse(String(row.training)) as ModelSummary['training'],
    metrics: JSON.parse(String(row.metrics)) as ModelSummary['metrics'],
    importance: JSON.parse(String(row.importance)) as ModelSummary['importance'],
  };
}
