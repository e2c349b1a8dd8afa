/**
 * How long the Electron main thread's event loop stalls while a capture ingests (issue #2: "the
 * Electron main event loop never blocks for more than a few ms"), with the backend on its worker
 * thread (BackendClient, what src/main/index.ts uses) and, for comparison, in this thread.
 *   node --import tsx bench/main-loop-bench.ts <capture> [--in-process]
 * Prints the event-loop delay of this thread during the ingest (max, p99, mean) and the time.
 * Run it through the launcher's malloc setting for the desktop's figures:
 *   MALLOC_MMAP_THRESHOLD_=131072 node --import tsx bench/main-loop-bench.ts FILE
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createApiHandlers } from '../src/main/query/api-handlers';
import { BackendClient } from '../src/main/service/backend-client';
import { FlowlabService } from '../src/main/service/flowlab-service';
import type { ApiHandlers } from '../src/shared/api-contract';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { 'in-process': { type: 'boolean' } } });
const capture = positionals[0];
if (!capture) {
  process.stderr.write('usage: node --import tsx bench/main-loop-bench.ts <capture> [--in-process]\n');
  process.exit(2);
}
const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-main-loop-'));
const casePath = path.join(dir, 'case.duckdb');
const events = { emit: () => undefined };
let api: ApiHandlers;
let close: () => Promise<void>;
if (values['in-process']) {
  const service = await FlowlabService.open(casePath);
  api = createApiHandlers(service, events);
  close = () => service.close();
} else {
  const client = new BackendClient(events);
  await client.open(casePath);
  api = client.handlers;
  close = () => client.close();
}
try {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const [result] = await api['ingest.start']({ paths: [path.resolve(capture)] });
  const seconds = (performance.now() - started) / 1000;
  delay.disable();
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  process.stdout.write(
    `${values['in-process'] ? 'in-process' : 'backend worker'}: ${result?.capture.packets} packets, ${result?.capture.flows} flows in ${seconds.toFixed(1)} s; ` +
      `main event-loop delay max ${ms(delay.max)} ms, p99 ${ms(delay.percentile(99))} ms, mean ${ms(delay.mean)} ms\n`,
  );
} finally {
  await close();
  rmSync(dir, { recursive: true, force: true });
}
