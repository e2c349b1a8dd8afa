/**
 * The syntax tree of a quick-filter expression. Columns are validated flow column names;
 * values are typed literals checked against their column's type. Positions are 0-based
 * character offsets into the expression (for error messages and underlining).
 */
import type { FlowColumnType } from '../flow-schema';

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type TextOperator = 'contains' | 'startswith' | 'endswith';

/** A literal as written. `number` holds a finite number; the others hold text. */
export type FilterValue =
  | { kind: 'number'; value: number; text: string; position: number }
  /** Quoted string, or a bare word such as `SF` or `idle-timeout`. */
  | { kind: 'string'; value: string; text: string; position: number }
  /** An IP address, in canonical text (RFC 5952 for IPv6). */
  | { kind: 'ip'; value: string; text: string; position: number }
  /** A CIDR range such as 10.0.0.0/8 (only against src_ip/dst_ip). */
  | { kind: 'cidr'; value: string; text: string; position: number }
  /** A timestamp, as microseconds since the epoch (only against TIMESTAMP columns). */
  | { kind: 'timestamp'; value: number; text: string; position: number };

export interface ColumnRef {
  name: string;
  type: FlowColumnType;
  position: number;
}

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode; position: number }
  | { kind: 'not'; operand: FilterNode; position: number }
  | { kind: 'compare'; column: ColumnRef; operator: ComparisonOperator; value: FilterValue; position: number }
  | { kind: 'in'; column: ColumnRef; values: FilterValue[]; negated: boolean; position: number }
  | { kind: 'text'; column: ColumnRef; operator: TextOperator; value: FilterValue; negated: boolean; position: number }
  | { kind: 'null'; column: ColumnRef; negated: boolean; position: number };

/** Columns holding IP addresses: values are normalised and CIDR ranges are allowed. */
export const IP_COLUMNS: readonly string[] = ['src_ip', 'dst_ip'];
