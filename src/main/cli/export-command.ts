/**
 * `flowlab export <case> --out file.csv|file.parquet [--format csv|parquet|cicids2017]
 *   [--where SQL] [--columns a,b] [--labeled-only] [--split 0.8 --seed N [--split-by class|capture]]
 *   [--packets] [--derived a,b] [--keep-formulas] [--json]` and
 * `flowlab carve <case> --where SQL --out file.pcap|file.pcapng [--time-resolution ns|us] [--json]`.
 * --where is a raw SQL condition over the flow columns: the local CLI only.
 */
import path from 'node:path';
import { DERIVED_FEATURES } from '../../shared/export-types';
import type { DerivedFeature, ExportFormat } from '../../shared/export-types';
import { carveFlows } from '../carve/carve-flows';
import { exportFlows, formatForPath } from '../export/export-flows';
import { FlowlabService } from '../service/flowlab-service';
import { numberOption, UsageError } from './usage-error';
import type { ParsedArgs } from './usage-error';

export const EXPORT_OPTIONS = {
  out: 'string',
  format: 'string',
  where: 'string',
  columns: 'string',
  'labeled-only': 'boolean',
  split: 'string',
  seed: 'string',
  'split-by': 'string',
  packets: 'boolean',
  derived: 'string',
  'keep-formulas': 'boolean',
  json: 'boolean',
} as const;

export const CARVE_OPTIONS = { out: 'string', where: 'string', 'time-resolution': 'string', json: 'boolean' } as const;

function caseAndOut(args: ParsedArgs): { db: string; out: string } {
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one case file');
  if (typeof args.values.out !== 'string' || !args.values.out) throw new UsageError('--out is required');
  return { db: args.positionals[0]!, out: path.resolve(args.values.out) };
}

const list = (value: unknown) => (typeof value === 'string' ? value.split(',').map((entry) => entry.trim()).filter(Boolean) : undefined);

/** Cancels on Ctrl-C; shows a percentage on a terminal. */
function jobControls(): { signal: AbortSignal; onProgress: (fraction: number) => void; done: () => void } {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  const tty = process.stderr.isTTY;
  return {
    signal: controller.signal,
    onProgress: (fraction) => {
      if (tty) process.stderr.write(`\r${(fraction * 100).toFixed(0).padStart(3)}%`);
    },
    done: () => {
      process.off('SIGINT', onInterrupt);
      if (tty) process.stderr.write('\r     \r');
    },
  };
}

export async function runExport(args: ParsedArgs): Promise<number> {
  const { db, out } = caseAndOut(args);
  const format = (args.values.format ?? formatForPath(out)) as ExportFormat;
  if (!['csv', 'parquet', 'cicids2017'].includes(format)) throw new UsageError(`--format must be csv, parquet or cicids2017, got ${JSON.stringify(format)}`);
  const trainFraction = numberOption(args, 'split');
  if (trainFraction !== undefined && !(trainFraction > 0 && trainFraction < 1)) throw new UsageError('--split expects the train fraction, between 0 and 1 (e.g. 0.8)');
  const seed = numberOption(args, 'seed', Number.MIN_SAFE_INTEGER) ?? 0;
  if (!Number.isSafeInteger(seed)) throw new UsageError('--seed expects an integer');
  const splitBy = args.values['split-by'] ?? 'class';
  if (splitBy !== 'class' && splitBy !== 'capture') throw new UsageError('--split-by must be class or capture');
  const derived = list(args.values.derived) ?? [];
  for (const name of derived) {
    if (!DERIVED_FEATURES.some((feature) => feature.id === name)) throw new UsageError(`unknown derived feature ${JSON.stringify(name)}; one of ${DERIVED_FEATURES.map((feature) => feature.id).join(', ')}`);
  }
  const columns = list(args.values.columns);
  const service = await FlowlabService.open(db);
  const controls = jobControls();
  try {
    const started = Date.now();
    const files = await exportFlows(service.store, out, {
      format,
      target: args.values.packets === true ? 'packets' : 'flows',
      ...(typeof args.values.where === 'string' ? { where: args.values.where } : {}),
      ...(columns ? { columns } : {}),
      labeledOnly: args.values['labeled-only'] === true,
      ...(trainFraction !== undefined ? { split: { trainFraction, seed, by: splitBy } } : {}),
      derived: derived as DerivedFeature[],
      neutralizeFormulas: args.values['keep-formulas'] !== true,
      signal: controls.signal,
      onProgress: controls.onProgress,
    });
    controls.done();
    if (args.values.json === true) process.stdout.write(JSON.stringify({ files, elapsedMs: Date.now() - started }) + '\n');
    else for (const file of files) process.stdout.write(`${file.path}\t${file.rows} rows${file.part ? `\t${file.part}` : ''}\n`);
  } finally {
    controls.done();
    await service.close();
  }
  return 0;
}

export async function runCarve(args: ParsedArgs): Promise<number> {
  const { db, out } = caseAndOut(args);
  if (typeof args.values.where !== 'string' || !args.values.where.trim()) throw new UsageError('--where is required (e.g. --where "flow_id = 4294967296")');
  const resolution = args.values['time-resolution'];
  if (resolution !== undefined && resolution !== 'ns' && resolution !== 'us') throw new UsageError('--time-resolution takes ns or us');
  const service = await FlowlabService.open(db);
  const controls = jobControls();
  try {
    const started = Date.now();
    const summary = await carveFlows(service.store, { where: args.values.where }, out, {
      signal: controls.signal,
      onProgress: controls.onProgress,
      ...(resolution !== undefined ? { pcapResolution: resolution } : {}),
    });
    controls.done();
    if (args.values.json === true) process.stdout.write(JSON.stringify({ ...summary, elapsedMs: Date.now() - started }) + '\n');
    else process.stdout.write(`${summary.path}\t${summary.packets} packets\t${summary.bytes} record bytes\t${summary.captures} capture(s)\n`);
  } finally {
    controls.done();
    await service.close();
  }
  return 0;
}
