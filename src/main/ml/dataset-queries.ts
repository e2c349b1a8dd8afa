/** Imported labeled flow sets (ml_datasets / ml_imported_flows). */
import type { DatasetInfo } from '../../shared/ml-types';
import type { CaseStore } from '../store/case-store';

const SELECT =
  'SELECT id, name, path, rows, features, class_counts, non_finite, warnings, imported_at FROM ml_datasets';

export async function listDatasets(store: CaseStore): Promise<DatasetInfo[]> {
  return (await store.rows(`${SELECT} ORDER BY id`)).map(toDatasetInfo);
}

export async function getDataset(store: CaseStore, id: number): Promise<DatasetInfo | undefined> {
  const rows = await store.rows(`${SELECT} WHERE id = $id`, { id });
  return rows.length ? toDatasetInfo(rows[0]!) : undefined;
}

/** Feature names present (non-NULL somewhere) in each dataset. */
export async function datasetFeatures(
  store: CaseStore,
  ids: readonly number[],
): Promise<Map<number, string[]>> {
  const rows = await store.rows('SELECT id, features FROM ml_datasets');
  const wanted = new Set(ids);
  return new Map(
    rows
      .filter((row) => wanted.has(Number(row.id)))
      .map((row) => [Number(row.id), JSON.parse(String(row.features)) as string[]]),
  );
}

export async function deleteDataset(store: CaseStore, id: number): Promise<void> {
  await store.run('DELETE FROM ml_imported_flows WHERE dataset_id = $id', { id });
  await store.run('DELETE FROM ml_datasets WHERE id = $id', { id });
}

function toDatasetInfo(row: Record<string, unknown>): DatasetInfo {
  return {
    id: Number(row.id),
    name: String(row.name),
    path: String(row.path),
    rows: Number(row.rows),
    classCounts: JSON.parse(String(row.class_counts)) as Record<string, number>,
    nonFinite: JSON.parse(String(row.non_finite)) as Record<string, number>,
    warnings: JSON.parse(String(row.warnings)) as string[],
    importedAt: String(row.imported_at),
  };
}
