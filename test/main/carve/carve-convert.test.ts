/**
 * issue #4 - carving across formats: pcapng → pcap (records rebuilt around the same packet
 * bytes with the packet index's times) and pcap → pcapng. tshark reads each carved file and must
 * see the same frames (length, time, protocol stack) as it sees in the source for those packets.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carveFlows } from '../../../src/main/carve/carve-flows';
import type { CarveOptions } from '../../../src/main/carve/carve-flows';
import { FlowlabService } from '../../../src/main/service/flowlab-service';

const fixture = (name: string) => path.resolve(import.meta.dirname, '../../fixtures/pcaps', name);
const SOURCES = {
  pcapngEther: 'http_post_form.pcapng',
  pcapngBigEndianSections: 'fmt_pcapng_be_3sections_5ifaces.pcapng',
  pcapngTwoLinkTypes: 'fmt_pcapng_2ifaces_sll_ether.pcapng',
  pcapMicro: 'tls_firefox_ntop_org.pcap',
  pcapBigEndianNs: 'fmt_pcap_be_nsec_http.pcap',
} as const;
type Source = keyof typeof SOURCES;
const TSHARK = existsSync('/usr/bin/tshark');
const FIELDS = ['frame.len', 'frame.cap_len', 'frame.time_epoch', 'frame.protocols'];

/** tshark's view of a file's frames (optionally only some frame numbers). */
function tsharkFrames(file: string, frameNumbers?: number[]): string[] {
  const args = ['-r', file, '-T', 'fields', ...FIELDS.flatMap((field) => ['-e', field])];
  if (frameNumbers) args.push('-Y', `frame.number in {${frameNumbers.join(',')}}`);
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
}

describe.skipIf(!TSHARK)('carving converts between pcap and pcapng (issue #4)', () => {
  let temporary: string;
  let service: FlowlabService;
  const captureIds: Partial<Record<Source, number>> = {};

  beforeAll(async () => {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'flowlab-carve-convert-'));
    service = await FlowlabService.open(path.join(temporary, 'case.duckdb'), { workers: 1 });
    for (const [key, name] of Object.entries(SOURCES)) captureIds[key as Source] = (await service.ingest(fixture(name))).capture.id;
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    rmSync(temporary, { recursive: true, force: true });
  });

  /** The largest flows of a capture whose packets all have one link type. */
  const flowsOf = async (key: Source, limit: number): Promise<number[]> =>
    (
      await service.store.rows(
        `SELECT flow_id FROM packets WHERE capture_id = $c GROUP BY flow_id HAVING count(DISTINCT link_type) = 1
         ORDER BY count(*) DESC, flow_id LIMIT $n`,
        { c: captureIds[key]!, n: limit },
      )
    ).map((row) => Number(row.flow_id));
  /** What tshark sees in the source for the packets of these flows (frame numbers from the index). */
  const sourceFrames = async (key: Source, flowIds: number[]): Promise<string[]> => {
    const rows = await service.store.rows(
      `SELECT packet_number FROM packets WHERE flow_id IN (${flowIds.join(', ')}) ORDER BY file_offset`,
    );
    // Simple Packet Blocks have no time (tshark shows none) and one fixture's SLL interface has
    // times past 2106 (no 32-bit pcap seconds field holds them; the index stores none): 0 in pcap.
    return tsharkFrames(fixture(SOURCES[key]), rows.map((row) => Number(row.packet_number))).map((line) => {
      const [length, captured, time, protocols] = line.split('\t');
      const seconds = time ? Number(time.split('.')[0]) : -1;
      return seconds >= 0 && seconds < 2 ** 32 ? line : [length, captured, '0.000000000', protocols].join('\t');
    });
  };
  const carve = (flowIds: number[], name: string, options?: CarveOptions) =>
    carveFlows(service.store, { where: `flow_id IN (${flowIds.join(', ')})` }, path.join(temporary, name), options);
  const magic = (file: string) => readFileSync(file).readUInt32LE(0).toString(16);

  it.each(['pcapngEther', 'pcapngBigEndianSections'] as const)('carves %s flows into a nanosecond pcap tshark reads as the same frames', async (key) => {
    const flowIds = await flowsOf(key, 2);
    const expected = await sourceFrames(key, flowIds);
    expect(expected.length).toBeGreaterThan(1);
    const summary = await carve(flowIds, `${key}.pcap`);
    expect(magic(summary.path)).toBe('a1b23c4d');
    expect(summary.packets).toBe(expected.length);
    expect(tsharkFrames(summary.path)).toEqual(expected);
  });

  it('writes a microsecond pcap when asked, times truncated to microseconds', async () => {
    const flowIds = await flowsOf('pcapngEther', 1);
    const expected = (await sourceFrames('pcapngEther', flowIds)).map((line) =>
      line.replace(/\t(\d+)\.(\d{6})\d{3}\t/, '\t$1.$2000\t'),
    );
    const summary = await carve(flowIds, 'micro.pcap', { pcapResolution: 'us' });
    expect(magic(summary.path)).toBe('a1b2c3d4');
    expect(tsharkFrames(summary.path)).toEqual(expected);
  });

  it('carves the single-link-type flows of a two-interface pcapng into pcap with that link type', async () => {
    const rows = await service.store.rows(
      `SELECT any_value(link_type) AS link_type, min(flow_id) AS flow_id FROM packets WHERE capture_id = $c
       GROUP BY flow_id HAVING count(DISTINCT link_type) = 1 ORDER BY link_type`,
      { c: captureIds.pcapngTwoLinkTypes! },
    );
    const linkTypes = [...new Set(rows.map((row) => Number(row.link_type)))];
    expect(linkTypes).toEqual([1, 113]);
    for (const linkType of linkTypes) {
      const flowIds = rows.filter((row) => Number(row.link_type) === linkType).slice(0, 3).map((row) => Number(row.flow_id));
      const summary = await carve(flowIds, `link-${linkType}.pcap`);
      expect(readFileSync(summary.path).readUInt32LE(20)).toBe(linkType);
      expect(tsharkFrames(summary.path)).toEqual(await sourceFrames('pcapngTwoLinkTypes', flowIds));
    }
  });

  it('refuses a pcap of packets with two link types and leaves no file', async () => {
    const all = (await service.store.rows('SELECT flow_id FROM flows WHERE capture_id = $c', { c: captureIds.pcapngTwoLinkTypes! })).map((row) => Number(row.flow_id));
    await expect(carve(all, 'mixed.pcap')).rejects.toThrow(/one link type; the selected packets have 2: 1 \(\d+ packets\), 113 \(\d+ packets\)\. Carve them to a \.pcapng file/);
    expect(existsSync(path.join(temporary, 'mixed.pcap'))).toBe(false);
    expect(existsSync(path.join(temporary, 'mixed.pcap.partial'))).toBe(false);
  });

  it('merges pcap captures of different byte order and resolution into one nanosecond pcap', async () => {
    const micro = await flowsOf('pcapMicro', 1);
    const nano = await flowsOf('pcapBigEndianNs', 1);
    const summary = await carve([...micro, ...nano], 'merged.pcap');
    expect(magic(summary.path)).toBe('a1b23c4d');
    // Captures are carved one after the other, in capture id order.
    expect(tsharkFrames(summary.path)).toEqual([...(await sourceFrames('pcapMicro', micro)), ...(await sourceFrames('pcapBigEndianNs', nano))]);
  });

  it('still copies a single pcap byte for byte when no other resolution is asked', async () => {
    const flowIds = await flowsOf('pcapMicro', 1);
    const summary = await carve(flowIds, 'copied.pcap');
    expect(readFileSync(summary.path).subarray(0, 24)).toEqual(readFileSync(fixture(SOURCES.pcapMicro)).subarray(0, 24));
    const nano = await carve(flowIds, 'copied-ns.pcap', { pcapResolution: 'ns' });
    expect(magic(nano.path)).toBe('a1b23c4d');
    expect(tsharkFrames(nano.path)).toEqual(tsharkFrames(summary.path));
  });

  it.each(['pcapMicro', 'pcapBigEndianNs'] as const)('carves %s flows into a pcapng tshark reads as the same frames', async (key) => {
    const flowIds = await flowsOf(key, 2);
    const summary = await carve(flowIds, `${key}.pcapng`);
    expect(magic(summary.path)).toBe('a0d0d0a');
    expect(tsharkFrames(summary.path)).toEqual(await sourceFrames(key, flowIds));
  });
});
