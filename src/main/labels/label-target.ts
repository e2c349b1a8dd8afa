/**
 * A labeling target (selected flow ids, a filter, a capture) compiled to one SQL condition over
 * `flows`, values as parameters. Flow ids travel as one list parameter, not one per id.
 */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { LabelTarget } from '../../shared/label-types';
import { compileFlowFilter } from '../query/compile-flow-filter';
import { integerField, requestObject } from '../query/request-checks';
import { SqlParameters } from '../query/sql-parameters';

/** Most explicit flow ids in one target (larger selections go as a filter). */
export const MAX_TARGET_FLOW_IDS = 100_000;

/**
 * A target as the backend accepts it: the API's LabelTarget, plus `sqlWhere`, a raw SQL
 * condition over the flow columns that only the local CLI may pass (never the API).
 */
export interface InternalLabelTarget extends LabelTarget {
  sqlWhere?: string;
}

export interface CompiledTarget {
  /** SQL condition over the unqualified flow columns. */
  where: string;
  params: SqlParameters;
  /** What was targeted, for the act's record (`flows: 3 selected`, `filter: dst_port = 23`). */
  description: string;
}

/** Validates and compiles `input`; at least one of its parts must be given. */
export function compileLabelTarget(input: unknown, options: { allowSql?: boolean } = {}): CompiledTarget {
  const target = requestObject<InternalLabelTarget>(input, 'label target');
  const params = new SqlParameters();
  const parts: string[] = [];
  const described: string[] = [];
  if (target.flowIds !== undefined && target.flowIds !== null) {
    const ids = flowIdList(target.flowIds);
    parts.push(`flow_id IN (SELECT unnest(CAST(${params.add(`[${ids.join(',')}]`)} AS BIGINT[])))`);
    described.push(`${ids.length} selected flow${ids.length === 1 ? '' : 's'}`);
  }
  if (target.filter !== undefined && target.filter !== null) {
    const compiled = compileFlowFilter(target.filter, params);
    parts.push(`(${compiled.where})`);
    described.push(`filter: ${describeFilter(target.filter)}`);
  }
  if (target.captureId !== undefined && target.captureId !== null) {
    const id = integerField(target.captureId, 'target.captureId', { min: 0, max: 2 ** 31 - 1 });
    parts.push(`capture_id = ${params.add(id)}`);
    described.push(`capture ${id}`);
  }
  if (target.sqlWhere !== undefined && target.sqlWhere !== null) {
    if (!options.allowSql) {
      throw new FlowlabError(
        ErrorCode.invalidArgument,
        'Expected no sqlWhere in a label target from the API',
      );
    }
    if (typeof target.sqlWhere !== 'string' || !target.sqlWhere.trim()) {
      throw new FlowlabError(ErrorCode.invalidArgument, 'Expected sqlWhere to be a non-empty SQL condition');
    }
    parts.push(`(${target.sqlWhere})`);
    described.push(`where: ${target.sqlWhere}`);
  }
  if (!parts.length) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      'Expected the label target to name flowIds, a filter or a captureId, found none',
    );
  }
  return { where: parts.join(' AND '), params, description: described.join('; ') };
}

function flowIdList(value: unknown): number[] {
  if (!Array.isArray(value) || value.length > MAX_TARGET_FLOW_IDS) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected target.flowIds to be a list of at most ${MAX_TARGET_FLOW_IDS} flow ids, found ${
        Array.isArray(value) ? `${value.length} entries` : JSON.stringify(value)?.slice(0, 60)
      }`,
    );
  }
  for (const id of value) {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
      throw new FlowlabError(
        ErrorCode.invalidArgument,
        `Expected target.flowIds to hold non-negative integers, found ${JSON.stringify(id)?.slice(0, 40)}`,
      );
    }
  }
  return value as number[];
}

function describeFilter(filter: NonNullable<LabelTarget['filter']>): string {
  const parts: string[] = [];
  if (filter.expression) parts.push(filter.expression);
  if (filter.columns && Object.keys(filter.columns).length)
    parts.push(`columns ${Object.keys(filter.columns).join(',')}`);
  if (filter.captureIds) parts.push(`captures ${filter.captureIds.join(',')}`);
  if (filter.timeRange) parts.push(`${filter.timeRange.from}..${filter.timeRange.to}`);
  if (filter.hosts)
    parts.push(`hosts ${filter.hosts.slice(0, 5).join(',')}${filter.hosts.length > 5 ? ',…' : ''}`);
  if (filter.hostPair) parts.push(`${filter.hostPair.a}<->${filter.hostPair.b}`);
  return parts.length ? parts.join(' and ') : 'all flows';
}
