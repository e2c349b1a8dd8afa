/**
 * Exports flows (or their packets) to CSV, Parquet or the CICIDS2017 layout: one entry point
 * for the API (a validated FlowFilter) and the CLI (a local --where condition).
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { DerivedFeature, ExportedFile, ExportFormat, ExportSplit, ExportTarget } from '../../shared/export-types';
import type { CaseStore } from '../store/case-store';
import { buildExportQuery } from './export-query';
import { runExport } from './run-export';

export interface ExportFlowsOptions {
  format: ExportFormat;
  target?: ExportTarget;
  /** SQL condition over `flows` (default: all flows) and its parameters. */
  where?: string;
  params?: Record<string, DuckDBValue>;
  columns?: readonly string[];
  labeledOnly?: boolean;
  split?: ExportSplit;
  derived?: readonly DerivedFeature[];
  /** Default true (CSV and CICIDS2017 only). */
  neutralizeFormulas?: boolean;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/** The output format a file name asks for: `.parquet` → parquet, else CSV. */
export function formatForPath(outPath: string): ExportFormat {
  return /\.parquet$/i.test(outPath) ? 'parquet' : 'csv';
}

export async function exportFlows(store: CaseStore, outPath: string, options: ExportFlowsOptions): Promise<ExportedFile[]> {
  if (options.split) {
    const { trainFraction, seed } = options.split;
    if (!(trainFraction > 0 && trainFraction < 1)) throw invalid(`Expected the train fraction to be between 0 and 1, found ${trainFraction}`);
    if (!Number.isSafeInteger(seed)) throw invalid(`Expected the seed to be an integer, found ${seed}`);
  }
  if (options.format === 'parquet' && !/\.parquet$/i.test(outPath)) throw invalid(`Expected a .parquet file name for Parquet, found ${outPath}`);
  if (options.format !== 'parquet' && /\.parquet$/i.test(outPath)) throw invalid(`A .parquet file name needs the parquet format, not ${options.format}`);
  const labelsAvailable = await hasLabelsView(store);
  if (options.labeledOnly && !labelsAvailable) throw invalid('This case has no labels yet');
  const query = buildExportQuery({
    where: options.where?.trim() ? options.where : 'TRUE',
    params: options.params ?? {},
    format: options.format,
    target: options.target ?? 'flows',
    ...(options.columns ? { columns: options.columns } : {}),
    labeledOnly: options.labeledOnly ?? false,
    ...(options.split ? { split: options.split } : {}),
    derived: options.derived ?? [],
    neutralizeFormulas: options.neutralizeFormulas ?? true,
    labelsAvailable,
  });
  return runExport(store, query, outPath, {
    fileFormat: options.format === 'parquet' ? 'parquet' : 'csv',
    handWrittenHeader: options.format === 'cicids2017',
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

/** True once the labels migration has created `flow_labels_current`. */
async function hasLabelsView(store: CaseStore): Promise<boolean> {
  const rows = await store.rows("SELECT count(*) AS n FROM duckdb_views() WHERE view_name = 'flow_labels_current' AND NOT internal");
  return Number(rows[0]?.n ?? 0) > 0;
}

function invalid(message: string): FlowlabError {
  return new FlowlabError(ErrorCode.invalidArgument, message);
}
