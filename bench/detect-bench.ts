/**
 * Whole-case detection benchmark (issue #5: under 10 s over the 4 GB benchmark case).
 *   node --import tsx bench/detect-bench.ts <case.duckdb> [--runs N] [--json]
 *   node --import tsx bench/detect-bench.ts --synthetic FLOWS [--packets-per-flow K] [--runs N] [--json]
 * Prints the case size, each detector's time and the total of every run (the first run reads
 * the case from disk; later runs show warm-cache times). The case is opened read-write (its
 * schema is brought up to date): benchmark a copy of a case others use. `--synthetic` builds a
 * case of FLOWS flows and up to K packets per flow in a temporary directory instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runDetections } from '../src/main/detect/run-detections';
import { CaseStore } from '../src/main/store/case-store';
import { buildDetectSyntheticCase } from './detect-synthetic-case';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    synthetic: { type: 'string' },
    'packets-per-flow': { type: 'string', default: '5' },
  },
});
if (positionals.length !== (values.synthetic ? 0 : 1)) {
  process.stderr.write(
    'usage: node --import tsx bench/detect-bench.ts (<case.duckdb> | --synthetic FLOWS [--packets-per-flow K]) [--runs N] [--json]\n',
  );
  process.exit(2);
}
const runs = Math.max(1, Number(values.runs) || 1);
const temporary = values.synthetic ? mkdtempSync(path.join(tmpdir(), 'flowlab-detect-bench-')) : undefined;
const casePath = temporary ? path.join(temporary, 'case.duckdb') : positionals[0]!;
const store = await CaseStore.open(casePath);
try {
  if (values.synthetic) {
    const started = performance.now();
    await buildDetectSyntheticCase(store, Number(values.synthetic), Number(values['packets-per-flow']));
    if (!values.json)
      process.stdout.write(
        `synthetic case built in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
      );
  }
  const [size] = await store.rows(
    'SELECT (SELECT count(*) FROM captures) AS captures, (SELECT count(*) FROM flows) AS flows, (SELECT count(*) FROM packets) AS packets',
  );
  const results = [];
  for (let run = 1; run <= runs; run++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const result = await runDetections(store);
    const totalMs = Math.round(performance.now() - started);
    const cpu = process.cpuUsage(cpuStarted);
    const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
    const byKind: Record<string, number> = {};
    for (const finding of result.findings) byKind[finding.kind] = (byKind[finding.kind] ?? 0) + 1;
    results.push({ run, totalMs, cpuMs, timings: result.timings, findings: result.findings.length, byKind });
  }
  const name = values.synthetic ? `synthetic ${values.synthetic} flows` : casePath;
  if (values.json) process.stdout.write(JSON.stringify({ case: name, ...size, results }) + '\n');
  else {
    process.stdout.write(
      `case ${name}: ${size!.captures} captures, ${size!.flows} flows, ${size!.packets} packets\n`,
    );
    for (const result of results) {
      process.stdout.write(
        `run ${result.run}: ${(result.totalMs / 1000).toFixed(2)} s (${(result.cpuMs / 1000).toFixed(2)} s CPU), ${result.findings} findings ${JSON.stringify(result.byKind)}\n`,
      );
      for (const [detector, ms] of Object.entries(result.timings))
        process.stdout.write(`  ${detector.padEnd(16)} ${ms} ms\n`);
    }
  }
} finally {
  store.close();
  if (temporary) rmSync(temporary, { recursive: true, force: true });
}
