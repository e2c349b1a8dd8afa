/**
 * Whole-case detection benchmark (issue #5: under 10 s over the 4 GB benchmark case).
 *   node --import tsx bench/detect-bench.ts <case.duckdb> [--runs N] [--each] [--packets] [--json]
 *   node --import tsx bench/detect-bench.ts --synthetic FLOWS [--packets-per-flow K] [--runs N] [--each] [--packets] [--json]
 * Prints the case size, each detector's time and the total of every run (the first run reads
 * the case from disk; later runs show warm-cache times). `--each` also runs every detector
 * alone and prints its wall and CPU time (CPU time counts DuckDB's threads too: on a shared
 * machine it says more than wall time). The case is opened read-write (its
 * schema is brought up to date): benchmark a copy of a case others use. `--synthetic` builds a
 * case of FLOWS flows and up to K packets per flow in a temporary directory instead.
 * The per-capture detection summaries (detect-summaries.ts) that a case lacks are built first
 * and their build time is printed apart (an ingest pays it); `--packets` ignores them and
 * measures the detectors reading the packet index instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildMissingDetectSummaries } from '../src/main/detect/detect-summaries';
import { DETECTOR_NAMES, runDetections } from '../src/main/detect/run-detections';
import { CaseStore } from '../src/main/store/case-store';
import { buildDetectSyntheticCase } from './detect-synthetic-case';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    synthetic: { type: 'string' },
    'packets-per-flow': { type: 'string', default: '5' },
    each: { type: 'boolean', default: false },
    packets: { type: 'boolean', default: false },
  },
});
if (positionals.length !== (values.synthetic ? 0 : 1)) {
  process.stderr.write(
    'usage: node --import tsx bench/detect-bench.ts (<case.duckdb> | --synthetic FLOWS [--packets-per-flow K]) [--runs N] [--each] [--json]\n',
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
  const summaries = values.packets ? 'ignore' : 'use';
  let summaryBuild: { captures: number; wallMs: number; cpuMs: number } | undefined;
  if (!values.packets) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const built = await buildMissingDetectSummaries(store);
    const cpu = process.cpuUsage(cpuStarted);
    summaryBuild = {
      captures: built.length,
      wallMs: Math.round(performance.now() - started),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    };
    if (!values.json && built.length)
      process.stdout.write(
        `detection summaries of ${built.length} captures built in ${(summaryBuild.wallMs / 1000).toFixed(2)} s (${(summaryBuild.cpuMs / 1000).toFixed(2)} s CPU)\n`,
      );
  }
  const [size] = await store.rows(
    'SELECT (SELECT count(*) FROM captures) AS captures, (SELECT count(*) FROM flows) AS flows, (SELECT count(*) FROM packets) AS packets',
  );
  const results = [];
  for (let run = 1; run <= runs; run++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const result = await runDetections(store, undefined, summaries);
    const totalMs = Math.round(performance.now() - started);
    const cpu = process.cpuUsage(cpuStarted);
    const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
    const byKind: Record<string, number> = {};
    for (const finding of result.findings) byKind[finding.kind] = (byKind[finding.kind] ?? 0) + 1;
    results.push({ run, totalMs, cpuMs, timings: result.timings, findings: result.findings.length, byKind });
  }
  const each: { detector: string; wallMs: number; cpuMs: number; findings: number }[] = [];
  if (values.each) {
    for (const detector of DETECTOR_NAMES) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      const result = await runDetections(store, { kinds: [detector] }, summaries);
      const cpu = process.cpuUsage(cpuStarted);
      each.push({
        detector,
        wallMs: Math.round(performance.now() - started),
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        findings: result.findings.length,
      });
    }
  }
  const name = values.synthetic ? `synthetic ${values.synthetic} flows` : casePath;
  if (values.json)
    process.stdout.write(
      JSON.stringify({ case: name, ...size, summaries, summaryBuild, results, each }) + '\n',
    );
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
    if (each.length) process.stdout.write('each detector alone (wall, CPU):\n');
    for (const row of each)
      process.stdout.write(
        `  ${row.detector.padEnd(16)} ${(row.wallMs / 1000).toFixed(2)} s, ${(row.cpuMs / 1000).toFixed(2)} s CPU, ${row.findings} findings\n`,
      );
  }
} finally {
  store.close();
  if (temporary) rmSync(temporary, { recursive: true, force: true });
}
