import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carveFlows } from '../../../src/main/carve/carve-flows';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { isCancellationError } from '../../../src/shared/errors';
import { fileBytes, readCaptureRecords } from './read-capture-records';

const fixture = (name: string) => path.resolve(import.meta.dirname, '../../fixtures/pcaps', name);
const SOURCES = {
  pcap: 'tls_firefox_ntop_org.pcap',
  pcapngBigEndianSections: 'fmt_pcapng_be_3sections_5ifaces.pcapng',
  pcapngTwoLinkTypes: 'fmt_pcapng_2ifaces_sll_ether.pcapng',
  gzip: 'fmt_pcapng_gzip_telnet_long_line.pcapng.gz',
  pcapBigEndianNs: 'fmt_pcap_be_nsec_http.pcap',
};

describe('carving flows into pcap/pcapng (issue #4)', () => {
  let temporary: string;
  let service: FlowlabService;
  const captureIds: Record<string, number> = {};

  beforeAll(async () => {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-carve-'));
    service = await FlowlabService.open(path.join(temporary, 'case.duckdb'), { workers: 1 });
    for (const [key, name] of Object.entries(SOURCES)) captureIds[key] = (await service.ingest(fixture(name))).capture.id;
  });
  afterAll(async () => {
    await service?.close();
    rmSync(temporary, { recursive: true, force: true });
  });

  /** The flow ids of a capture, the largest first. */
  const flowsOf = async (key: string, limit = 3): Promise<number[]> =>
    (
      await service.store.rows(
        'SELECT flow_id FROM flows WHERE capture_id = $c ORDER BY bidirectional_packets DESC, flow_id LIMIT $n',
        { c: captureIds[key]!, n: limit },
      )
    ).map((row) => Number(row.flow_id));
  /** The source records of these flows per the packet index, in file order. */
  const indexedRecords = async (key: string, flowIds: number[]): Promise<Buffer[]> => {
    const source = fileBytes(fixture(SOURCES[key as keyof typeof SOURCES]));
    const rows = await service.store.rows(
      `SELECT file_offset, record_length FROM packets WHERE flow_id IN (${flowIds.join(', ')}) ORDER BY file_offset`,
    );
    return rows.map((row) => source.subarray(Number(row.file_offset), Number(row.file_offset) + Number(row.record_length)));
  };
  const carve = (flowIds: number[], name: string, signal?: AbortSignal) =>
    carveFlows(service.store, { where: `flow_id IN (${flowIds.join(', ')})` }, path.join(temporary, name), { signal });

  it.each(['pcap', 'pcapngBigEndianSections', 'pcapngTwoLinkTypes', 'gzip'])(
    'copies the records of %s flows byte for byte, in file order',
    async (key) => {
      const flowIds = await flowsOf(key);
      const expected = await indexedRecords(key, flowIds);
      expect(expected.length).toBeGreaterThan(0);
      const extension = key === 'pcap' ? 'pcap' : 'pcapng';
      const summary = await carve(flowIds, `${key}.${extension}`);
      expect(summary.packets).toBe(expected.length);
      const carved = readCaptureRecords(readFileSync(summary.path));
      expect(carved.map((packet) => packet.record.toString('hex'))).toEqual(expected.map((record) => record.toString('hex')));
      expect(existsSync(`${summary.path}.partial`)).toBe(false);
    },
  );

  it('keeps every section and interface so interface ids and byte order stay valid', async () => {
    const key = 'pcapngBigEndianSections';
    const all = (await service.store.rows('SELECT flow_id FROM flows WHERE capture_id = $c', { c: captureIds[key]! })).map((row) => Number(row.flow_id));
    const summary = await carve(all, 'sections.pcapng');
    const source = readCaptureRecords(fileBytes(fixture(SOURCES[key])));
    const carved = readCaptureRecords(readFileSync(summary.path));
    const indexed = await indexedRecords(key, all);
    // Same packets with the same link types and times as the source reads them.
    const bySource = new Map(source.map((packet) => [packet.record.toString('hex'), packet]));
    expect(carved.length).toBe(indexed.length);
    for (const packet of carved) {
      const original = bySource.get(packet.record.toString('hex'))!;
      expect(original).toBeDefined();
      expect([packet.linkType, packet.timestampNs]).toEqual([original.linkType, original.timestampNs]);
    }
  });

  it('wraps pcap records in Enhanced Packet Blocks when carving to .pcapng', async () => {
    for (const key of ['pcap', 'pcapBigEndianNs']) {
      const flowIds = await flowsOf(key, 2);
      const expected = readCaptureRecords(Buffer.concat([fileBytes(fixture(SOURCES[key as keyof typeof SOURCES])).subarray(0, 24), ...(await indexedRecords(key, flowIds))]));
      const summary = await carve(flowIds, `${key}-converted.pcapng`);
      const carved = readCaptureRecords(readFileSync(summary.path));
      const shape = (packets: typeof carved) =>
        packets.map((packet) => [packet.data.toString('hex'), packet.timestampNs, packet.originalLength, packet.linkType]);
      expect(shape(carved)).toEqual(shape(expected));
    }
  });

  it('refuses to carve packets of two link types into .pcap and leaves no file', async () => {
    const flowIds = (await service.store.rows('SELECT flow_id FROM flows WHERE capture_id = $c', { c: captureIds.pcapngTwoLinkTypes! })).map((row) => Number(row.flow_id));
    await expect(carve(flowIds, 'refused.pcap')).rejects.toThrow(/Carve them to a \.pcapng file/);
    expect(existsSync(path.join(temporary, 'refused.pcap'))).toBe(false);
    expect(existsSync(path.join(temporary, 'refused.pcap.partial'))).toBe(false);
  });

  it('stops on cancel without leaving a file', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await carve(await flowsOf('gzip', 1), 'cancelled.pcapng', controller.signal).catch((caught: unknown) => caught);
    expect(isCancellationError(error)).toBe(true);
    expect(existsSync(path.join(temporary, 'cancelled.pcapng.partial'))).toBe(false);
  });

  it('reports a capture file that changed since the ingest', async () => {
    const copy = path.join(temporary, 'changed.pcap');
    copyFileSync(fixture('web_attack_sqli.pcap'), copy);
    const captureId = (await service.ingest(copy)).capture.id;
    appendFileSync(copy, Buffer.alloc(4));
    const [row] = await service.store.rows('SELECT min(flow_id) AS id FROM flows WHERE capture_id = $c', { c: captureId });
    await expect(carve([Number(row!.id)], 'changed-out.pcap')).rejects.toThrow(/has changed since it was ingested/);
  });

  it('says so when nothing matches', async () => {
    await expect(carveFlows(service.store, { where: 'false' }, path.join(temporary, 'none.pcap'))).rejects.toThrow(/No packets match/);
  });
});
