/**
 * Grid columns that are not stored in `flows` but joined to it by flow_id: the flow's current
 * label class (flow_labels_current) and a model's prediction (ml_predictions). The quick filter,
 * per-column filters and sorting accept them like flow columns; the backend joins their table
 * only when a request names them, so queries without them cost nothing more.
 */
import type { FlowColumn } from './flow-schema';

export const DERIVED_COLUMNS: readonly FlowColumn[] = [
  { name: 'label', type: 'VARCHAR', description: 'Current label class of the flow (NULL when unlabeled)' },
  {
    name: 'predicted_class',
    type: 'VARCHAR',
    description: "Class predicted by the chosen model (FlowFilter.predictionModel; default: the newest model with predictions)",
  },
  {
    name: 'predicted_probability',
    type: 'DOUBLE',
    description: 'Probability the chosen model gives its predicted class (0..1)',
  },
];

export const DERIVED_COLUMN_NAMES: readonly string[] = DERIVED_COLUMNS.map((column) => column.name);

/** True for a derived (joined) column name. */
export function isDerivedColumn(name: string): boolean {
  return DERIVED_COLUMN_NAMES.includes(name);
}
