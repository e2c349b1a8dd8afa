/**
 * issue #5 - ingest builds each capture's detection summaries (flowlab-service.ts ingestNow),
 * detection reads them with the same findings as from the packet index, and removing a capture
 * removes its summary rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMissingDetectSummaries, detectSummariesCover } from '../../../src/main/detect/detect-summaries';
import { DETECT_SUMMARY_TABLES } from '../../../src/main/detect/detect-summary-schema';
import { runDetections } from '../../../src/main/detect/run-detections';
import { FlowlabService } from '../../../src/main/service/flowlab-service';

const PCAPS = path.resolve(import.meta.dirname, '../../fixtures/pcaps');
const FILES = [
  'tcp_scan_with_arp.pcap',
  'ftp_bruteforce.pcap',
  'smb2_read_write.pcap',
  'dns_tunnel_iodine.pcap',
  'dns_mixed_queries_mdns_llmnr.pcap',
  'dns_lab_with_nxdomain.pcapng',
];
const DNS_KINDS = ['dns-nxdomain', 'dns-tunnel'] as const;
const DNS_THRESHOLDS = [
  {},
  { nxdomainMinResponses: 1 },
  {
    nxdomainMinResponses: 0,
    dnsTunnelMinQueries: 5,
    dnsTunnelMinSubdomains: 3,
    dnsTunnelMinLabelLength: 10,
    dnsTunnelMinEntropy: 2,
  },
];

async function sameOnBothPaths(service: FlowlabService): Promise<number> {
  let compared = 0;
  for (const thresholds of DNS_THRESHOLDS) {
    const request = { kinds: [...DNS_KINDS], thresholds };
    const fromSummaries = (await runDetections(service.store, request, 'use')).findings;
    expect(fromSummaries).toEqual((await runDetections(service.store, request, 'ignore')).findings);
    compared += fromSummaries.length;
  }
  return compared;
}

describe('detection summaries after ingest', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-detect-summaries-ingest-'));
  let service: FlowlabService;
  beforeAll(async () => {
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'), { workers: 2 });
    for (const name of FILES) await service.ingest(path.join(PCAPS, name));
  }, 120_000);
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are built by each ingest and give the packet-index findings', async () => {
    const built = await service.store.rows(
      'SELECT capture_id, flows, packets FROM detect_summaries ORDER BY capture_id',
    );
    const captures = await service.listCaptures();
    expect(built).toEqual(
      captures.map((capture) => ({ capture_id: capture.id, flows: capture.flows, packets: capture.packets })),
    );
    expect(await detectSummariesCover(service.store, undefined, false)).toBe(true);
    for (const thresholds of [
      {},
      { repeatedSeqK: 0, repeatedSeqMinCount: 2 },
      { burstMinCount: 10 },
      { burstMinCount: 2 },
    ]) {
      const request = { kinds: ['repeated-seq' as const, 'burst' as const, ...DNS_KINDS], thresholds };
      const fromSummaries = (await runDetections(service.store, request, 'use')).findings;
      expect(fromSummaries).toEqual((await runDetections(service.store, request, 'ignore')).findings);
    }
    // The comparison is not empty: the FTP brute force is a burst finding. No fixture shares a
    // sequence number between flows (every value is used by one flow: no uses kept), which the
    // moments count; test/main/detect/detect-summaries.test.ts covers the flagged values.
    const bursts = (await runDetections(service.store, { kinds: ['burst'] }, 'use')).findings;
    expect(bursts.map((finding) => finding.capture_id)).toContain(captures[1]!.id);
    const moments = await service.store.rows(
      'SELECT capture_id, seq_values, sum_n, sum_n2 FROM detect_seq_moments WHERE capture_id <= 3 ORDER BY capture_id',
    );
    expect(moments).toEqual(
      [6, 270, 48].map((values, i) => ({
        capture_id: captures[i]!.id,
        seq_values: values,
        sum_n: values,
        sum_n2: values,
      })),
    );
    expect(await service.store.rows('SELECT count(*) AS n FROM detect_seq_uses')).toEqual([{ n: 0 }]);
  });

  it('give every detector the findings it has without them', async () => {
    expect((await runDetections(service.store, undefined, 'use')).findings).toEqual(
      (await runDetections(service.store, undefined, 'ignore')).findings,
    );
  });

  it('hold the DNS groups: NXDOMAIN and tunnel findings equal the live query for any thresholds', async () => {
    const findings = (await runDetections(service.store, { kinds: [...DNS_KINDS] }, 'use')).findings;
    expect(findings.some((finding) => finding.kind === 'dns-tunnel' && finding.src_ip === '10.0.2.30')).toBe(
      true,
    );
    expect(await sameOnBothPaths(service)).toBeGreaterThan(3);
  });

  it('hold the DNS groups of a capture without dns_messages (older cases: the first query of each flow)', async () => {
    const lab = (await service.listCaptures()).find(
      (capture) => capture.fileName === 'dns_mixed_queries_mdns_llmnr.pcap',
    )!;
    await service.store.run('DELETE FROM dns_messages WHERE capture_id = $id', { id: lab.id });
    expect(await detectSummariesCover(service.store, undefined, false)).toBe(false);
    expect(await buildMissingDetectSummaries(service.store)).toEqual([lab.id]);
    expect(await sameOnBothPaths(service)).toBeGreaterThan(3);
  });

  it('go when the capture is removed', async () => {
    const [first] = await service.listCaptures();
    await service.removeCapture(first!.id);
    for (const table of DETECT_SUMMARY_TABLES)
      expect(
        (
          await service.store.rows(`SELECT count(*) AS n FROM ${table} WHERE capture_id = $id`, {
            id: first!.id,
          })
        )[0]!.n,
      ).toBe(0);
    expect(await detectSummariesCover(service.store, undefined, false)).toBe(true);
    const request = { kinds: ['repeated-seq' as const, 'burst' as const, ...DNS_KINDS] };
    expect((await runDetections(service.store, request, 'use')).findings).toEqual(
      (await runDetections(service.store, request, 'ignore')).findings,
    );
  });
});
