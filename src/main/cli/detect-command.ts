/** `flowlab detect` and `flowlab stats`: detections and a column profile, as text or JSON. */
import { FINDING_KINDS } from '../../shared/detect-types';
import type { DetectRequest, DetectThresholds, FindingKind } from '../../shared/detect-types';
import type { ColumnProfile } from '../../shared/stats-types';
import { runDetections } from '../detect/run-detections';
import { DEFAULT_THRESHOLDS } from '../detect/detect-options';
import { describeColumn } from '../stats/describe';
import { CaseStore } from '../store/case-store';
import { numberOption, UsageError } from './usage-error';
import type { ParsedArgs } from './usage-error';

function casePath(args: ParsedArgs): string {
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one case file');
  return args.positionals[0]!;
}

/** `--threshold name=value` (repeatable) → thresholds. */
function thresholdOptions(values: unknown): Partial<DetectThresholds> {
  const result: Partial<DetectThresholds> = {};
  for (const item of (values as string[] | undefined) ?? []) {
    const [name, raw] = item.split('=', 2);
    const value = Number(raw);
    if (!name || !(name in DEFAULT_THRESHOLDS) || raw === undefined || !Number.isFinite(value) || value < 0)
      throw new UsageError(`--threshold expects name=value with a name from: ${Object.keys(DEFAULT_THRESHOLDS).join(', ')}`);
    result[name as keyof DetectThresholds] = value;
  }
  return result;
}

export async function runDetect(args: ParsedArgs & { threshold?: string[] }): Promise<number> {
  const db = casePath(args);
  const capture = numberOption(args, 'capture');
  const kinds = typeof args.values.kinds === 'string' ? args.values.kinds.split(',').map((kind) => kind.trim()) : undefined;
  for (const kind of kinds ?? []) {
    if (!FINDING_KINDS.includes(kind as FindingKind)) throw new UsageError(`unknown kind ${JSON.stringify(kind)}; kinds: ${FINDING_KINDS.join(', ')}`);
  }
  const request: DetectRequest = {
    ...(capture !== undefined ? { captureIds: [capture] } : {}),
    ...(kinds ? { kinds: kinds as FindingKind[] } : {}),
    thresholds: thresholdOptions(args.threshold),
  };
  const store = await CaseStore.open(db);
  try {
    const result = await runDetections(store, request);
    if (args.values.json === true) {
      process.stdout.write(JSON.stringify(result.findings) + '\n');
    } else {
      for (const finding of result.findings) {
        const who = [finding.src_ip ?? '-', finding.dst_ip ?? '-'].join(' → ');
        process.stdout.write(
          `${finding.score.toFixed(3)}\t${finding.kind}\tcapture ${finding.capture_id}\t${who}\t${finding.flows} flows\t${finding.summary}\n`,
        );
      }
      process.stderr.write(`${result.findings.length} findings\n`);
    }
  } finally {
    store.close();
  }
  return 0;
}

export async function runStats(args: ParsedArgs): Promise<number> {
  const db = casePath(args);
  if (typeof args.values.column !== 'string') throw new UsageError('--column is required');
  const source = args.values.source ?? 'flows';
  if (source !== 'flows' && source !== 'packets') throw new UsageError('--source must be flows or packets');
  const capture = numberOption(args, 'capture');
  const bins = numberOption(args, 'bins', 1);
  const store = await CaseStore.open(db);
  try {
    const profiles = await describeColumn(store, {
      column: args.values.column,
      source,
      filter: {
        ...(typeof args.values.filter === 'string' ? { expression: args.values.filter } : {}),
        ...(capture !== undefined ? { captureIds: [capture] } : {}),
      },
      ...(typeof args.values.by === 'string' ? { by: args.values.by } : {}),
      ...(bins !== undefined ? { bins } : {}),
    });
    if (args.values.json === true) process.stdout.write(JSON.stringify(profiles) + '\n');
    else for (const profile of profiles) process.stdout.write(formatProfile(profile));
  } finally {
    store.close();
  }
  return 0;
}

/** A profile as aligned text: the describe table, then the histogram as bars. */
export function formatProfile(profile: ColumnProfile): string {
  const number = (value: number | null) => (value === null ? '-' : Number.isInteger(value) ? String(value) : value.toPrecision(6));
  const lines = [
    `${profile.column}${profile.group !== undefined ? ` [${profile.group ?? '(none)'}]` : ''}`,
    ...(
      [
        ['rows', profile.rows],
        ['count', profile.count],
        ['missing', profile.missing],
        ['distinct', profile.distinct],
        ['mean', profile.mean],
        ['std', profile.std],
        ['min', profile.min],
        ['25%', profile.q1],
        ['50%', profile.median],
        ['75%', profile.q3],
        ['max', profile.max],
        ['skewness', profile.skewness],
        ['kurtosis', profile.kurtosis],
      ] as const
    ).map(([name, value]) => `  ${name.padEnd(10)}${number(value)}`),
  ];
  if (profile.normality)
    lines.push(`  KS vs normal: D=${number(profile.normality.statistic)} p=${number(profile.normality.pValue)} (n=${profile.normality.sampleSize})`);
  const most = Math.max(1, ...profile.histogram.map((bin) => bin.count));
  for (const bin of profile.histogram)
    lines.push(`  [${number(bin.from)}, ${number(bin.to)}) ${String(bin.count).padStart(8)} ${'#'.repeat(Math.round((bin.count / most) * 40))}`);
  return lines.join('\n') + '\n\n';
}
