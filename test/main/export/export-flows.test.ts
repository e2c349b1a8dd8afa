import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFlows } from '../../../src/main/export/export-flows';
import { applyLabels } from '../../../src/main/labels/apply-labels';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { PACKET_COLUMNS } from '../../../src/main/store/schema';
import { isCancellationError } from '../../../src/shared/errors';
import { FLOW_COLUMNS } from '../../../src/shared/flow-schema';

const FIXTURES = ['web_attack_sqli.pcap', 'dns_lab_with_nxdomain.pcapng', 'tcp_scan_with_arp.pcap', 'tls_firefox_ntop_org.pcap', 'ipv6_http_tls_gquic_dualstack.pcap'];
const fixture = (name: string) => path.resolve(import.meta.dirname, '../../fixtures', name);

describe('flow export (issue #4)', () => {
  let temporary: string;
  let service: FlowlabService;
  const ids: number[] = [];
  const out = (name: string) => path.join(temporary, name);
  const count = async (sql: string, params: Record<string, string | number> = {}) => Number((await service.store.rows(sql, params))[0]!.n);
  /** Rows of `a` not in `b` plus rows of `b` not in `a` (multiset difference, NULLs equal). */
  const difference = (a: string, b: string) =>
    count(`SELECT (SELECT count(*) FROM ((${a}) EXCEPT ALL (${b}))) + (SELECT count(*) FROM ((${b}) EXCEPT ALL (${a}))) AS n`);
  const csvColumns = (columns: readonly (readonly [string, string])[]) =>
    `{${columns.map(([name, type]) => `'${name}': '${type}'`).join(', ')}}`;
  const flowTypes = [...FLOW_COLUMNS.map((column) => [column.name, column.type] as const), ['label', 'VARCHAR'] as const, ['label_source', 'VARCHAR'] as const];
  const labeledFlows = `SELECT f.*, l.label, l.source AS label_source FROM flows f LEFT JOIN flow_labels_current l USING (flow_id)`;

  beforeAll(async () => {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-export-'));
    service = await FlowlabService.open(out('case.duckdb'), { workers: 1 });
    for (const name of FIXTURES) ids.push((await service.ingest(fixture(`pcaps/${name}`))).capture.id);
    await applyLabels(service.store, { target: { captureId: ids[0]! }, label: 'malicious', source: 'capture' });
    await applyLabels(service.store, { target: { captureId: ids[1]! }, label: 'benign', source: 'capture' });
    await applyLabels(service.store, { target: { captureId: ids[2]! }, label: 'portscan', source: 'capture' });
    await applyLabels(service.store, { target: { captureId: ids[3]! }, label: 'benign', source: 'capture' });
    // A cell a spreadsheet would run.
    await service.store.run("UPDATE flows SET http_user_agent = '=HYPERLINK(\"http://x\")' WHERE flow_id = (SELECT min(flow_id) FROM flows)");
  });
  afterAll(async () => {
    await service?.close();
    rmSync(temporary, { recursive: true, force: true });
  });

  it('round-trips every flow column and the label through CSV (read back with read_csv)', async () => {
    const [file] = await exportFlows(service.store, out('all.csv'), { format: 'csv', neutralizeFormulas: false });
    expect(file!.rows).toBe(await count('SELECT count(*) AS n FROM flows'));
    const readBack = `SELECT * FROM read_csv('${file!.path}', header = true, columns = ${csvColumns(flowTypes)})`;
    expect(await difference(readBack, labeledFlows)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM (${readBack}) WHERE label IS NOT NULL`)).toBeGreaterThan(0);
  });

  it('round-trips through Parquet', async () => {
    const [file] = await exportFlows(service.store, out('all.parquet'), { format: 'parquet' });
    expect(await difference(`SELECT * FROM read_parquet('${file!.path}')`, labeledFlows)).toBe(0);
  });

  it('neutralises formula cells by default and only when asked', async () => {
    const read = async (name: string, neutralizeFormulas?: boolean) => {
      const [file] = await exportFlows(service.store, out(name), { format: 'csv', columns: ['flow_id', 'http_user_agent'], ...(neutralizeFormulas === undefined ? {} : { neutralizeFormulas }) });
      return service.store.rows(`SELECT http_user_agent FROM read_csv('${file!.path}', header = true, all_varchar = true) WHERE http_user_agent LIKE '%HYPERLINK%'`);
    };
    expect(await read('neutral.csv')).toEqual([{ http_user_agent: `'=HYPERLINK("http://x")` }]);
    expect(await read('raw.csv', false)).toEqual([{ http_user_agent: '=HYPERLINK("http://x")' }]);
  });

  it('exports chosen columns of labeled flows that match the filter', async () => {
    const [file] = await exportFlows(service.store, out('chosen.csv'), { format: 'csv', columns: ['flow_id', 'dst_port', 'label'], where: 'protocol = 6', labeledOnly: true });
    expect(readFileSync(file!.path, 'utf8').split('\n')[0]).toBe('flow_id,dst_port,label');
    const expected = `SELECT flow_id, dst_port, label FROM (${labeledFlows}) WHERE protocol = 6 AND label IS NOT NULL`;
    expect(file!.rows).toBe(await count(`SELECT count(*) AS n FROM (${expected})`));
    expect(await difference(`SELECT * FROM read_csv('${file!.path}', header = true, columns = {'flow_id': 'BIGINT', 'dst_port': 'INTEGER', 'label': 'VARCHAR'})`, expected)).toBe(0);
  });

  it('splits by class: round(n × fraction) of each class in train, reproducible with the seed', async () => {
    const split = async (name: string, seed: number) => {
      const files = await exportFlows(service.store, out(name), { format: 'csv', columns: ['flow_id', 'label'], labeledOnly: true, split: { trainFraction: 0.8, seed } });
      expect(files.map((file) => file.part)).toEqual(['train', 'test']);
      return files.map((file) => readFileSync(file.path, 'utf8'));
    };
    const [train, test] = await split('split-a.csv', 7);
    expect(await split('split-b.csv', 7)).toEqual([train, test]);
    expect((await split('split-c.csv', 8))[0]).not.toBe(train);
    const rowsOf = (text: string) => text.trim().split('\n').slice(1).map((line) => line.split(','));
    const trainIds = new Set(rowsOf(train!).map(([id]) => id));
    expect(rowsOf(test!).some(([id]) => trainIds.has(id))).toBe(false);
    const perClass = await service.store.rows(`SELECT label, count(*) AS n FROM flow_labels_current GROUP BY label`);
    for (const { label, n } of perClass) {
      expect(rowsOf(train!).filter((row) => row[1] === label).length).toBe(Math.round(Number(n) * 0.8));
      expect(rowsOf(test!).filter((row) => row[1] === label).length).toBe(Number(n) - Math.round(Number(n) * 0.8));
    }
    expect(existsSync(out('split-a.csv'))).toBe(false);
  });

  it('splits by capture: no capture has flows in both files', async () => {
    const files = await exportFlows(service.store, out('by-capture.csv'), { format: 'csv', columns: ['capture_id'], split: { trainFraction: 0.5, seed: 3, by: 'capture' } });
    const captures = files.map((file) => new Set(readFileSync(file.path, 'utf8').trim().split('\n').slice(1)));
    expect(captures[0]!.size + captures[1]!.size).toBe(FIXTURES.length);
    for (const id of captures[0]!) expect(captures[1]!.has(id)).toBe(false);
  });

  it('adds derived ML features computed from the exported flows', async () => {
    const [file] = await exportFlows(service.store, out('derived.parquet'), { format: 'parquet', columns: ['flow_id', 'src_ip', 'dst_ip', 'dst_port', 'first_seen', 'bidirectional_bytes'], derived: ['host_bytes', 'ip_integers', 'dst_port_frequency', 'service_one_hot', 'flow_inter_arrival'] });
    const rows = await service.store.rows(`SELECT *, epoch_us(first_seen) AS us FROM read_parquet('${file!.path}') ORDER BY first_seen, flow_id`);
    const totals = new Map<string, number>();
    for (const row of rows) totals.set(String(row.src_ip), (totals.get(String(row.src_ip)) ?? 0) + Number(row.bidirectional_bytes));
    const running = new Map<string, number>();
    const ports = new Map<number, number>();
    for (const row of rows) ports.set(Number(row.dst_port), (ports.get(Number(row.dst_port)) ?? 0) + 1);
    let previous: number | undefined;
    for (const row of rows) {
      const source = String(row.src_ip);
      running.set(source, (running.get(source) ?? 0) + Number(row.bidirectional_bytes));
      expect(Number(row.src_ip_total_bytes)).toBe(totals.get(source));
      expect(Number(row.src_ip_running_bytes)).toBe(running.get(source));
      expect(Number(row.dst_port_frequency)).toBeCloseTo(ports.get(Number(row.dst_port))! / rows.length, 12);
      const services = Object.keys(row).filter((key) => key.startsWith('service_'));
      expect(services.length).toBe(11);
      expect(services.reduce((sum, key) => sum + Number(row[key]), 0)).toBe(1);
      if (Number(row.dst_port) === 443) expect(Number(row.service_https)).toBe(1);
      if (source.includes('.')) {
        const [a, b, c, d] = source.split('.').map(Number);
        expect(Number(row.src_ip_int)).toBe(((a! * 256 + b!) * 256 + c!) * 256 + d!);
      }
      const time = Number(row.us);
      if (previous === undefined) expect(row.flow_iat_ms).toBeNull();
      else expect(Number(row.flow_iat_ms)).toBeCloseTo((time - previous) / 1000, 6);
      previous = time;
    }
  });

  it('exports the packet index of the filtered flows with each flow\'s label', async () => {
    const [file] = await exportFlows(service.store, out('packets.csv'), { format: 'csv', target: 'packets', where: 'capture_id = $c', params: { c: ids[0]! } });
    const packetTypes = [...PACKET_COLUMNS.map(([name, type]) => [name, type] as const), ['label', 'VARCHAR'] as const, ['label_source', 'VARCHAR'] as const];
    const expected = `SELECT p.*, l.label, l.source AS label_source FROM packets p LEFT JOIN flow_labels_current l USING (flow_id) WHERE p.flow_id IN (SELECT flow_id FROM flows WHERE capture_id = ${ids[0]})`;
    expect(file!.rows).toBe(await count(`SELECT count(*) AS n FROM (${expected})`));
    expect(await difference(`SELECT * FROM read_csv('${file!.path}', header = true, columns = ${csvColumns(packetTypes)})`, expected)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM read_csv('${file!.path}', header = true, all_varchar = true) WHERE label <> 'malicious'`)).toBe(0);
  });

  it('stops on cancel without leaving files, and reports progress up to 1', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await exportFlows(service.store, out('cancelled.csv'), { format: 'csv', signal: controller.signal }).catch((caught: unknown) => caught);
    expect(isCancellationError(error)).toBe(true);
    expect(existsSync(out('cancelled.csv')) || existsSync(out('cancelled.csv.partial'))).toBe(false);
    const seen: number[] = [];
    await exportFlows(service.store, out('progress.csv'), { format: 'csv', onProgress: (fraction) => seen.push(fraction) });
    expect(seen.at(-1)).toBe(1);
  });

  it('rejects unknown columns and derived features for the CICIDS2017 layout', async () => {
    await expect(exportFlows(service.store, out('bad.csv'), { format: 'csv', columns: ['flow_id; DROP TABLE flows'] })).rejects.toThrow(/Unknown column/);
    await expect(exportFlows(service.store, out('bad.csv'), { format: 'cicids2017', derived: ['ip_integers'] })).rejects.toThrow(/fixed flow columns/);
  });
});
