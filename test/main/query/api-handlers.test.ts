import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CHANNELS } from '../../../src/shared/api-contract';
import type { ApiEventName } from '../../../src/shared/api-contract';
import { createApiHandlers } from '../../../src/main/query/api-handlers';
import type { ApiHandlersWithIngest } from '../../../src/main/query/api-handlers';
import { chooseBinSeconds } from '../../../src/main/query/dashboard-queries';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { buildSyntheticCase, CAPTURE1_FLOWS, CAPTURE2_FLOWS, FLOW0_PACKETS } from './synthetic-case';

const FLOW_ID_STRIDE = 2 ** 32;
const ALL = [...CAPTURE1_FLOWS, ...CAPTURE2_FLOWS];

describe('API handlers over a synthetic case', () => {
  let dir: string;
  let service: FlowlabService;
  let handlers: ApiHandlersWithIngest;
  const events: { event: ApiEventName; payload: unknown }[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-handlers-'));
    ({ service } = await buildSyntheticCase(dir));
    handlers = createApiHandlers(service, { emit: (event, payload) => events.push({ event, payload }) });
  });
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a handler for every channel', () => {
    for (const channel of API_CHANNELS) expect(typeof handlers[channel], channel).toBe('function');
  });

  it('flows.page sorts by any column with a stable flow_id tiebreak and pages with offset/limit', async () => {
    const request = {
      filter: {},
      sort: [{ column: 'application', direction: 'asc' as const }],
      limit: 3,
      columns: ['application', 'src_ip'],
    };
    const first = await handlers['flows.page']({ ...request, offset: 0 });
    const second = await handlers['flows.page']({ ...request, offset: 3 });
    const third = await handlers['flows.page']({ ...request, offset: 6 });
    expect(first.total).toBe(ALL.length);
    const rows = [...first.rows, ...second.rows, ...third.rows];
    const expected = await service.store.rows(
      'SELECT flow_id, application, src_ip FROM flows ORDER BY application ASC NULLS LAST, flow_id',
    );
    expect(rows).toEqual(expected);
    expect(Object.keys(rows[0]!)).toEqual(['flow_id', 'application', 'src_ip']);
  });

  it('flows.page returns timestamps as ISO text with microseconds and honours the filter', async () => {
    const page = await handlers['flows.page']({
      filter: { expression: 'dst_port = 443' },
      sort: [{ column: 'first_seen', direction: 'desc' }],
      offset: 0,
      limit: 10,
      columns: ['first_seen'],
    });
    expect(page.total).toBe(2);
    expect(page.rows.map((row) => row.first_seen)).toEqual([
      '2024-01-01T00:20:00.000000Z',
      '2024-01-01T00:00:00.000000Z',
    ]);
  });

  it('flows.page and flows.count reject bad requests with INVALID_ARGUMENT', async () => {
    await expect(
      handlers['flows.page']({
        filter: {},
        offset: 0,
        limit: 10,
        sort: [{ column: 'flows; drop', direction: 'asc' }],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(handlers['flows.page']({ filter: {}, offset: -1, limit: 10 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(
      handlers['flows.page']({
        filter: {},
        offset: 0,
        limit: 10,
        sort: [{ column: 'dst_port', direction: 'up' as never }],
      }),
    ).rejects.toThrow(/direction/);
    await expect(handlers['flows.count']({ filter: { expression: 'dst_port >' } })).rejects.toThrow(
      "Expected a value after '>' at position 10, found end of input",
    );
    expect(await handlers['flows.count']({ filter: { expression: 'protocol = 17' } })).toEqual({
      count: ALL.filter((f) => f.numbers.protocol === 17).length,
    });
  });

  it('flows.validateFilter and flows.columns', async () => {
    expect(await handlers['flows.validateFilter']({ expression: 'dst_port = 1' })).toEqual({ ok: true });
    expect(await handlers['flows.validateFilter']({ expression: 'x = 1' })).toMatchObject({
      ok: false,
      position: 0,
    });
    const columns = await handlers['flows.columns']();
    expect(columns.map((column) => column.name)).toContain('bidirectional_mean_piat_ms');
  });

  it('flows.details lists the packets with relative times and reads payload bytes from the pcap', async () => {
    const details = await handlers['flows.details']({ flowId: 1 * FLOW_ID_STRIDE + 0 });
    expect(details.flow).toMatchObject({ src_ip: '10.0.0.1', dst_ip: '93.184.216.34', dst_port: 443 });
    expect(
      details.packets.map((packet) => [packet.packetNumber, packet.direction, packet.payloadLength]),
    ).toEqual(FLOW0_PACKETS.map((packet, i) => [i + 1, packet.direction, packet.payload.length]));
    expect(details.packets[0]).toMatchObject({ ts: '2024-01-01T00:00:00.250000000Z', relativeSeconds: 0 });
    expect(details.packets[3]!.relativeSeconds).toBeCloseTo(3.000000003, 9);
    // Packets with payload only; the padded 2-byte one without its Ethernet padding; capped at 256 bytes.
    expect(
      details.payload.map((item) => [
        item.packetNumber,
        item.direction,
        Buffer.from(item.bytes).toString('latin1'),
      ]),
    ).toEqual([
      [1, 0, FLOW0_PACKETS[0].payload.toString('latin1')],
      [2, 1, 'hi'],
      [4, 1, 'A'.repeat(256)],
    ]);
    expect(details.payloadNote).toBeUndefined();
  });

  it('flows.details explains why a .gz capture has no payload, and rejects unknown flows', async () => {
    const details = await handlers['flows.details']({ flowId: 2 * FLOW_ID_STRIDE });
    expect(details.payload).toEqual([]);
    expect(details.payloadNote).toMatch(/compressed/);
    await expect(handlers['flows.details']({ flowId: 99 })).rejects.toThrow(
      /Expected an existing flow id, found 99/,
    );
  });

  it('dashboard.timeseries picks bins from the span and sums by first_seen bin', async () => {
    expect([
      chooseBinSeconds(50),
      chooseBinSeconds(299),
      chooseBinSeconds(300),
      chooseBinSeconds(7200),
      chooseBinSeconds(86400 * 3),
      chooseBinSeconds(86400 * 30),
      chooseBinSeconds(86400 * 1000),
    ]).toEqual([1, 1, 10, 60, 3600, 86400, 86400 * 4]);
    const series = await handlers['dashboard.timeseries']({ filter: {} });
    expect(series.binSeconds).toBe(60); // flows span 7199 s: 120 one-minute bins
    expect(series.points).toHaveLength(120);
    expect(series.points.reduce((sum, point) => sum + point.bytes, 0)).toBe(
      ALL.reduce((sum, f) => sum + f.numbers.bidirectional_bytes!, 0),
    );
    expect(series.points[0]).toEqual({
      t: '2024-01-01T00:00:00.000000Z',
      bytes: 296 + 200,
      packets: 5 + 2,
      flows: 2,
    });
    expect(series.points[60]).toMatchObject({ t: '2024-01-01T01:00:00.000000Z', bytes: 2900, flows: 1 });
  });

  it('dashboard.top ranks by bytes with responder ports per protocol and labels', async () => {
    expect(await handlers['dashboard.top']({ filter: {}, by: 'tcp_port', limit: 2 })).toEqual([
      { key: '22', bytes: 5000, packets: 18, flows: 1 },
      { key: '80', bytes: 4400, packets: 8, flows: 1 },
    ]);
    expect(await handlers['dashboard.top']({ filter: {}, by: 'udp_port' })).toEqual([
      { key: '53', bytes: 200, packets: 2, flows: 1 },
      { key: '5353', bytes: 90, packets: 1, flows: 1 },
    ]);
    const protocols = await handlers['dashboard.top']({ filter: {}, by: 'protocol' });
    expect(protocols.map((entry) => [entry.key, entry.label, entry.flows])).toEqual([
      ['6', 'TCP', 5],
      ['17', 'UDP', 2],
    ]);
    const applications = await handlers['dashboard.top']({ filter: {}, by: 'application', limit: 10 });
    expect(applications.find((entry) => entry.key === '')).toMatchObject({ label: '(none)', bytes: 90 });
    const sources = await handlers['dashboard.top']({
      filter: { expression: 'protocol = 6' },
      by: 'src_ip',
      limit: 1,
    });
    expect(sources).toEqual([{ key: '192.168.1.5', bytes: 5000, packets: 18, flows: 1 }]);
    await expect(handlers['dashboard.top']({ filter: {}, by: 'tls_sni' as never })).rejects.toThrow(
      /Expected by to be one of/,
    );
  });

  it('dashboard.iatHistogram counts every flow with a mean inter-arrival time once', async () => {
    const bins = await handlers['dashboard.iatHistogram']({ filter: {}, bins: 4 });
    const withMean = ALL.filter((f) => f.numbers.bidirectional_mean_piat_ms !== undefined);
    expect(bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(withMean.length);
    // The zero mean has its own bin; the others are on the 10^(k/24) grid, at most 4 bins, from
    // the decade or finer step holding the smallest mean (5) to the one holding the largest (5000).
    expect(bins[0]).toEqual({ from: 0, to: bins[1]!.from, count: 1 });
    expect(bins.length).toBeLessThanOrEqual(5);
    expect(bins[1]!.from).toBeLessThanOrEqual(5);
    expect(bins.at(-1)!.to).toBeGreaterThan(5000);
  });

  it('dashboard.packetSizes tags each packet with its destination', async () => {
    const points = await handlers['dashboard.packetSizes']({
      filter: {},
      hostA: '93.184.216.34',
      hostB: '10.0.0.1',
    });
    expect(points.map((point) => point.dst)).toEqual(
      FLOW0_PACKETS.map((packet) => (packet.direction === 0 ? '93.184.216.34' : '10.0.0.1')),
    );
    expect(points.map((point) => point.size)).toEqual([91, 60, 60, 354]);
  });

  it('hosts.page aggregates per address, matching a direct SQL aggregate', async () => {
    const page = await handlers['hosts.page']({
      filter: {},
      sort: [{ column: 'ip', direction: 'asc' }],
      offset: 0,
      limit: 100,
    });
    const addresses = new Set(ALL.flatMap((f) => [f.strings.src_ip!, f.strings.dst_ip!]));
    expect(page.total).toBe(addresses.size);
    const host = page.rows.find((row) => row.ip === '10.0.0.1')!;
    const asSource = ALL.filter((f) => f.strings.src_ip === '10.0.0.1');
    const asDestination = ALL.filter((f) => f.strings.dst_ip === '10.0.0.1');
    expect(host).toMatchObject({
      bytesSent: [
        ...asSource.map((f) => f.numbers.src2dst_bytes!),
        ...asDestination.map((f) => f.numbers.dst2src_bytes!),
      ].reduce((a, b) => a + b, 0),
      bytesReceived: [
        ...asSource.map((f) => f.numbers.dst2src_bytes!),
        ...asDestination.map((f) => f.numbers.src2dst_bytes!),
      ].reduce((a, b) => a + b, 0),
      flows: asSource.length + asDestination.length,
      peers: new Set([
        ...asSource.map((f) => f.strings.dst_ip),
        ...asDestination.map((f) => f.strings.src_ip),
      ]).size,
      firstSeen: '2024-01-01T00:00:00.000000Z',
      lastSeen: '2024-01-01T01:00:02.000000Z',
    });
    const google = page.rows.find((row) => row.ip === '8.8.8.8')!;
    expect(google.country).toBe('US'); // from the shipped country database
    expect(page.rows.find((row) => row.ip === '10.0.0.2')!.country).toBeUndefined();
    const sorted = await handlers['hosts.page']({
      filter: {},
      sort: [{ column: 'bytesReceived', direction: 'desc' }],
      offset: 1,
      limit: 2,
    });
    const all = [...page.rows].sort((a, b) => b.bytesReceived - a.bytesReceived || a.ip.localeCompare(b.ip));
    expect(sorted.rows.map((row) => row.ip)).toEqual(all.slice(1, 3).map((row) => row.ip));
    await expect(
      handlers['hosts.page']({
        filter: {},
        sort: [{ column: 'ip; drop', direction: 'asc' }],
        offset: 0,
        limit: 1,
      }),
    ).rejects.toThrow(/host sort column/);
  });

  it('hosts.graph keeps the topN heaviest pairs above minBytes and marks public nodes', async () => {
    const graph = await handlers['hosts.graph']({ filter: {}, minBytes: 1000, topN: 3 });
    expect(graph.edges).toEqual([
      { source: '10.0.0.1', target: '192.168.1.5', bytes: 5000, packets: 18, flows: 1 },
      { source: '10.0.0.1', target: '10.9.9.9', bytes: 4400, packets: 8, flows: 1 },
      { source: '10.0.0.1', target: '10.0.0.2', bytes: 2900, packets: 35, flows: 1 },
    ]);
    expect(graph.nodes.find((node) => node.id === '10.0.0.1')).toEqual({
      id: '10.0.0.1',
      bytes: 12300,
      packets: 61,
      external: false,
    });
    const all = await handlers['hosts.graph']({ filter: {} });
    expect(all.nodes.find((node) => node.id === '2001:4860:4860::8888')?.external).toBe(true);
  });

  it('captures.remove deletes the capture with its flows and tells the views', async () => {
    events.length = 0;
    await handlers['captures.remove']({ captureId: 2 });
    expect((await handlers['captures.list']()).map((capture) => capture.id)).toEqual([1]);
    expect((await handlers['flows.count']({ filter: {} })).count).toBe(CAPTURE1_FLOWS.length);
    expect(events).toEqual([{ event: 'captures.changed', payload: { captureId: 2 } }]);
  });
});

describe('ingest.start / ingest.cancel on a real capture', () => {
  it('ingests a fixture, forwards progress and capture changes, and the grid sees its flows', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-ingest-'));
    const service = await FlowlabService.open(path.join(dir, 'case.duckdb'), { workers: 1 });
    const events: { event: ApiEventName; payload: unknown }[] = [];
    const handlers = createApiHandlers(service, {
      emit: (event, payload) => events.push({ event, payload }),
    });
    try {
      const fixture = path.resolve('test/fixtures/pcaps/tls_firefox_ntop_org.pcap');
      const [result] = await handlers['ingest.start']({ paths: [fixture] });
      expect(result!.alreadyPresent).toBe(false);
      expect(events.some((item) => item.event === 'ingest.progress')).toBe(true);
      expect(events.at(-1)).toEqual({
        event: 'captures.changed',
        payload: { captureId: result!.capture.id },
      });
      const page = await handlers['flows.page']({ filter: {}, offset: 0, limit: 100 });
      expect(page.total).toBe(result!.capture.flows);
      // A TLS flow's first client payload is a TLS handshake record (RFC 8446 5.1: type 22, version 3.x).
      const tls = page.rows.find((row) => row.dst_port === 443)!;
      const details = await handlers['flows.details']({ flowId: Number(tls.flow_id) });
      expect(details.payload[0]!.bytes.slice(0, 2)).toEqual([0x16, 0x03]);
      await expect(handlers['ingest.start']({ paths: [path.join(dir, 'missing.pcap')] })).rejects.toThrow(
        /Could not ingest 1 of 1 file/,
      );
      await expect(handlers['ingest.start']({ paths: [] })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      // Cancelling before the queued job starts returns without failing.
      const queued = handlers['ingest.start']({ paths: [fixture] });
      await handlers['ingest.cancel']();
      await expect(queued).resolves.toEqual([]);
    } finally {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
