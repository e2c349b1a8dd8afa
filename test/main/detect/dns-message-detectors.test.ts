/**
 * The DNS detectors read every DNS message (dns_messages), not only each flow's first query:
 * iodine sends all its queries over one UDP flow, and the finding must count them all (tshark
 * is the oracle for the count). dnscat2 without a domain (dnscat.<hex> names) is one tunnel.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDetections } from '../../../src/main/detect/run-detections';
import { FlowlabService } from '../../../src/main/service/flowlab-service';

const PCAPS = path.resolve(import.meta.dirname, '../../fixtures/pcaps');
const HAS_TSHARK = existsSync('/usr/bin/tshark');
if (!HAS_TSHARK) console.warn('SKIPPED DNS detector counts vs tshark: /usr/bin/tshark not found');

function tsharkCount(file: string, filter: string): number {
  const out = execFileSync('tshark', ['-r', file, '-Y', filter], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.trim() === '' ? 0 : out.trim().split('\n').length;
}

describe('DNS detectors over dns_messages', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-dns-detect-'));
  let service: FlowlabService;
  beforeAll(async () => {
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'), { workers: 2 });
    for (const name of ['dns_tunnel_iodine.pcap', 'dns_tunnel_dnscat2_exfiltration.pcap'])
      await service.ingest(path.join(PCAPS, name));
  }, 120_000);
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!HAS_TSHARK)('counts every query of a one-flow tunnel (iodine)', async () => {
    const { findings } = await runDetections(service.store);
    const tunnels = findings.filter((finding) => finding.kind === 'dns-tunnel' && finding.src_ip === '10.0.2.30');
    expect(tunnels).toHaveLength(1);
    const queries = tsharkCount(path.join(PCAPS, 'dns_tunnel_iodine.pcap'), 'dns.flags.response == 0');
    expect(queries).toBeGreaterThan(100);
    expect(tunnels[0]!.metrics.queries).toBe(queries);
    expect(tunnels[0]!.flows).toBe(1);
  });

  it('groups domain-less dnscat2 names into one tunnel', async () => {
    const { findings } = await runDetections(service.store);
    const tunnels = findings.filter((finding) => finding.kind === 'dns-tunnel' && finding.src_ip === '192.168.220.56');
    expect(tunnels).toHaveLength(1);
    expect(tunnels[0]!.metrics.domain).toBe('dnscat');
    expect(tunnels[0]!.metrics.subdomains).toBeGreaterThanOrEqual(100);
  });
});
