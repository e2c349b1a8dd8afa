/**
 * Hostile input through every API channel (issue #7): whatever a request holds (SQL-injection
 * payloads in any string field, sort keys and column names, wrong types, huge and deeply nested
 * values, prototype-pollution keys) it is either rejected with a clear error or treated as
 * data. Never a crash of our own code (TypeError, RangeError), never a DuckDB parser or binder
 * error (user text reaching SQL), and afterwards the case holds exactly what it held before and
 * no file appeared outside the case's directory.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CHANNELS, type ApiChannel } from '../../../src/shared/api-contract';
import { createApiHandlers, type ApiHandlersWithIngest } from '../../../src/main/query/api-handlers';
import type { FlowlabService } from '../../../src/main/service/flowlab-service';
import { buildSyntheticCase } from './synthetic-case';

const SQL_PAYLOADS = [
  "'; DROP TABLE flows; --",
  '1 OR 1=1',
  'flows; DROP TABLE flows',
  '" OR ""="',
  'src_ip) UNION SELECT * FROM captures --',
  '$1',
  "'); ATTACH '/tmp/evil.duckdb' AS evil; --",
  "COPY flows TO '/tmp/flowlab-pwned.csv'",
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '<script>alert(1)</script>',
  '\u202eexe.txt',
  'a\u0000b',
  '__proto__',
];

const GARBAGE: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  2 ** 53,
  true,
  '',
  'x'.repeat(1 << 20),
  [],
  [null],
  {},
  JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}'),
  nested(2000),
  ...SQL_PAYLOADS,
];

function nested(depth: number): unknown {
  let value: unknown = { filter: { expression: 'dst_port = 1' } };
  // A chain, not a DAG: the wire (JSON) cannot share subtrees.
  for (let i = 0; i < depth; i++) value = i % 2 ? { filter: value } : [value];
  return value;
}

/** Valid requests to mutate field by field (channels not listed get only the garbage requests). */
const BASE: Partial<Record<ApiChannel, unknown>> = {
  'flows.page': {
    filter: {
      expression: 'dst_port = 443',
      columns: { tls_sni: { kind: 'text', op: 'contains', value: 'a' } },
      hosts: ['10.0.0.1'],
      hostPair: { a: '10.0.0.1', b: '10.0.0.2' },
      captureIds: [1],
      timeRange: { from: '2024-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' },
    },
    sort: [{ column: 'src_ip', direction: 'asc' }],
    offset: 0,
    limit: 10,
    columns: ['src_ip', 'tls_sni'],
  },
  'flows.count': { filter: { expression: 'application = TLS' } },
  'flows.details': { flowId: 4294967296, packetLimit: 10 },
  'flows.validateFilter': { expression: 'dst_port = 1' },
  'dashboard.timeseries': { filter: {}, bins: 10 },
  'dashboard.top': { filter: {}, by: 'src_ip', limit: 5 },
  'dashboard.iatHistogram': { filter: {}, bins: 10 },
  'dashboard.packetSizes': { filter: {}, hostA: '10.0.0.1', hostB: '10.0.0.2', limit: 10 },
  'hosts.page': { filter: {}, sort: [{ column: 'bytes', direction: 'desc' }], offset: 0, limit: 10 },
  'hosts.graph': { filter: {}, minBytes: 0, topN: 10 },
  'hosts.countries': { filter: { captureIds: [1] } },
  'hosts.countryHosts': { filter: {}, country: 'US', limit: 10 },
  'captures.remove': { captureId: 999 },
  'labels.apply': {
    target: { filter: { expression: 'dst_port = 99999' } },
    label: 'benign',
    tags: ['t'],
    source: 'manual',
    reason: 'r',
  },
  'labels.forFlows': { flowIds: [1] },
  'labels.history': { flowId: 1 },
  'export.flows': {
    fileName: 'out.csv',
    format: 'csv',
    filter: { expression: 'dst_port = 99999' },
    columns: ['src_ip'],
  },
  'export.openInWireshark': { path: 'out.pcap' },
};

/** Copies of `value` with one leaf (or one key) replaced by each replacement. */
function* variants(value: unknown, replacements: readonly unknown[]): Generator<unknown> {
  for (const replacement of replacements) yield replacement;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      for (const inner of variants(value[i], replacements))
        yield value.map((item, j) => (j === i ? inner : item));
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      for (const inner of variants(record[key], replacements)) yield { ...record, [key]: inner };
    }
    // Hostile keys where column names are keys (column filters).
    if ('tls_sni' in record) for (const name of SQL_PAYLOADS) yield { [name]: record.tls_sni };
  }
}

/** What the channels must never answer with: our own crash, or user text reaching SQL. */
function badError(error: unknown): string | undefined {
  if (error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError)
    return `${error.name}: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  if (/Parser Error|Binder Error|Catalog Error|syntax error|Conversion Error/i.test(message)) return message;
  if (!(error instanceof Error)) return `non-Error thrown: ${message}`;
  return undefined;
}

describe('hostile API requests', () => {
  let dir: string;
  let service: FlowlabService;
  let handlers: ApiHandlersWithIngest;
  let before: string;
  let files: string[];

  const snapshot = async (): Promise<string> =>
    JSON.stringify([
      await service.store.rows(
        'SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY 1',
      ),
      await service.store.rows('SELECT count(*) AS n, sum(flow_id) AS ids FROM flows'),
      await service.store.rows('SELECT count(*) AS n FROM packets'),
      await service.store.rows('SELECT id, status, flows FROM captures ORDER BY id'),
    ]);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-hostile-'));
    ({ service } = await buildSyntheticCase(dir));
    handlers = createApiHandlers(service, { emit: () => undefined });
    before = await snapshot();
    files = readdirSync(dir).sort();
  });
  afterAll(async () => {
    await handlers.ingest.idle();
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([...API_CHANNELS])(
    '%s: every hostile request is rejected cleanly or treated as data',
    async (channel) => {
      const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
      const requests =
        BASE[channel] === undefined ? GARBAGE : [...variants(BASE[channel], [...GARBAGE, ...SQL_PAYLOADS])];
      const problems: string[] = [];
      for (const request of requests) {
        if (channel === 'ingest.cancel' || channel === 'export.cancel') continue; // nothing to hurt; tested elsewhere
        let error: unknown;
        const started = performance.now();
        try {
          await handler(request);
        } catch (caught) {
          error = caught;
        }
        const ms = performance.now() - started;
        if (process.env.FLOWLAB_HOSTILE_TRACE && ms > 200)
          console.log(channel, Math.round(ms), JSON.stringify(request)?.slice(0, 120));
        const problem = error === undefined ? undefined : badError(error);
        if (problem) problems.push(`${JSON.stringify(request)?.slice(0, 160)} -> ${problem.slice(0, 200)}`);
      }
      expect(problems).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('leaves the case and its directory as they were', async () => {
    await handlers.ingest.idle();
    const after = await snapshot();
    // Label acts on no flows may add batches; the data tables and captures must be unchanged.
    expect(after).toBe(before);
    const extra = readdirSync(dir).filter(
      (name) => !files.includes(name) && !/^case(\.duckdb)?(-exports|\.wal|\.tmp)?$/.test(name),
    );
    expect(extra).toEqual([]);
  });
});
