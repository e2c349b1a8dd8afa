/**
 * Results are identical whatever the worker count and block size: the same captures ingested
 * with 1 worker and tiny blocks and with 2 workers and large blocks give the same flows and
 * packet index, every column.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FlowlabService } from '../../../src/main/service/flowlab-service';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/pcaps');
const captures = [
  'tls_firefox_ntop_org.pcap',
  'fmt_pcapng_be_3sections_5ifaces.pcapng',
  'fmt_pcapng_gzip_telnet_long_line.pcapng.gz',
  'ipv4_fragments_nfs_udp.pcap',
  'dns_tunnel_iodine.pcap',
  'fmt_pcapng_le_nrb_spb_epb_mixed.pcapng',
  'dns_mixed_queries_mdns_llmnr.pcap',
  'ftp_bruteforce.pcap',
  'fmt_pcapng_11ifaces_null_raw_ether.pcapng',
  'ipv6_fragments_mdns.pcap',
];
const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-determinism-'));

async function ingestAll(name: string, workers: number, blockBytes: number, idle: number) {
  const service = await FlowlabService.open(path.join(dir, `${name}.duckdb`), { workers });
  try {
    for (const capture of captures) {
      await service.ingest(path.join(fixtures, capture), {
        workers,
        blockBytes,
        idleTimeoutSeconds: idle,
        activeTimeoutSeconds: 60,
      });
    }
    const flows = await service.store.rows('SELECT * FROM flows ORDER BY flow_id');
    const packets = await service.store.rows('SELECT * FROM packets ORDER BY capture_id, packet_number');
    return { flows, packets };
  } finally {
    await service.close();
  }
}

describe('ingest determinism', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const idle of [5, 0]) {
    it(`gives identical flows and packets for 1 worker/tiny blocks and 2 workers/large blocks (idle ${idle}s)`, async () => {
      const small = await ingestAll(`small-${idle}`, 1, 256, idle);
      const large = await ingestAll(`large-${idle}`, 2, 8 << 20, idle);
      expect(small.packets.length).toBeGreaterThan(1000);
      expect(small.flows.length).toBeGreaterThan(50);
      expect(large.packets.length).toBe(small.packets.length);
      expect(large.flows.length).toBe(small.flows.length);
      for (let i = 0; i < small.flows.length; i++)
        expect(large.flows[i], `flow row ${i}`).toEqual(small.flows[i]);
      for (let i = 0; i < small.packets.length; i++)
        expect(large.packets[i], `packet row ${i}`).toEqual(small.packets[i]);
    });
  }
});
