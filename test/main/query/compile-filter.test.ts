import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFlowFilter } from '../../../src/main/query/compile-flow-filter';
import type { FlowlabService } from '../../../src/main/service/flowlab-service';
import { parseCidr, parseIpAddress } from '../../../src/shared/filter/ip-address';
import type { FlowFilter } from '../../../src/shared/query-types';
import { buildSyntheticCase, CAPTURE1_FLOWS, CAPTURE2_FLOWS } from './synthetic-case';

const ALL = [...CAPTURE1_FLOWS, ...CAPTURE2_FLOWS];

describe('FlowFilter → SQL', () => {
  let dir: string;
  let service: FlowlabService;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-compile-'));
    ({ service } = await buildSyntheticCase(dir));
  });
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const matching = async (filter: FlowFilter): Promise<string[]> => {
    const { where, params } = compileFlowFilter(filter);
    const rows = await service.store.rows(
      `SELECT src_ip || '>' || dst_ip AS pair FROM flows WHERE ${where} ORDER BY flow_id`,
      params.values,
    );
    return rows.map((row) => String(row.pair));
  };
  const pairs = (predicate: (flow: (typeof ALL)[number]) => boolean) =>
    [...CAPTURE1_FLOWS.filter(predicate), ...CAPTURE2_FLOWS.filter(predicate)].map(
      (flow) => `${flow.strings.src_ip}>${flow.strings.dst_ip}`,
    );

  it('puts values only in parameters, never in the SQL text', () => {
    const { where, params } = compileFlowFilter({
      expression: "tls_sni = 'evil.example' and dst_port in (443, 8443)",
      hosts: ['10.0.0.1'],
    });
    expect(where).not.toContain('evil');
    expect(where).not.toContain('443');
    expect(where).not.toContain('10.0.0.1');
    expect(Object.values(params.values)).toEqual(
      expect.arrayContaining(['evil.example', 443, 8443, '10.0.0.1']),
    );
  });

  it('matches the same flows as the predicate computed in JS', async () => {
    expect(await matching({ expression: 'dst_port = 443 and src2dst_packets > 3' })).toEqual(
      pairs((f) => f.numbers.dst_port === 443 && f.numbers.src2dst_packets! > 3),
    );
    expect(await matching({ expression: "application != 'TLS'" })).toEqual(
      pairs((f) => f.strings.application !== 'TLS'),
    );
    expect(await matching({ expression: 'not application = TLS' })).toEqual(
      pairs((f) => f.strings.application !== 'TLS'),
    );
    expect(await matching({ expression: 'application is null' })).toEqual(
      pairs((f) => f.strings.application == null),
    );
    expect(await matching({ expression: "dns_query contains 'example.com'" })).toEqual(
      pairs((f) => /example\.com/i.test(f.strings.dns_query ?? '')),
    );
    expect(await matching({ expression: 'first_seen >= 2024-01-01T01:00:00Z' })).toEqual(
      pairs((f) => f.numbers.first_seen! >= 1704070800e6),
    );
  });

  it.each([
    '10.0.0.0/8',
    '10.0.0.0/30',
    '10.0.0.0/9',
    '192.168.1.0/24',
    '192.168.1.4/31',
    '0.0.0.0/0',
    '2001:db8::/32',
    '2001:4860::/28',
    '::/0',
    'fe80::/10',
  ])('CIDR %s matches exactly the addresses inside it', async (cidr) => {
    const range = parseCidr(cidr)!;
    const inside = (text: string | null | undefined) => {
      const address = text ? parseIpAddress(text) : undefined;
      return Boolean(
        address &&
        address.version === range.version &&
        address.value >= range.first &&
        address.value <= range.last,
      );
    };
    expect(await matching({ expression: `src_ip in ${cidr} or dst_ip in ${cidr}` })).toEqual(
      pairs((f) => inside(f.strings.src_ip) || inside(f.strings.dst_ip)),
    );
    expect(await matching({ expression: `not src_ip in ${cidr}` })).toEqual(
      pairs((f) => !inside(f.strings.src_ip)),
    );
  });

  it('compiles hosts, hostPair, captureIds, timeRange and column filters', async () => {
    expect(await matching({ hosts: ['8.8.8.8', '2001:DB8::1'] })).toEqual(
      pairs((f) => ['8.8.8.8', '2001:db8::1'].some((h) => f.strings.src_ip === h || f.strings.dst_ip === h)),
    );
    expect(await matching({ hostPair: { a: '10.0.0.1', b: '192.168.1.5' } })).toEqual([
      '192.168.1.5>10.0.0.1',
    ]);
    expect(await matching({ captureIds: [2] })).toEqual(['10.9.9.9>10.0.0.1']);
    expect(await matching({ captureIds: [] })).toEqual([]);
    expect(
      await matching({ timeRange: { from: '2024-01-01T00:00:00Z', to: '2024-01-01T00:01:00Z' } }),
    ).toEqual(pairs((f) => f.numbers.first_seen! < 1704067260e6));
    expect(
      await matching({ columns: { dst_port: { kind: 'number', op: 'between', value: 20, valueTo: 60 } } }),
    ).toEqual(pairs((f) => f.numbers.dst_port! >= 20 && f.numbers.dst_port! <= 60));
    expect(
      await matching({ columns: { application: { kind: 'text', op: 'startsWith', value: 'tl' } } }),
    ).toEqual(pairs((f) => /^tl/i.test(f.strings.application ?? '')));
    expect(await matching({ columns: { application: { kind: 'blank', blank: true } } })).toEqual(
      pairs((f) => !f.strings.application),
    );
  });

  describe('SQL injection', () => {
    const payloads = [
      "'; DROP TABLE flows; --",
      '1 or 1=1) --',
      '\u2019 OR \u20181\u2019=\u20181',
      '" OR ""="',
      "\\'; DELETE FROM flows; --",
      '$p1',
      '); DROP TABLE flows; SELECT (1',
    ];

    it.each(payloads)('a quoted payload %j is a literal value that matches nothing', async (payload) => {
      const quoted = `'${payload.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
      expect(await matching({ expression: `tls_sni = ${quoted}` })).toEqual([]);
      expect(
        await matching({ columns: { tls_sni: { kind: 'text', op: 'contains', value: payload } } }),
      ).toEqual([]);
      expect(await matching({ hosts: [payload] })).toEqual([]);
    });

    it.each(payloads)('an unquoted payload %j is rejected with a clear error', (payload) => {
      expect(() => compileFlowFilter({ expression: `dst_port = ${payload}` })).toThrow(/at position \d+/);
    });

    it.each([
      'flows; drop',
      'src_ip; DROP TABLE flows',
      'src_ip"',
      '"src_ip"',
      'SRC_IP',
      '__proto__',
      'constructor',
    ])('column name %j in a column filter is rejected', (name) => {
      expect(() => compileFlowFilter({ columns: { [name]: { kind: 'blank', blank: true } } })).toThrow(
        /Expected a flow column name/,
      );
    });

    it('rejects wrongly shaped filters from the wire', () => {
      expect(() => compileFlowFilter({ expression: 42 } as never)).toThrow(
        /Expected a string for filter.expression/,
      );
      expect(() => compileFlowFilter({ captureIds: ['1; DROP TABLE flows'] } as never)).toThrow(/integers/);
      expect(() => compileFlowFilter({ timeRange: { from: "'; DROP TABLE flows; --", to: 'x' } })).toThrow(
        /ISO 8601/,
      );
      expect(() =>
        compileFlowFilter({
          columns: { dst_port: { kind: 'number', op: 'eq', value: '1 or 1=1' } },
        } as never),
      ).toThrow(/finite number/);
      expect(() =>
        compileFlowFilter({ columns: { dst_port: { kind: 'number', op: 'eq; DROP', value: 1 } } } as never),
      ).toThrow(/op eq/);
    });

    it('leaves the flows table intact after all of the above', async () => {
      const rows = await service.store.rows('SELECT count(*) AS n FROM flows');
      expect(rows[0]!.n).toBe(ALL.length);
    });
  });
});
