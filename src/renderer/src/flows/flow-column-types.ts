/** Grid column name → SQL type, for the grid-model mapping: flow columns and the derived ones. */
import { DERIVED_COLUMNS } from '../../../shared/derived-columns';
import { FLOW_COLUMNS } from '../../../shared/flow-schema';
import type { FlowColumnType } from '../../../shared/flow-schema';

export const FLOW_COLUMN_TYPES: ReadonlyMap<string, FlowColumnType> = new Map(
  [...FLOW_COLUMNS, ...DERIVED_COLUMNS].map((column) => [column.name, column.type]),
);
