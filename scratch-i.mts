import { FlowlabService } from './src/main/service/flowlab-service';
import { rmSync } from 'node:fs';
rmSync('/tmp/ing.duckdb', { force: true });
const s = await FlowlabService.open('/tmp/ing.duckdb');
try { const r = await s.ingest('test/fixtures/pcaps/tls_firefox_ntop_org.pcap', { workers: 1 }); console.log(r.capture.flows, r.capture.packets, r.capture.status); } catch (e) { console.log('ERR', (e as Error).message); }
await s.close();
