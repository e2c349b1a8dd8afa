/**
 * The Export dialog's form as plain data, and the requests it becomes (no DOM, unit-tested):
 * flows/packets to CSV, Parquet or the CICIDS2017 layout, or the flows' packets carved to pcap.
 */
import type { CarveRequest, DerivedFeature, ExportFormat, ExportRequest, ExportProgress } from '../../../shared/export-types';
import type { FlowFilter } from '../../../shared/query-types';

export type ExportKind = 'flows' | 'packets' | 'carve';

export interface ExportForm {
  kind: ExportKind;
  format: ExportFormat;
  carveFormat: 'pcap' | 'pcapng';
  /** .pcap carve: microsecond timestamps (classic magic) instead of nanoseconds. */
  carveMicroseconds: boolean;
  /** File name without extension. */
  baseName: string;
  /** Comma-separated columns; empty = all. */
  columns: string;
  labeledOnly: boolean;
  split: boolean;
  trainPercent: number;
  seed: number;
  splitBy: 'class' | 'capture';
  derived: DerivedFeature[];
  neutralizeFormulas: boolean;
}

export function defaultExportForm(now = new Date()): ExportForm {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return {
    kind: 'flows',
    format: 'csv',
    carveFormat: 'pcapng',
    carveMicroseconds: false,
    baseName: `flows-${stamp}`,
    columns: '',
    labeledOnly: false,
    split: false,
    trainPercent: 80,
    seed: 1,
    splitBy: 'class',
    derived: [],
    neutralizeFormulas: true,
  };
}

/** The file name the form writes (the server adds .train/.test for a split). */
export function exportFileName(form: ExportForm): string {
  const extension = form.kind === 'carve' ? form.carveFormat : form.format === 'parquet' ? 'parquet' : 'csv';
  return `${form.baseName.trim()}.${extension}`;
}

/** What is wrong with the form, or undefined when it can be sent. */
export function formProblem(form: ExportForm): string | undefined {
  if (!/^[\w][\w .()+-]*$/.test(form.baseName.trim()) || form.baseName.includes('..')) return 'File name: letters, digits, space, . _ - only';
  if (form.kind !== 'carve' && form.split) {
    if (!(form.trainPercent > 0 && form.trainPercent < 100)) return 'Train share must be between 1 and 99 %';
    if (!Number.isSafeInteger(form.seed)) return 'Seed must be an integer';
  }
  if (form.kind === 'packets' && form.format === 'cicids2017') return 'The CICIDS2017 layout is for flows';
  return undefined;
}

export function exportRequest(form: ExportForm, filter: FlowFilter): ExportRequest {
  const columns = form.columns.split(',').map((name) => name.trim()).filter(Boolean);
  const flowsOnly = form.kind === 'flows' && form.format !== 'cicids2017';
  return {
    fileName: exportFileName(form),
    format: form.format,
    target: form.kind === 'packets' ? 'packets' : 'flows',
    filter,
    ...(columns.length && form.format !== 'cicids2017' ? { columns } : {}),
    labeledOnly: form.labeledOnly,
    ...(form.split ? { split: { trainFraction: form.trainPercent / 100, seed: form.seed, by: form.splitBy } } : {}),
    ...(flowsOnly && form.derived.length ? { derived: form.derived } : {}),
    neutralizeFormulas: form.neutralizeFormulas,
  };
}

/** Which flows the carve action writes: the grid's selected rows, the open flow, or the filter's flows. */
export type CarveScope = 'selected' | 'open' | 'filter';

/** The scopes the dialog offers, the default first: the selection when rows are selected. */
export function carveScopes(selectedCount: number, openFlowId: number | undefined): CarveScope[] {
  return [...(selectedCount > 0 ? ['selected' as const] : []), 'filter', ...(openFlowId !== undefined ? ['open' as const] : [])];
}

/** What the carve writes, said in the dialog. */
export function carveScopeText(scope: CarveScope, selectedCount: number, filter: FlowFilter, openFlowId?: number): string {
  if (scope === 'selected') return `The ${selectedCount} selected flow${selectedCount === 1 ? '' : 's'}`;
  if (scope === 'open') return `The open flow (${openFlowId ?? '?'})`;
  return `Every flow of the current filter${filter.expression ? `: ${filter.expression}` : ' (all flows)'}`;
}

/** The carve request of a scope: exactly the selected (or open) flows, or the current filter. */
export function carveRequestFor(
  form: ExportForm,
  scope: CarveScope,
  filter: FlowFilter,
  selected: readonly number[],
  openFlowId: number | undefined,
): CarveRequest {
  const resolution = form.carveFormat === 'pcap' && form.carveMicroseconds ? { timeResolution: 'us' as const } : {};
  if (scope === 'selected' && selected.length) return { fileName: exportFileName(form), flowIds: [...selected], ...resolution };
  if (scope === 'open' && openFlowId !== undefined) return { fileName: exportFileName(form), flowIds: [openFlowId], ...resolution };
  return { ...carveRequest(form, filter), ...resolution };
}

/** Carving the current filter's flows, or only `flowIds` (the open flow) when given. */
export function carveRequest(form: ExportForm, filter: FlowFilter, flowIds?: number[]): CarveRequest {
  return { fileName: exportFileName(form), filter, ...(flowIds?.length ? { flowIds } : {}) };
}

/** A progress event as a line for the dialog. */
export function progressText(progress: ExportProgress | undefined): string {
  if (!progress) return '';
  switch (progress.state) {
    case 'running':
      return `${progress.kind === 'carve' ? 'Carving' : 'Exporting'}… ${Math.round(progress.fraction * 100)} %`;
    case 'done':
      return 'Done';
    case 'cancelled':
      return 'Cancelled';
    case 'failed':
      return `Failed: ${progress.message ?? 'unknown error'}`;
  }
}
