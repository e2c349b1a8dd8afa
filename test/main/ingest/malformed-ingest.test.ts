/**
 * Bad input through the whole ingest path: every malformed fixture either ingests (keeping the
 * packets before the damage, with a warning that says where) or fails with a one-line
 * FlowlabError; nothing already in the case is lost.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowlabError } from '../../../src/shared/errors';
import { FlowlabService } from '../../../src/main/service/flowlab-service';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures');
const malformed = readdirSync(path.join(fixtures, 'malformed'))
  .filter((file) => file !== 'MANIFEST.tsv')
  .sort();

/** Files whose header is unreadable: the ingest must refuse them (see test/main/framer/malformed-captures.test.ts). */
const REFUSED = new Set([
  'pcap_invalid_major_version_1.pcap',
  'pcapng_invalid_version_0.1.pcapng',
  'solaris_snoop_format.snoop',
  'zstd_compressed_pcapng.pcapng.zst',
  'pcapng_fragment_no_shb.bin',
  'pcap_modified_kuznetzov_magic.pcap',
  'pcapng_shb_option_too_long.pcapng',
]);

describe('ingest of malformed captures', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-malformed-'));
  let service: FlowlabService;
  let before: { flows: number; packets: number };

  beforeAll(async () => {
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'), { workers: 2 });
    const good = await service.ingest(path.join(fixtures, 'pcaps/dns_mixed_queries_mdns_llmnr.pcap'));
    before = { flows: good.capture.flows, packets: good.capture.packets };
  });
  afterAll(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const file of malformed) {
    it(file, async () => {
      const attempt = service.ingest(path.join(fixtures, 'malformed', file));
      if (REFUSED.has(file)) {
        const error = await attempt.then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(FlowlabError);
        expect((error as FlowlabError).message).not.toContain('\n');
        expect((error as FlowlabError).message.length).toBeGreaterThan(20);
      } else {
        const { capture } = await attempt;
        expect(capture.status).toBe('complete');
        const rows = await service.store.rows('SELECT count(*) AS n FROM packets WHERE capture_id = $id', {
          id: capture.id,
        });
        expect(rows[0]!.n).toBe(capture.packets);
        for (const warning of capture.warnings) expect(warning).not.toMatch(/undefined|NaN/);
      }
    });
  }

  it('damaged files keep the packets before the damage and say where it is', async () => {
    const { capture } = await service.ingest(
      path.join(fixtures, 'malformed/pcapng_truncated_last_block.pcapng'),
    );
    expect(capture.packets).toBe(27);
    expect(capture.warnings.join(' ')).toMatch(/packet #28 at offset 0x3070/);
  });

  it('loses nothing already in the case', async () => {
    const rows = await service.store.rows(
      "SELECT c.flows, (SELECT count(*) FROM packets p WHERE p.capture_id = c.id) AS packets FROM captures c WHERE file_name = 'dns_mixed_queries_mdns_llmnr.pcap'",
    );
    expect(rows).toEqual([{ flows: before.flows, packets: before.packets }]);
  });
});
