/**
 * Compiles a parsed quick-filter tree to a SQL condition: column identifiers come from the
 * validated tree (flow columns only), every value becomes a parameter placeholder.
 *
 * Semantics: `=` never matches NULL; `!=` and `not` do (a flow without an application is
 * "not TLS"); `contains`, `startswith` and `endswith` ignore case.
 */
import type { FilterNode, FilterValue } from '../../shared/filter/filter-ast';
import { columnSql } from './sql-parameters';
import type { SqlParameters } from './sql-parameters';
import { cidrMatchSql } from './cidr-sql';
import { isDerivedColumn } from '../../shared/derived-columns';
import { derivedCondition } from './derived-sql';
import type { DerivedContext } from './derived-sql';

/** SQL for `node`; values are added to `params`. */
export function compileFilterNode(node: FilterNode, params: SqlParameters, context: DerivedContext = {}): string {
  switch (node.kind) {
    case 'and':
    case 'or': {
      // Flatten chains so long `a and b and c ...` stays shallow for DuckDB's expression depth limit.
      const terms: FilterNode[] = [];
      collectChain(node, node.kind, terms);
      return `(${terms.map((term) => compileFilterNode(term, params, context)).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'not':
      return `(NOT coalesce(${compileFilterNode(node.operand, params, context)}, false))`;
    default:
      if (isDerivedColumn(node.column.name)) {
        return derivedCondition(node.column.name, context, params, (column) => compileLeaf(node, params, column), leafMatchesNull(node));
      }
      return compileLeaf(node, params, columnSql(node.column.name));
  }
}

/** Whether a leaf predicate holds when its column is NULL (see the semantics above). */
function leafMatchesNull(node: LeafNode): boolean {
  switch (node.kind) {
    case 'null':
      return !node.negated;
    case 'compare':
      return node.operator === '!=' && node.value.kind !== 'cidr';
    default:
      return node.negated;
  }
}

type LeafNode = Exclude<FilterNode, { kind: 'and' | 'or' | 'not' }>;

/** SQL for a leaf predicate over `column` (a validated column expression). */
function compileLeaf(node: LeafNode, params: SqlParameters, column: string): string {
  switch (node.kind) {
    case 'null':
      return `(${column} IS ${node.negated ? 'NOT ' : ''}NULL)`;
    case 'compare': {
      if (node.value.kind === 'cidr') {
        const match = cidrMatchSql(column, node.value.value, params);
        return node.operator === '!=' ? `(NOT ${match})` : match;
      }
      const value = valueSql(node.value, params);
      if (node.operator === '!=') return `(${column} IS DISTINCT FROM ${value})`;
      return `(${column} ${node.operator} ${value})`;
    }
    case 'in': {
      const parts: string[] = [];
      const scalars = node.values.filter((value) => value.kind !== 'cidr');
      if (scalars.length)
        parts.push(`${column} IN (${scalars.map((value) => valueSql(value, params)).join(', ')})`);
      for (const value of node.values)
        if (value.kind === 'cidr') parts.push(cidrMatchSql(column, value.value, params));
      const match = `coalesce(${parts.join(' OR ')}, false)`;
      return node.negated ? `(NOT ${match})` : `(${match})`;
    }
    case 'text': {
      const fn =
        node.operator === 'contains'
          ? 'contains'
          : node.operator === 'startswith'
            ? 'starts_with'
            : 'ends_with';
      const match = `coalesce(${fn}(lower(${column}), lower(${params.add(String(node.value.value))})), false)`;
      return node.negated ? `(NOT ${match})` : `(${match})`;
    }
  }
}

function collectChain(node: FilterNode, kind: 'and' | 'or', into: FilterNode[]): void {
  // Iterative on the left spine (chains are left-deep), recursive only on the short right side.
  const stack: FilterNode[] = [node];
  while (stack.length) {
    const current = stack.pop()!;
    if (current.kind === kind) stack.push(current.right, current.left);
    else into.push(current);
  }
}

/** The parameter placeholder of a scalar value, cast to the column's domain where needed. */
function valueSql(value: FilterValue, params: SqlParameters): string {
  switch (value.kind) {
    case 'number':
      return params.add(value.value);
    case 'timestamp':
      return `make_timestamp(CAST(${params.add(value.value)} AS BIGINT))`;
    case 'cidr':
      throw new Error('CIDR ranges are compiled by cidrMatchSql');
    default:
      return params.add(value.value);
  }
}
