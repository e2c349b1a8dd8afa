/**
 * dns_messages: one row per DNS message, compared with tshark's DNS decode of the same frames
 * (frame number, response flag, transaction id, first query name, rcode). tshark is the
 * oracle; without it (a machine without Debian's tshark package) the comparison is skipped
 * with the reason, and CI installs it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowlabService } from '../../../src/main/service/flowlab-service';

const PCAPS = path.resolve(import.meta.dirname, '../../fixtures/pcaps');
const HAS_TSHARK = existsSync('/usr/bin/tshark');
if (!HAS_TSHARK) console.warn('SKIPPED dns_messages vs tshark: /usr/bin/tshark not found (apt-get install tshark)');

const RCODES: Record<string, string> = { '0': 'NOERROR', '2': 'SERVFAIL', '3': 'NXDOMAIN', '5': 'REFUSED' };

/** tshark's DNS messages over UDP port 53: "frame response id first-query rcode" per line. */
function tsharkMessages(file: string): string[] {
  const out = execFileSync(
    'tshark',
    ['-r', file, '-Y', 'dns && udp', '-T', 'fields', '-E', 'separator=\t', '-e', 'frame.number', '-e', 'dns.flags.response', '-e', 'dns.id', '-e', 'dns.qry.name', '-e', 'dns.flags.rcode'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return out
    .trim()
    .split('\n')
    .map((line) => {
      const [frame, response, id, names, rcode] = line.split('\t');
      const isResponse = response === 'True' || response === '1';
      const rcodeName = isResponse ? (RCODES[rcode!] ?? `RCODE${rcode}`) : '';
      return `${frame} ${isResponse} ${Number(id)} ${names!.split(',')[0]} ${rcodeName}`;
    });
}

describe('dns_messages', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-dns-'));
  let service: FlowlabService;
  beforeAll(async () => {
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'), { workers: 2 });
  });
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!HAS_TSHARK).each(['dns_lab_with_nxdomain.pcapng', 'dns_tunnel_iodine.pcap', 'dns_nxdomain_single.pcap'])(
    '%s: every DNS message over UDP, as tshark decodes it',
    async (name) => {
      const { capture } = await service.ingest(path.join(PCAPS, name));
      const rows = await service.store.rows(
        `SELECT packet_number, is_response, transaction_id, query, rcode FROM dns_messages m
         JOIN packets p USING (capture_id, packet_number)
         WHERE m.capture_id = $id AND p.protocol = 17 ORDER BY packet_number`,
        { id: capture.id },
      );
      const ours = rows.map(
        (row) => `${row.packet_number} ${row.is_response} ${row.transaction_id} ${row.query ?? ''} ${row.rcode ?? ''}`,
      );
      const reference = tsharkMessages(path.join(PCAPS, name));
      expect(reference.length).toBeGreaterThan(0);
      expect(ours).toEqual(reference);
    },
  );

  it('ties every message to its flow and its time, and goes when its capture is removed', async () => {
    const { capture } = await service.ingest(path.join(PCAPS, 'dns_mixed_queries_mdns_llmnr.pcap'));
    const [check] = await service.store.rows(
      `SELECT count(*) AS n, count(f.flow_id) AS with_flow, count(*) FILTER (WHERE m.ts = p.ts) AS same_time
       FROM dns_messages m JOIN packets p USING (capture_id, packet_number)
       LEFT JOIN flows f ON f.flow_id = m.flow_id AND f.flow_id = p.flow_id
       WHERE m.capture_id = $id`,
      { id: capture.id },
    );
    expect(Number(check!.n)).toBeGreaterThan(100);
    expect(Number(check!.with_flow)).toBe(Number(check!.n));
    expect(Number(check!.same_time)).toBe(Number(check!.n));
    await service.store.deleteCapture(capture.id);
    const [left] = await service.store.rows('SELECT count(*) AS n FROM dns_messages WHERE capture_id = $id', { id: capture.id });
    expect(Number(left!.n)).toBe(0);
  });
});
