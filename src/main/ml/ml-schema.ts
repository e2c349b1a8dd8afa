/**
 * Classifier tables (one migration, appended to MIGRATIONS in store/schema.ts).
 *
 * - `ml_datasets`: one row per imported CICFlowMeter/CICIDS2017 CSV file.
 * - `ml_imported_flows`: its rows, kept apart from captured flows: identifiers as text, the label
 *   as written in the file, and every CICFlowMeter feature under its canonical name
 *   (cic-features.ts) as DOUBLE (`Infinity`/`NaN` cells are NULL, counted in ml_datasets).
 * - `ml_models`: trained models with their features, training set, metrics and the encoded
 *   model (shared/ml/model-codec.ts) as a BLOB.
 * - `ml_predictions`: a model applied to a capture: predicted class and probability per flow.
 */
import { CIC_FEATURES } from './cic-features';

export const ML_MIGRATION = `
CREATE TABLE IF NOT EXISTS ml_datasets (
  id INTEGER PRIMARY KEY,
  name VARCHAR NOT NULL,
  path VARCHAR NOT NULL,
  rows BIGINT NOT NULL,
  layout VARCHAR,
  features VARCHAR NOT NULL,
  class_counts VARCHAR NOT NULL,
  non_finite VARCHAR NOT NULL,
  warnings VARCHAR NOT NULL,
  imported_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS ml_imported_flows (
  dataset_id INTEGER NOT NULL,
  row_number BIGINT NOT NULL,
  label VARCHAR,
  src_ip VARCHAR,
  src_port INTEGER,
  dst_ip VARCHAR,
  flow_timestamp VARCHAR,
  ${CIC_FEATURES.map((feature) => `${feature.name} DOUBLE`).join(',\n  ')}
);
CREATE TABLE IF NOT EXISTS ml_models (
  id INTEGER PRIMARY KEY,
  name VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL,
  features VARCHAR NOT NULL,
  classes VARCHAR NOT NULL,
  training VARCHAR NOT NULL,
  metrics VARCHAR NOT NULL,
  importance VARCHAR NOT NULL,
  model BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS ml_predictions (
  model_id INTEGER NOT NULL,
  capture_id INTEGER NOT NULL,
  flow_id BIGINT NOT NULL,
  predicted_class VARCHAR NOT NULL,
  probability DOUBLE NOT NULL,
  uncertainty DOUBLE NOT NULL
);
`;
