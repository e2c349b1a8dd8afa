/**
 * Whole-case detection benchmark (issue #5: under 10 s over the 4 GB benchmark case).
 *   node --import tsx bench/detect-bench.ts <case.duckdb> [--runs N] [--json]
 * Prints the case size, each detector's time and the total of every run (the first run reads
 * the case from disk; later runs show warm-cache times).
 */
import { parseArgs } from 'node:util';
import { runDetections } from '../src/main/detect/run-detections';
import { CaseStore } from '../src/main/store/case-store';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '1' }, json: { type: 'boolean', default: false } },
});
if (positionals.length !== 1) {
  process.stderr.write('usage: node --import tsx bench/detect-bench.ts <case.duckdb> [--runs N] [--json]\n');
  process.exit(2);
}
const runs = Math.max(1, Number(values.runs) || 1);
const store = await CaseStore.open(positionals[0]!);
try {
  const [size] = await store.rows(
    'SELECT (SELECT count(*) FROM captures) AS captures, (SELECT count(*) FROM flows) AS flows, (SELECT count(*) FROM packets) AS packets',
  );
  const results = [];
  for (let run = 1; run <= runs; run++) {
    const started = performance.now();
    const result = await runDetections(store);
    const totalMs = Math.round(performance.now() - started);
    const byKind: Record<string, number> = {};
    for (const finding of result.findings) byKind[finding.kind] = (byKind[finding.kind] ?? 0) + 1;
    results.push({ run, totalMs, timings: result.timings, findings: result.findings.length, byKind });
  }
  if (values.json) process.stdout.write(JSON.stringify({ case: positionals[0], ...size, results }) + '\n');
  else {
    process.stdout.write(`case ${positionals[0]}: ${size!.captures} captures, ${size!.flows} flows, ${size!.packets} packets\n`);
    for (const result of results) {
      process.stdout.write(`run ${result.run}: ${(result.totalMs / 1000).toFixed(2)} s, ${result.findings} findings ${JSON.stringify(result.byKind)}\n`);
      for (const [detector, ms] of Object.entries(result.timings)) process.stdout.write(`  ${detector.padEnd(16)} ${ms} ms\n`);
    }
  }
} finally {
  store.close();
}
