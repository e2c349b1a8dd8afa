/**
 * The SELECT of an export: the filtered flows (or their packets) with the current label, the
 * derived features, labeled-only and the train/test split, as SQL over named parameters. Only
 * validated identifiers and fixed expressions enter the text; values are parameters.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { ErrorCode, FlowlabError } from '../../shared/errors';
import { DERIVED_FEATURES } from '../../shared/export-types';
import type { DerivedFeature, ExportFormat, ExportSplit, ExportTarget } from '../../shared/export-types';
import { FLOW_COLUMNS } from '../../shared/flow-schema';
import { PACKET_COLUMNS } from '../store/schema';
import { CICIDS2017_COLUMNS } from './cicids2017-layout';
import { derivedColumns } from './derived-features';

export interface ExportQueryOptions {
  /** SQL condition over `flows` and its parameters (compiled from a FlowFilter, or the CLI's --where). */
  where: string;
  params: Record<string, DuckDBValue>;
  format: ExportFormat;
  target: ExportTarget;
  columns?: readonly string[];
  labeledOnly: boolean;
  split?: ExportSplit;
  derived: readonly DerivedFeature[];
  neutralizeFormulas: boolean;
  /** False while the labels migration is absent: `label` is NULL. */
  labelsAvailable: boolean;
}

export interface ExportQuery {
  /** One SELECT per output file: the whole export, or train and test. */
  parts: { part?: 'train' | 'test'; sql: string }[];
  params: Record<string, DuckDBValue>;
  /** Column names in order (written by hand for cicids2017, whose names repeat). */
  header: string[];
}

const LABEL_COLUMNS = [
  ['label', 'VARCHAR'],
  ['label_source', 'VARCHAR'],
] as const;
/** The CICIDS2017 columns that hold text (others are numbers and never neutralised). */
const CIC_TEXT_COLUMNS = new Set(['Flow ID', ' Source IP', ' Destination IP', ' Label']);
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

export function buildExportQuery(options: ExportQueryOptions): ExportQuery {
  const params = { ...options.params };
  const labels = options.labelsAvailable
    ? 'LEFT JOIN flow_labels_current l ON l.flow_id = f.flow_id'
    : 'LEFT JOIN (SELECT NULL::BIGINT AS flow_id, NULL::VARCHAR AS label, NULL::VARCHAR AS source) l ON false';
  if (options.target === 'packets' && options.derived.length) {
    throw invalid('Derived features are flow features: export flows to add them');
  }
  if (options.format === 'cicids2017' && (options.target === 'packets' || options.columns?.length || options.derived.length)) {
    throw invalid('The CICIDS2017 layout has fixed flow columns: no --columns, derived features or packet export');
  }
  const derived = [...new Set(options.derived)].flatMap((feature) => {
    if (!DERIVED_FEATURES.some((entry) => entry.id === feature)) throw invalid(`Unknown derived feature ${JSON.stringify(feature)}`);
    return derivedColumns(feature);
  });
  // 1. The filtered flows with their label and derived features (window functions see all of them).
  const flows = `SELECT f.*, l.label AS label, l.source AS label_source FROM (SELECT * FROM flows WHERE (${options.where})) f ${labels}`;
  const withDerived = `SELECT *${derived.map(([name, sql]) => `, ${sql} AS ${q(name)}`).join('')} FROM flows_joined`;
  const kept = `SELECT * FROM flows_labeled${options.labeledOnly ? ' WHERE label IS NOT NULL' : ''}`;
  const split = options.split ? splitSql(options.split, params) : "SELECT *, NULL AS export_split FROM kept";
  const ctes = `WITH flows_joined AS (${flows}), flows_labeled AS (${withDerived}), kept AS (${kept}), assigned AS (${split})`;

  let header: string[];
  let select: string;
  let from: string;
  let order: string;
  if (options.format === 'cicids2017') {
    header = CICIDS2017_COLUMNS.map((column) => column.name);
    select = CICIDS2017_COLUMNS.map((column, index) => `${neutral(column.sql, CIC_TEXT_COLUMNS.has(column.name), options)} AS c${index}`).join(', ');
    from = 'assigned';
    order = 'flow_id';
  } else if (options.target === 'packets') {
    const names = chooseColumns(options.columns, [...PACKET_COLUMNS, ...LABEL_COLUMNS]);
    header = names.map(([name]) => name);
    select = names.map(([name, type]) => `${neutral(name === 'label' || name === 'label_source' ? `a.${name}` : `p.${name}`, type === 'VARCHAR', options)} AS ${q(name)}`).join(', ');
    from = 'packets p JOIN assigned a ON a.flow_id = p.flow_id';
    order = 'p.capture_id, p.packet_number';
  } else {
    const base = chooseColumns(options.columns, [...FLOW_COLUMNS.map((column) => [column.name, column.type] as const), ...LABEL_COLUMNS]);
    const names = [...base, ...derived.map(([name]) => [name, 'DOUBLE'] as const)];
    header = names.map(([name]) => name);
    select = names.map(([name, type]) => `${neutral(q(name), type === 'VARCHAR', options)} AS ${q(name)}`).join(', ');
    from = 'assigned';
    order = 'flow_id';
  }
  const partColumn = options.target === 'packets' ? 'a.export_split' : 'export_split';
  const parts = options.split
    ? (['train', 'test'] as const).map((part) => ({ part, sql: `${ctes} SELECT ${select} FROM ${from} WHERE ${partColumn} = '${part}' ORDER BY ${order}` }))
    : [{ sql: `${ctes} SELECT ${select} FROM ${from} ORDER BY ${order}` }];
  return { parts, params, header };
}

/**
 * Deterministic split (md5 is the same everywhere, unlike DuckDB's hash()): by class, the
 * first round(n × fraction) rows of each class in md5('<seed>:<flow_id>') order; by capture,
 * whole captures, ranked the same way within the group of captures sharing a majority class.
 */
function splitSql(split: ExportSplit, params: Record<string, DuckDBValue>): string {
  params.export_seed = String(split.seed);
  params.export_fraction = split.trainFraction;
  const rank = (key: string) => `md5($export_seed || ':' || ${key})`;
  if ((split.by ?? 'class') === 'class') {
    return `SELECT *, CASE WHEN row_number() OVER (PARTITION BY label ORDER BY ${rank('flow_id')}) <= round(count(*) OVER (PARTITION BY label) * $export_fraction) THEN 'train' ELSE 'test' END AS export_split FROM kept`;
  }
  return `SELECT kept.*, s.export_split FROM kept JOIN (
      SELECT capture_id, CASE WHEN row_number() OVER (PARTITION BY majority ORDER BY ${rank('capture_id')}) <= round(count(*) OVER (PARTITION BY majority) * $export_fraction) THEN 'train' ELSE 'test' END AS export_split
      FROM (SELECT capture_id, mode(label) AS majority FROM kept GROUP BY capture_id)
    ) s USING (capture_id)`;
}

function chooseColumns<T extends readonly [string, string]>(wanted: readonly string[] | undefined, available: readonly T[]): T[] {
  if (!wanted?.length) return [...available];
  const byName = new Map(available.map((entry) => [entry[0], entry]));
  return wanted.map((name) => {
    const entry = byName.get(name);
    if (!entry) throw invalid(`Unknown column ${JSON.stringify(name)}; expected one of ${available.map(([n]) => n).slice(0, 8).join(', ')}, ...`);
    return entry;
  });
}

/** CSV formula neutralisation (OWASP CSV injection): a text cell starting with = + - @ tab or CR gets a leading '. */
function neutral(expression: string, isText: boolean, options: ExportQueryOptions): string {
  if (!isText || !options.neutralizeFormulas || options.format === 'parquet') return expression;
  return `(CASE WHEN regexp_matches(${expression}, '^[=+\\-@\\t\\r]') THEN '''' || ${expression} ELSE ${expression} END)`;
}

function invalid(message: string): FlowlabError {
  return new FlowlabError(ErrorCode.invalidArgument, message);
}
