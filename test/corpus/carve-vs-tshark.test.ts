/**
 * Carving against tshark (issue #4): the packets of a flow carved by Flowlab equal what
 * `tshark -r source -Y <that flow's filter> -w out` writes: same packet bytes, times and
 * original lengths, in the same order. tshark rewrites record headers and blocks, so records
 * are compared field by field; byte identity with the source is the core suite's check.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carveFlows } from '../../src/main/carve/carve-flows';
import { FlowlabService } from '../../src/main/service/flowlab-service';
import { corpusAvailable, corpusDir } from '../helpers/corpus';
import { readCaptureRecords } from '../main/carve/read-capture-records';

/** Plain TCP/UDP captures of both formats (no tunnels, so tshark's ports are the flow's). */
const CAPTURES = ['c2_tls_beaconing.pcap', 'ssh_single_session.pcap', 'smb2_read_write.pcap', 'http_post_form.pcapng', 'ad_smbexec_lateral_movement.pcapng', 'dns_over_tcp.pcapng'];

describe.skipIf(!corpusAvailable)('carving against tshark -Y -w', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-carve-tshark-'));
  let service: FlowlabService;

  beforeAll(async () => {
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'), { workers: 1 });
  });
  afterAll(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(CAPTURES)('%s: the three largest TCP/UDP flows equal tshark\'s', async (name) => {
    const source = path.join(corpusDir, name);
    const captureId = (await service.ingest(source, { idleTimeoutSeconds: 0, activeTimeoutSeconds: 0 })).capture.id;
    const flows = await service.store.rows(
      `SELECT flow_id, ip_version, protocol, src_ip, dst_ip, src_port, dst_port FROM flows
       WHERE capture_id = $c AND protocol IN (6, 17) ORDER BY bidirectional_packets DESC, flow_id LIMIT 3`,
      { c: captureId },
    );
    expect(flows.length).toBeGreaterThan(0);
    const format = name.endsWith('.pcapng') ? 'pcapng' : 'pcap';
    for (const flow of flows) {
      const ip = flow.ip_version === 6 ? 'ipv6' : 'ip';
      const transport = flow.protocol === 6 ? 'tcp' : 'udp';
      const filter = `${ip}.addr == ${String(flow.src_ip)} && ${ip}.addr == ${String(flow.dst_ip)} && ${transport}.port == ${Number(flow.src_port)} && ${transport}.port == ${Number(flow.dst_port)}`;
      const ours = path.join(dir, `${name}-${Number(flow.flow_id)}.${format}`);
      const theirs = path.join(dir, `${name}-${Number(flow.flow_id)}-tshark.${format}`);
      await carveFlows(service.store, { where: 'flow_id = $id', params: { id: Number(flow.flow_id) } }, ours);
      execFileSync('tshark', ['-r', source, '-Y', filter, '-F', format, '-w', theirs], { stdio: 'ignore' });
      const shape = (file: string) =>
        readCaptureRecords(readFileSync(file)).map((packet) => `${packet.timestampNs} ${packet.originalLength} ${packet.data.toString('hex')}`);
      const expected = shape(theirs);
      expect(expected.length, filter).toBeGreaterThan(0);
      expect(shape(ours), filter).toEqual(expected);
    }
  });
});
