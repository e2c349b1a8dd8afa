import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CICIDS2017_COLUMNS } from '../../../src/main/export/cicids2017-layout';
import { renderCicids2017Doc } from '../../../src/main/export/cicids2017-doc';
import { exportFlows } from '../../../src/main/export/export-flows';
import { applyLabels } from '../../../src/main/labels/apply-labels';
import { FlowlabService } from '../../../src/main/service/flowlab-service';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures');
const PUBLISHED_HEADER = readFileSync(path.join(fixtures, 'reference/cicids2017-header.csv'), 'utf8').replace(/\r?\n$/, '');

describe('CICIDS2017 layout export (issue #4)', () => {
  let temporary: string;
  let service: FlowlabService;
  let lines: string[];
  let flows: Map<string, Record<string, unknown>>;

  beforeAll(async () => {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-cicids-'));
    service = await FlowlabService.open(path.join(temporary, 'case.duckdb'), { workers: 1 });
    const benign = (await service.ingest(path.join(fixtures, 'pcaps/tls_firefox_ntop_org.pcap'))).capture.id;
    await service.ingest(path.join(fixtures, 'pcaps/web_attack_sqli.pcap'));
    await applyLabels(service.store, { target: { captureId: benign }, label: 'benign', source: 'capture' });
    const [file] = await exportFlows(service.store, path.join(temporary, 'cic.csv'), { format: 'cicids2017' });
    lines = readFileSync(file!.path, 'utf8').trim().split('\n');
    const rows = await service.store.rows("SELECT *, concat_ws('-', src_ip, dst_ip, src_port, dst_port, protocol) AS key FROM flows ORDER BY flow_id");
    flows = new Map(rows.map((row) => [String(row.key), row]));
  });
  afterAll(async () => {
    await service?.close();
    rmSync(temporary, { recursive: true, force: true });
  });

  it('writes the header of the published CSVs byte for byte (85 columns)', () => {
    expect(lines[0]).toBe(PUBLISHED_HEADER);
    expect(CICIDS2017_COLUMNS.length).toBe(85);
  });

  it('writes one row per flow in CICFlowMeter units', () => {
    expect(lines.length - 1).toBe(flows.size);
    const names = CICIDS2017_COLUMNS.map((column) => column.name);
    const at = (cells: string[], name: string) => cells[names.indexOf(name)]!;
    let checkedStd = 0;
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      expect(cells.length).toBe(85);
      const flow = flows.get(cells[0]!)!;
      expect(flow).toBeDefined();
      expect(Number(at(cells, ' Flow Duration'))).toBe(Math.round(Number(flow.duration_ms) * 1000));
      expect(Number(at(cells, 'Total Length of Fwd Packets'))).toBe(Number(flow.src2dst_payload_bytes));
      expect(Number(at(cells, ' Total Backward Packets'))).toBe(Number(flow.dst2src_packets));
      expect(Number(at(cells, ' Flow IAT Max'))).toBeCloseTo(Number(flow.bidirectional_max_piat_ms ?? 0) * 1000, 3);
      const n = Number(flow.src2dst_packets);
      if (n > 1 && Number(flow.src2dst_stddev_payload) > 0) {
        checkedStd++;
        expect(Number(at(cells, ' Fwd Packet Length Std'))).toBeCloseTo(Number(flow.src2dst_stddev_payload) * Math.sqrt(n / (n - 1)), 6);
      }
      const rate = at(cells, 'Flow Bytes/s');
      if (Number(flow.duration_ms) > 0) expect(Number(rate)).toBeCloseTo(Number(flow.bidirectional_payload_bytes) / (Number(flow.duration_ms) / 1000), 3);
      else expect(rate).toBe('');
      expect(at(cells, ' Label')).toBe(flow.capture_id === 1 ? 'BENIGN' : '');
    }
    expect(checkedStd).toBeGreaterThan(0);
  });

  it('reads back with read_csv as 85 typed columns, the repeated name kept apart', async () => {
    const rows = await service.store.rows(`DESCRIBE SELECT * FROM read_csv('${path.join(temporary, 'cic.csv')}', header = true)`);
    expect(rows.length).toBe(85);
    // DuckDB's reader trims the leading spaces of the names (pandas keeps them).
    expect(rows.find((row) => row.column_name === 'Flow Duration')?.column_type).toBe('BIGINT');
    expect(rows.filter((row) => String(row.column_name).startsWith('Fwd Header Length')).length).toBe(2);
  });

  it('documents every column (docs/cicids2017-layout.md is up to date)', () => {
    const doc = readFileSync(path.resolve(import.meta.dirname, '../../../docs/cicids2017-layout.md'), 'utf8');
    expect(doc).toBe(renderCicids2017Doc());
    for (const column of CICIDS2017_COLUMNS) expect(doc).toContain(column.definition);
  });
});
