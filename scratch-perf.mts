import { mkdtempSync, existsSync } from 'node:fs';
import { FlowlabService } from './src/main/service/flowlab-service';
import { createApiHandlers } from './src/main/query/api-handlers';
const casePath = '/tmp/flowlab-perf/case.duckdb';
const fresh = !existsSync(casePath);
if (fresh) mkdtempSync('/tmp/x'); 
const { mkdirSync } = await import('node:fs'); mkdirSync('/tmp/flowlab-perf', { recursive: true });
const service = await FlowlabService.open(casePath);
const N = 4_000_000;
if (fresh) {
  const t = performance.now();
  await service.store.run(`INSERT INTO flows (flow_id, capture_id, ip_version, protocol, src_ip, src_port, dst_ip, dst_port, first_seen, last_seen, duration_ms, bidirectional_packets, bidirectional_bytes, src2dst_packets, src2dst_bytes, dst2src_packets, dst2src_bytes, bidirectional_mean_piat_ms, application, tls_sni)
    SELECT 4294967296 + i, 1, 4, CASE WHEN i % 3 = 0 THEN 17 ELSE 6 END,
      '10.' || (i % 200) || '.' || (i // 200 % 250) || '.' || (i % 7), (i * 7919) % 65536,
      (i % 97) || '.' || (i % 13) || '.1.' || (i % 250), CASE WHEN i % 5 = 0 THEN 443 WHEN i % 5 = 1 THEN 53 ELSE (i * 31) % 1024 END,
      TIMESTAMP '2024-01-01' + to_microseconds(i * 900), TIMESTAMP '2024-01-01' + to_microseconds(i * 900 + 5000000), 5000,
      i % 50 + 1, (i * 37) % 100000, i % 30 + 1, (i * 17) % 60000, i % 20, (i * 19) % 40000, (i % 1000) / 7.0,
      CASE WHEN i % 4 = 0 THEN 'TLS' WHEN i % 4 = 1 THEN 'DNS' ELSE NULL END, CASE WHEN i % 4 = 0 THEN 'host' || (i % 5000) || '.example.org' END
    FROM range(${N}) t(i)`);
  await service.store.run(`INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, status) VALUES (1, '/x', 'x', 1, 'x', 'complete')`);
  console.log('built in', performance.now() - t);
}
const h = createApiHandlers(service, { emit: () => {} });
async function time(name: string, fn: () => Promise<unknown>) {
  await fn();
  const t = performance.now(); await fn(); const ms = performance.now() - t;
  console.log(name.padEnd(60), ms.toFixed(1), 'ms');
}
await time('page no filter sort bytes desc', () => h['flows.page']({ filter: {}, sort: [{ column: 'bidirectional_bytes', direction: 'desc' }], offset: 0, limit: 100 }));
await time('page filter dst_port=443 and pkts>10, sort sni', () => h['flows.page']({ filter: { expression: 'dst_port = 443 and src2dst_packets > 10' }, sort: [{ column: 'tls_sni', direction: 'asc' }], offset: 0, limit: 100 }));
await time('page filter cidr, sort first_seen desc, offset 100000', () => h['flows.page']({ filter: { expression: 'src_ip in 10.0.0.0/9' }, sort: [{ column: 'first_seen', direction: 'desc' }], offset: 100000, limit: 100 }));
await time('page filter contains', () => h['flows.page']({ filter: { expression: "tls_sni contains 'host12'" }, sort: [{ column: 'duration_ms', direction: 'asc' }], offset: 0, limit: 100 }));
await time('page all cols, sort src_ip, offset 2M', () => h['flows.page']({ filter: { expression: 'protocol = 6' }, sort: [{ column: 'src_ip', direction: 'asc' }], offset: 2000000, limit: 100 }));
await time('count', () => h['flows.count']({ filter: { expression: 'dst_port = 443' } }));
await time('timeseries', () => h['dashboard.timeseries']({ filter: {} }));
await time('top src_ip', () => h['dashboard.top']({ filter: {}, by: 'src_ip' }));
await time('top tcp_port', () => h['dashboard.top']({ filter: {}, by: 'tcp_port' }));
await time('iat', () => h['dashboard.iatHistogram']({ filter: {} }));
await time('hosts.page', () => h['hosts.page']({ filter: {}, offset: 0, limit: 100 }));
await time('hosts.graph top 500', () => h['hosts.graph']({ filter: {}, topN: 500 }));
await service.close();
