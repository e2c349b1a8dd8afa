/**
 * Hostile CSV label imports (issue #7) through the `labels.import` channel: huge fields, many
 * columns, binary and wrongly encoded files (UTF-16, invalid UTF-8, NUL), formula cells and
 * quoting tricks. Each import is rejected with a clear error or reads what it can (bad rows
 * counted as skipped), never crashes, stays fast, and whatever labels result are valid class
 * names and tags: a formula never becomes a label, and a CSV export neutralises formula cells.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASS_NAME_PATTERN } from '../../../src/shared/label-types';
import { createApiHandlers, type ApiHandlersWithIngest } from '../../../src/main/query/api-handlers';
import type { FlowlabService } from '../../../src/main/service/flowlab-service';
import { buildSyntheticCase } from '../query/synthetic-case';

const HEADER = 'src_ip,src_port,dst_ip,dst_port,protocol,time,label,tags';
const ROW = (label: string, tags = '') =>
  `10.0.0.1,40000,93.184.216.34,443,tcp,2024-01-01T00:00:00Z,${label},${tags}`;

describe('hostile label imports', () => {
  let dir: string;
  let service: FlowlabService;
  let handlers: ApiHandlersWithIngest;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-hostile-import-'));
    ({ service } = await buildSyntheticCase(dir));
    handlers = createApiHandlers(service, { emit: () => undefined });
  });
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, bytes: Buffer | string): string => {
    const full = path.join(dir, name);
    writeFileSync(full, bytes);
    return full;
  };

  const inputs: [string, () => { text?: string; path?: string }][] = [
    ['a 5 MiB label field', () => ({ text: `${HEADER}\n${ROW('a'.repeat(5 << 20))}\n` })],
    [
      'a 5 MiB quoted field with newlines',
      () => ({ text: `${HEADER}\n${ROW(`"${'x\n'.repeat(5 << 19)}"`)}\n` }),
    ],
    ['100,000 columns', () => ({ text: `${HEADER}${',c'.repeat(100_000)}\n${ROW('benign')}\n` })],
    ['an unterminated quote', () => ({ text: `${HEADER}\n${ROW('"benign')}\n${ROW('malicious')}\n` })],
    [
      'formula cells',
      () => ({
        text: `${HEADER}\n${ROW('=HYPERLINK("http://evil.example")', '=1+1;@SUM(A1);+cmd')}\n${ROW("=cmd|' /C calc'!A0")}\n`,
      }),
    ],
    [
      'a UTF-16LE file with BOM',
      () => ({
        path: file(
          'utf16.csv',
          Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEADER}\n${ROW('benign')}\n`, 'utf16le')]),
        ),
      }),
    ],
    [
      'invalid UTF-8',
      () => ({
        path: file(
          'bad-utf8.csv',
          Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x2c, 0x0a])]),
        ),
      }),
    ],
    [
      'NUL bytes and control characters',
      () => ({ text: `${HEADER}\n${ROW('ben\u0000ign', '\u001b[31m;\u202e')}\n` }),
    ],
    [
      'a binary file',
      () => ({
        path: file('random.bin', Buffer.from(Array.from({ length: 1 << 16 }, (_, i) => (i * 7919) & 0xff))),
      }),
    ],
    ['an empty file', () => ({ path: file('empty.csv', '') })],
    ['a directory', () => ({ path: dir })],
    ['a missing file', () => ({ path: path.join(dir, 'missing.csv') })],
  ];

  it.each(inputs)(
    '%s: rejected cleanly or read as data, quickly',
    async (_name, input) => {
      const started = performance.now();
      let error: unknown;
      try {
        const result = await handlers['labels.import']({ format: 'five-tuple', ...input() });
        expect(result.rows).toBeGreaterThanOrEqual(0);
        expect(result.matchedRows + result.skippedRows).toBeLessThanOrEqual(result.rows);
      } catch (caught) {
        error = caught;
      }
      if (error !== undefined) {
        expect(error).toBeInstanceOf(Error);
        expect(error).not.toBeInstanceOf(TypeError);
        expect(error).not.toBeInstanceOf(RangeError);
        expect((error as Error).message.length).toBeLessThan(2000);
      }
      expect(performance.now() - started).toBeLessThan(20_000);
      const ids = (await service.store.rows('SELECT flow_id FROM flows')).map((row) => Number(row.flow_id));
      for (const label of await handlers['labels.forFlows']({ flowIds: ids })) {
        expect(label.label).toMatch(CLASS_NAME_PATTERN);
        for (const tag of label.tags) expect(tag).not.toMatch(/^[=+\-@\t\r]/);
      }
    },
    60_000,
  );

  it('a CSV export of labeled flows neutralises cells that a spreadsheet would run as formulas', async () => {
    await handlers['labels.apply']({
      target: { captureId: 1 },
      label: 'benign',
      tags: ['x'],
      source: 'manual',
    });
    await service.store.run(
      "UPDATE flows SET tls_sni = '=HYPERLINK(\"http://evil.example\")', http_user_agent = '@SUM(1+1)'",
    );
    const result = await handlers['export.flows']({
      fileName: 'labeled.csv',
      format: 'csv',
      columns: ['flow_id', 'tls_sni', 'http_user_agent'],
    });
    const text = readFileSync(result.files[0]!.path, 'utf8');
    expect(text).toContain('HYPERLINK');
    for (const cell of text.split(/[,\n]/)) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+@]/);
  });
});
