/** Flow column name → SQL type, for the grid-model mapping. */
import { FLOW_COLUMNS } from '../../../shared/flow-schema';
import type { FlowColumnType } from '../../../shared/flow-schema';

export const FLOW_COLUMN_TYPES: ReadonlyMap<string, FlowColumnType> = new Map(FLOW_COLUMNS.map((column) => [column.name, column.type]));
