import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, ROOT, runCli } from '../ingest/cli-process';
import { readCaptureRecords } from '../carve/read-capture-records';

const fixture = (name: string) => path.resolve(import.meta.dirname, '../../fixtures/pcaps', name);

describe('flowlab export / flowlab carve (issue #4)', () => {
  let temporary: string;
  let db: string;
  let flowCount: number;
  let labeled: number;
  let largest: { flowId: number; packets: number };

  beforeAll(async () => {
    buildCli();
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-export-cli-'));
    db = path.join(temporary, 'case.duckdb');
    // Set up in a child process: the labeling connection keeps the case open in this one.
    const setup = `
      import { FlowlabService } from ${JSON.stringify(path.join(ROOT, 'src/main/service/flowlab-service.ts'))};
      import { applyLabels } from ${JSON.stringify(path.join(ROOT, 'src/main/labels/apply-labels.ts'))};
      const service = await FlowlabService.open(${JSON.stringify(db)}, { workers: 1 });
      const first = (await service.ingest(${JSON.stringify(fixture('web_attack_sqli.pcap'))})).capture.id;
      await service.ingest(${JSON.stringify(fixture('dns_lab_with_nxdomain.pcapng'))});
      const labeled = (await applyLabels(service.store, { target: { captureId: first }, label: 'malicious', source: 'capture' })).flows;
      const flowCount = Number((await service.store.rows('SELECT count(*) AS n FROM flows'))[0].n);
      const [row] = await service.store.rows('SELECT flow_id, bidirectional_packets FROM flows ORDER BY bidirectional_packets DESC, flow_id LIMIT 1');
      process.stdout.write(JSON.stringify({ labeled, flowCount, flowId: Number(row.flow_id), packets: Number(row.bidirectional_packets) }));
      process.exit(0);`;
    const script = path.join(temporary, 'setup.mts');
    writeFileSync(script, setup);
    const facts = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8' })) as { labeled: number; flowCount: number; flowId: number; packets: number };
    ({ labeled, flowCount } = facts);
    largest = { flowId: facts.flowId, packets: facts.packets };
  });
  afterAll(() => rmSync(temporary, { recursive: true, force: true }));

  it('exports CSV with --columns, --where and --labeled-only', async () => {
    const out = path.join(temporary, 'flows.csv');
    const run = await runCli(['export', db, '--out', out, '--columns', 'flow_id,protocol,label', '--where', 'protocol = 6', '--labeled-only', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('flow_id,protocol,label');
    expect(lines.length - 1).toBeGreaterThan(0);
    expect(lines.length - 1).toBeLessThanOrEqual(labeled);
    expect(lines.slice(1).every((line) => line.endsWith(',6,malicious'))).toBe(true);
    expect(JSON.parse(run.stdout).files[0].rows).toBe(lines.length - 1);
  });

  it('writes train and test files with --split and --seed', async () => {
    const out = path.join(temporary, 'split.parquet');
    const run = await runCli(['export', db, '--out', out, '--split', '0.8', '--seed', '42', '--json']);
    expect(run.code).toBe(0);
    const { files } = JSON.parse(run.stdout) as { files: { path: string; rows: number; part: string }[] };
    expect(files.map((file) => path.basename(file.path))).toEqual(['split.train.parquet', 'split.test.parquet']);
    expect(files[0]!.rows + files[1]!.rows).toBe(flowCount);
  });

  it('writes the CICIDS2017 layout with --format cicids2017', async () => {
    const out = path.join(temporary, 'cic.csv');
    expect((await runCli(['export', db, '--out', out, '--format', 'cicids2017'])).code).toBe(0);
    const published = readFileSync(path.resolve(import.meta.dirname, '../../fixtures/reference/cicids2017-header.csv'), 'utf8').trim();
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(published);
  });

  it('carves with --where to pcap', async () => {
    const out = path.join(temporary, 'carved.pcap');
    const run = await runCli(['carve', db, '--where', `flow_id = ${largest.flowId}`, '--out', out, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).packets).toBe(largest.packets);
    expect(readCaptureRecords(readFileSync(out)).length).toBe(largest.packets);
  });

  it('explains bad arguments with exit code 2', async () => {
    const run = await runCli(['export', db, '--out', path.join(temporary, 'x.csv'), '--split', '1.5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--split expects the train fraction/);
    expect((await runCli(['carve', db, '--out', path.join(temporary, 'x.pcap')])).code).toBe(2);
  });
});
