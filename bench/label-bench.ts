/**
 * Bulk-labeling benchmark: label 1M flows (default) matching a filter in one act, and time
 * each step an analyst would take. Then exports >= 2M flows (default; `--export-flows N`, 0 to
 * skip) with their labels to CSV and to Parquet, each in a child process so its wall time and
 * peak RSS are the export's alone (bounded memory: the issue's "millions of rows").
 * Prints the timings; exits non-zero only when a result is wrong (flow or row counts), never on
 * speed. The issue's bar: one million flows in under a second.
 *
 *   node --import tsx bench/label-bench.ts [--flows N] [--export-flows N] [--keep DIR]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportFlows } from '../src/main/export/export-flows';
import { CaseStore } from '../src/main/store/case-store';
import { applyLabels, undoLabels } from '../src/main/labels/apply-labels';
import { LabelDb } from '../src/main/labels/label-db';
import { labelSummary } from '../src/main/labels/label-queries';
import { addSyntheticCapture } from '../test/main/labels/bulk-case';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const flows = Number(option('--flows') ?? 1_000_000);
const exportedFlows = Math.max(Number(option('--export-flows') ?? 2_000_000), 0);

/**
 * Wall time and the process's CPU time (JavaScript plus DuckDB's threads): on a busy shared
 * machine the wall time mostly measures the other processes.
 */
async function timed<T>(name: string, work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const result = await work();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    `${name.padEnd(52)} ${ms.toFixed(0).padStart(7)} ms wall ${cpuMs.toFixed(0).padStart(7)} ms CPU`,
  );
  return { result, ms };
}

function check(what: string, got: number, want: number): void {
  if (got !== want) {
    console.error(`WRONG: ${what}: got ${got}, want ${want}`);
    process.exitCode = 1;
  }
}

/** Child process: exports every flow of the case to `out`, prints wall ms, rows and peak RSS as JSON. */
async function exportChild(casePath: string, out: string): Promise<void> {
  const store = await CaseStore.open(casePath);
  try {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const files = await exportFlows(store, out, { format: out.endsWith('.parquet') ? 'parquet' : 'csv' });
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    // Linux: maxRSS in KiB, the whole process (JavaScript heap plus DuckDB's buffers).
    console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, rows: files[0]!.rows, peakRssMB: process.resourceUsage().maxRSS / 1024 }));
  } finally {
    store.close();
  }
}

/** Exports the case's flows to CSV and Parquet, each in a fresh child process. */
function benchExports(casePath: string, dir: string, expectedRows: number): void {
  for (const extension of ['csv', 'parquet']) {
    const out = path.join(dir, `flows.${extension}`);
    const output = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--export-child', casePath, out], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const result = JSON.parse(output.trim().split('\n').at(-1)!) as { ms: number; cpuMs: number; rows: number; peakRssMB: number };
    check(`${extension} rows`, result.rows, expectedRows);
    const sizeMB = statSync(out).size / 2 ** 20;
    console.log(
      `${`export ${expectedRows} flows to ${extension.toUpperCase()} (child process)`.padEnd(52)} ${result.ms.toFixed(0).padStart(7)} ms wall ${result.cpuMs.toFixed(0).padStart(7)} ms CPU, ` +
        `peak RSS ${result.peakRssMB.toFixed(0)} MB, file ${sizeMB.toFixed(0)} MB`,
    );
    rmSync(out, { force: true });
  }
}

async function main(): Promise<void> {
  const child = args.indexOf('--export-child');
  if (child >= 0) return exportChild(args[child + 1]!, args[child + 2]!);
  const dir = option('--keep') ?? mkdtempSync(path.join(os.tmpdir(), 'flowlab-label-bench-'));
  const casePath = path.join(dir, 'case.duckdb');
  let store = await CaseStore.open(casePath);
  try {
    await timed(`generate ${flows} synthetic flows`, () => addSyntheticCapture(store, 1, flows));
    await timed('checkpoint', () => store.run('CHECKPOINT'));
    const everything = { target: { filter: { expression: 'protocol = 6' } }, source: 'manual' as const };
    const first = await timed(`label all ${flows} flows (fresh, filter)`, () =>
      applyLabels(store, { ...everything, label: 'benign' }),
    );
    check('flows labeled', first.result.flows, flows);
    const manual = await timed(`relabel all ${flows} flows (manual)`, () =>
      applyLabels(store, { ...everything, label: 'malicious' }),
    );
    check('flows relabeled', manual.result.flows, flows);
    const rule = await timed(`rule over all ${flows} labeled flows (conflicts)`, () =>
      applyLabels(store, {
        target: { filter: { expression: 'dst_port = 23' } },
        label: 'benign',
        source: 'rule',
      }),
    );
    check('rule flows', rule.result.flows, Math.ceil(flows / 3));
    check('rule conflicts', rule.result.conflicts, Math.ceil(flows / 3));
    await timed('undo the rule', () => undoLabels(store));
    const summary = await timed('labels summary', () => labelSummary(store));
    check('labeled flows', summary.result.labeledFlows, flows);
    const counted = await timed('count(*) of flow_labels_current', () =>
      store.rows("SELECT count(*) AS n FROM flow_labels_current WHERE label = 'malicious'"),
    );
    check('malicious flows in the view', Number(counted.result[0]!.n), flows);
    console.log(
      first.ms < 1000 && manual.ms < 1000
        ? `bulk labeling of ${flows} flows: under a second`
        : `bulk labeling of ${flows} flows: NOT under a second`,
    );
    if (exportedFlows > 0) {
      // The labeled flows plus unlabeled ones up to the export size; the case is closed so the
      // child processes can open it.
      if (exportedFlows > flows) await timed(`generate ${exportedFlows - flows} more flows`, () => addSyntheticCapture(store, 2, exportedFlows - flows));
      await LabelDb.close(store);
      store.close();
      benchExports(casePath, dir, Math.max(exportedFlows, flows));
      store = await CaseStore.open(casePath);
    }
  } finally {
    store.close();
    if (!option('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
