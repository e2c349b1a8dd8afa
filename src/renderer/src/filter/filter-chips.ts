/** The active filter as chips (label + the key that removes it), pure. */
import type { ColumnFilter, FlowFilter } from '../../../shared/query-types';
import { formatTimestamp } from '../format/format-values';
import type { ChipKey } from './filter-model';

export interface FilterChip {
  key: ChipKey;
  /** Short text for the chip; attacker-controlled values are shown as React text only. */
  label: string;
  /** What kind of selection produced it, for the tooltip. */
  title: string;
}

/** More hosts than this show as one chip. */
const MAX_HOST_CHIPS = 3;

const NUMBER_OPS: Record<Exclude<Extract<ColumnFilter, { kind: 'number' }>['op'], 'between'>, string> = {
  eq: '=',
  ne: '≠',
  lt: '<',
  le: '≤',
  gt: '>',
  ge: '≥',
};

const TEXT_OPS: Record<Extract<ColumnFilter, { kind: 'text' }>['op'], string> = {
  contains: 'contains',
  notContains: 'does not contain',
  equals: '=',
  notEqual: '≠',
  startsWith: 'starts with',
  endsWith: 'ends with',
};

/** Renders a column filter value; `describeValue` lets timestamps show as dates. */
export function describeColumnFilter(column: string, filter: ColumnFilter, describeValue: (value: number) => string = String): string {
  switch (filter.kind) {
    case 'number':
      if (filter.op === 'between') return `${column} in [${describeValue(filter.value)}, ${describeValue(filter.valueTo ?? filter.value)}]`;
      return `${column} ${NUMBER_OPS[filter.op]} ${describeValue(filter.value)}`;
    case 'text':
      return `${column} ${TEXT_OPS[filter.op]} "${filter.value}"`;
    case 'blank':
      return `${column} is ${filter.blank ? 'empty' : 'not empty'}`;
  }
}

export function filterChips(filter: FlowFilter, timestampColumns: ReadonlySet<string> = new Set()): FilterChip[] {
  const chips: FilterChip[] = [];
  if (filter.expression) chips.push({ key: { part: 'expression' }, label: filter.expression, title: 'Quick filter expression' });
  for (const [column, columnFilter] of Object.entries(filter.columns ?? {})) {
    const describe = timestampColumns.has(column) ? (value: number) => formatTimestamp(value) : String;
    chips.push({ key: { part: 'column', column }, label: describeColumnFilter(column, columnFilter, describe), title: 'Column filter' });
  }
  if (filter.timeRange) {
    chips.push({
      key: { part: 'timeRange' },
      label: `time ${formatTimestamp(filter.timeRange.from)} → ${formatTimestamp(filter.timeRange.to)}`,
      title: 'First seen in this range (from the traffic chart brush)',
    });
  }
  const hosts = filter.hosts ?? [];
  if (hosts.length > MAX_HOST_CHIPS) {
    // Many hosts (a country on the world map): one chip, the addresses in its tooltip.
    const shown = hosts.slice(0, 20).join(', ');
    chips.push({ key: { part: 'hosts' }, label: `${hosts.length} hosts`, title: `Flows from or to these hosts: ${shown}${hosts.length > 20 ? ', …' : ''}` });
  } else for (const host of hosts) chips.push({ key: { part: 'host', host }, label: `host ${host}`, title: 'Flows from or to this host' });
  if (filter.hostPair) {
    chips.push({ key: { part: 'hostPair' }, label: `${filter.hostPair.a} ↔ ${filter.hostPair.b}`, title: 'Flows between these two hosts' });
  }
  if (filter.captureIds?.length) {
    chips.push({ key: { part: 'captures' }, label: `capture ${filter.captureIds.join(', ')}`, title: 'Flows of these captures' });
  }
  if (filter.prediction) {
    const { modelId, classes, minProbability } = filter.prediction;
    const which = classes?.length ? ` = ${classes.join(', ')}` : '';
    const probability = minProbability ? ` (p ≥ ${minProbability})` : '';
    chips.push({ key: { part: 'prediction' }, label: `model #${modelId}${which}${probability}`, title: 'Flows this model predicted' });
  }
  return chips;
}
