/**
 * Training rows: imported CICIDS2017 rows (features under their CICFlowMeter names) or captured
 * flows with a current label from `flow_labels_current` (features = flow columns). Default
 * features are numeric and never identifiers (addresses, ids, times; ports only when asked).
 */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import { FLOW_COLUMNS } from '../../shared/flow-schema';
import type { TrainingSource } from '../../shared/ml-types';
import type { CaseStore } from '../store/case-store';
import { CIC_FEATURES } from './cic-features';
import { datasetFeatures } from './dataset-queries';
import { readMatrix } from './feature-matrix';

export interface TrainingData {
  x: Float64Array;
  rows: number;
  features: string[];
  labels: Uint8Array;
  classes: string[];
  /** Dataset or capture id per row. */
  groups: Int32Array;
  datasetIds: number[];
  captureIds: number[];
}

export interface TrainingSelection {
  source: TrainingSource;
  datasetIds?: number[];
  captureIds?: number[];
  features?: string[];
  includePorts?: boolean;
}

/** Flow columns that identify rather than describe a flow. */
const FLOW_IDENTIFIERS = new Set([
  'flow_id',
  'capture_id',
  'vlan_id',
  'src_port',
  'dst_port',
  'first_seen',
  'last_seen',
]);

/** Numeric flow columns usable as features (dst_port only with includePorts). */
export function flowFeatureNames(includePorts = false): string[] {
  return FLOW_COLUMNS.filter(
    (column) =>
      column.type !== 'VARCHAR' &&
      column.type !== 'TIMESTAMP' &&
      (!FLOW_IDENTIFIERS.has(column.name) || (includePorts && column.name === 'dst_port')),
  ).map((column) => column.name);
}

export async function loadTrainingData(
  store: CaseStore,
  selection: TrainingSelection,
): Promise<TrainingData> {
  return selection.source === 'imported' ? loadImported(store, selection) : loadCaptured(store, selection);
}

async function loadImported(store: CaseStore, selection: TrainingSelection): Promise<TrainingData> {
  const all = (await store.rows('SELECT id FROM ml_datasets ORDER BY id')).map((row) => Number(row.id));
  const datasetIds = selection.datasetIds?.length ? selection.datasetIds : all;
  const missing = datasetIds.filter((id) => !all.includes(id));
  if (!datasetIds.length)
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      'No imported datasets in this case: run `flowlab import` first',
    );
  if (missing.length)
    throw new FlowlabError(ErrorCode.invalidArgument, `Unknown dataset ids: ${missing.join(', ')}`);
  const present = await datasetFeatures(store, datasetIds);
  let features: string[];
  if (selection.features?.length) {
    const known = new Set(CIC_FEATURES.map((feature) => feature.name));
    const unknown = selection.features.filter((name) => !known.has(name));
    if (unknown.length)
      throw new FlowlabError(
        ErrorCode.invalidArgument,
        `Unknown imported features: ${unknown.join(', ')} (names as in ml_imported_flows, e.g. flow_duration)`,
      );
    features = selection.features;
  } else {
    // In every chosen dataset, computable from captured flows (so the model applies to captures),
    // and no identifiers unless asked.
    features = CIC_FEATURES.filter(
      (feature) =>
        feature.flowSql !== undefined &&
        (!feature.identifier || selection.includePorts) &&
        [...present.values()].every((names) => names.includes(feature.name)),
    ).map((feature) => feature.name);
  }
  const placeholders = datasetIds.map((_, i) => `$d${i}`).join(', ');
  const params = Object.fromEntries(datasetIds.map((id, i) => [`d${i}`, id]));
  const matrix = await readMatrix(
    store,
    `SELECT dataset_id, label, ${features.map((name) => `CAST("${name}" AS DOUBLE)`).join(', ')}
     FROM ml_imported_flows WHERE label IS NOT NULL AND dataset_id IN (${placeholders}) ORDER BY dataset_id, row_number`,
    params,
    2,
  );
  return finish(matrix, features, { datasetIds, captureIds: [] });
}

async function loadCaptured(store: CaseStore, selection: TrainingSelection): Promise<TrainingData> {
  const view = await store.rows(
    "SELECT count(*) AS n FROM duckdb_views() WHERE view_name = 'flow_labels_current' AND NOT internal",
  );
  if (!Number(view[0]!.n)) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      'This case has no flow labels yet (flow_labels_current is missing): label flows first, or train on imported datasets',
    );
  }
  const allowed = flowFeatureNames(true);
  const features = selection.features?.length ? selection.features : flowFeatureNames(selection.includePorts);
  const unknown = features.filter((name) => !allowed.includes(name));
  if (unknown.length)
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Unknown or non-numeric flow features: ${unknown.join(', ')}`,
    );
  const captureIds = selection.captureIds ?? [];
  const params = Object.fromEntries(captureIds.map((id, i) => [`c${i}`, id]));
  const where = captureIds.length
    ? `AND f.capture_id IN (${captureIds.map((_, i) => `$c${i}`).join(', ')})`
    : '';
  const matrix = await readMatrix(
    store,
    `SELECT f.capture_id, l.label, ${features.map((name) => `CAST(f."${name}" AS DOUBLE)`).join(', ')}
     FROM flows f JOIN flow_labels_current l ON l.flow_id = f.flow_id
     WHERE l.label IS NOT NULL ${where} ORDER BY f.flow_id`,
    params,
    2,
  );
  const used = [...new Set(matrix.keys[0]!.map(Number))].sort((a, b) => a - b);
  return finish(matrix, features, { datasetIds: [], captureIds: used });
}

function finish(
  matrix: { rows: number; x: Float64Array; keys: unknown[][] },
  features: string[],
  ids: { datasetIds: number[]; captureIds: number[] },
): TrainingData {
  if (matrix.rows === 0) throw new FlowlabError(ErrorCode.invalidArgument, 'No labeled rows to train on');
  const labelText = matrix.keys[1]!.map(String);
  const classes = [...new Set(labelText)].sort();
  if (classes.length < 2)
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected at least two classes to train on, found ${classes.join(', ')}`,
    );
  if (classes.length > 255)
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected at most 255 classes, found ${classes.length}`,
    );
  const index = new Map(classes.map((name, i) => [name, i]));
  return {
    x: matrix.x,
    rows: matrix.rows,
    features,
    labels: Uint8Array.from(labelText, (label) => index.get(label)!),
    classes,
    groups: Int32Array.from(matrix.keys[0]!, (value) => Number(value)),
    ...ids,
  };
}
