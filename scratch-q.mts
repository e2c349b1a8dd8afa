import { FlowlabService } from './src/main/service/flowlab-service';
const service = await FlowlabService.open('/tmp/flowlab-perf/case.duckdb');
const c = service.store.connection;
async function time(sql: string) {
  await c.runAndReadAll(sql);
  let t = performance.now(); const reader = await c.runAndReadAll(sql); const q = performance.now() - t;
  t = performance.now(); reader.getRowObjectsJS(); const conv = performance.now() - t;
  console.log(q.toFixed(1).padStart(8), conv.toFixed(1).padStart(8), sql.slice(0, 150));
}
console.log((await c.runAndReadAll("SELECT name, value FROM duckdb_settings() WHERE name LIKE '%late%' OR name LIKE '%index_scan%'")).getRowObjectsJS());
await time(`SELECT max(src_ip) FROM flows`);
await time(`SELECT * FROM flows ORDER BY bidirectional_bytes DESC LIMIT 40`);
await time(`SELECT * FROM flows ORDER BY bidirectional_bytes DESC LIMIT 100`);
await c.run('SET late_materialization_max_rows = 100000');
await time(`SELECT * FROM flows ORDER BY bidirectional_bytes DESC LIMIT 100`);
await time(`SELECT * FROM flows ORDER BY bidirectional_bytes DESC, flow_id LIMIT 100 OFFSET 1000`);
await time(`SELECT * FROM flows WHERE dst_port = 443 ORDER BY tls_sni LIMIT 100`);
await time(`SELECT to_json(f) FROM (SELECT * FROM flows ORDER BY bidirectional_bytes DESC LIMIT 100) f`);
