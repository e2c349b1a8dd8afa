/**
 * Ground-truth import from CSV as one labeling act: the file is read by DuckDB (all columns as
 * text), normalised per layout (import-formats.ts) and matched to flows with set-based joins.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { LabelImportFormat, LabelImportRequest, LabelImportResult } from '../../shared/label-types';
import type { CaseStore } from '../store/case-store';
import { integerField, nonNegativeNumber, requestObject } from '../query/request-checks';
import { SqlParameters } from '../query/sql-parameters';
import { compileFlowFilter } from '../query/compile-flow-filter';
import { labelSource, reasonText } from './label-checks';
import { LabelDb } from './label-db';
import { normalisedTruthSql } from './import-formats';
import { recordLabelAct } from './record-label-act';

const FORMATS: readonly LabelImportFormat[] = ['five-tuple', 'ip', 'cicids2017'];
/** Largest CSV text accepted inline (a file path has no limit). */
const MAX_TEXT = 64 * 1024 * 1024;
let tableSequence = 0;

/** Imports labels from a ground-truth CSV (`path`, or inline `text`). */
export async function importLabels(store: CaseStore, input: LabelImportRequest): Promise<LabelImportResult> {
  const request = requestObject<LabelImportRequest>(input, 'labels.import');
  const format = request.format;
  if (!FORMATS.includes(format)) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected format to be one of ${FORMATS.join(', ')}, found ${JSON.stringify(format)?.slice(0, 40)}`,
    );
  }
  const hasText = typeof request.text === 'string';
  const hasPath = typeof request.path === 'string' && request.path !== '';
  if (hasText === hasPath) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      'Expected either text or path of a CSV file, not both or neither',
    );
  }
  if (hasText && request.text!.length > MAX_TEXT)
    throw new FlowlabError(ErrorCode.invalidArgument, `Expected at most ${MAX_TEXT} characters of CSV text`);
  const source = labelSource(request.source, 'import');
  const reason = reasonText(request.reason);
  const tolerance = nonNegativeNumber(
    request.toleranceSeconds,
    'toleranceSeconds',
    format === 'cicids2017' ? 120 : 60,
  );
  const offset = integerField(request.utcOffsetMinutes, 'utcOffsetMinutes', {
    min: -900,
    max: 900,
    fallback: 0,
  });
  const flowParams = new SqlParameters();
  const flowWhere =
    request.captureIds === undefined
      ? 'TRUE'
      : compileFlowFilter({ captureIds: request.captureIds }, flowParams).where;

  const tempDir = hasText ? mkdtempSync(path.join(os.tmpdir(), 'flowlab-import-')) : undefined;
  const csvPath = tempDir ? path.join(tempDir, 'labels.csv') : path.resolve(request.path!);
  if (tempDir) writeFileSync(csvPath, request.text!);
  const name = `label_truth_${++tableSequence}`;
  const stats = { rows: 0, matchedRows: 0, skippedRows: 0, examples: [] as string[] };
  const db = await LabelDb.for(store);
  try {
    // Read outside the act's transaction: a failed read (and the Latin-1 retry) must not abort it.
    const header = await db.exclusive(async () => {
      await readCsv(db, csvPath, `${name}_raw`);
      return (await db.rows(`DESCRIBE ${name}_raw`)).map((row) => String(row.column_name));
    });
    const result = await recordLabelAct(db, {
      source,
      kind: 'label',
      label: null,
      tags: [],
      reason,
      target: `import ${format}: ${hasText ? 'uploaded CSV' : path.basename(csvPath)}`,
      rowsSql: `SELECT DISTINCT flow_id, label, tags FROM ${name}_matches`,
      params: {},
      uniform: false,
      prepare: async () => {
        await db.run(
          `CREATE OR REPLACE TEMP TABLE ${name} AS ${normalisedTruthSql(format, header, `${name}_raw`, '$offset')}`,
          { offset },
        );
        const valid = validCondition(format);
        const counts = await db.rows(
          `SELECT count(*) AS rows, count(*) FILTER (WHERE NOT (${valid})) AS skipped FROM ${name}`,
        );
        stats.rows = Number(counts[0]!.rows);
        stats.skippedRows = Number(counts[0]!.skipped);
        const bad = await db.rows(`SELECT row_no FROM ${name} WHERE NOT (${valid}) ORDER BY row_no LIMIT 5`);
        stats.examples = bad.map(
          (row) => `row ${Number(row.row_no)}: unreadable address, port, time or class`,
        );
        await db.run(
          `CREATE OR REPLACE TEMP TABLE ${name}_matches AS ${matchSql(format, name, valid, flowWhere)}`,
          format === 'ip'
            ? flowParams.values
            : { ...flowParams.values, tolerance: Math.round(tolerance * 1e6) },
        );
        const matched = await db.rows(`SELECT count(DISTINCT row_no) AS n FROM ${name}_matches`);
        stats.matchedRows = Number(matched[0]!.n);
      },
    });
    return { ...result, ...stats };
  } finally {
    await db.exclusive(async () => {
      for (const suffix of ['_raw', '', '_matches']) await db.run(`DROP TABLE IF EXISTS ${name}${suffix}`);
    });
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

async function readCsv(db: LabelDb, csvPath: string, table: string): Promise<void> {
  const read = (file: string) =>
    db.run(
      `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM read_csv($path, all_varchar = true, header = true)`,
      { path: file },
    );
  try {
    await read(csvPath);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The published CICIDS2017 CSVs are Windows-1252 (the dash in "Web Attack – Brute Force").
    if (!/unicode|utf-?8|encod/i.test(message)) throw csvError(csvPath, message, error);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-import-'));
    try {
      const utf8Path = path.join(dir, 'utf8.csv');
      await transcodeToUtf8(csvPath, utf8Path, 'windows-1252');
      await read(utf8Path);
    } catch (retryError) {
      throw csvError(
        csvPath,
        retryError instanceof Error ? retryError.message : String(retryError),
        retryError,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Streams `from` (in `encoding`) to `to` as UTF-8. */
async function transcodeToUtf8(from: string, to: string, encoding: string): Promise<void> {
  const decoder = new TextDecoder(encoding);
  const output = createWriteStream(to);
  for await (const chunk of createReadStream(from)) {
    if (!output.write(decoder.decode(chunk as Buffer, { stream: true }))) await once(output, 'drain');
  }
  output.end(decoder.decode());
  await once(output, 'finish');
}

function csvError(csvPath: string, message: string, cause: unknown): FlowlabError {
  return new FlowlabError(ErrorCode.io, `Cannot read ${csvPath} as CSV: ${message.split('\n')[0]}`, {
    cause,
  });
}

function validCondition(format: LabelImportFormat): string {
  if (format === 'ip')
    return `label IS NOT NULL AND ip IS NOT NULL AND (t_from IS NOT NULL OR NOT has_from) AND (t_to IS NOT NULL OR NOT has_to)`;
  return `label IS NOT NULL AND t IS NOT NULL AND src_ip IS NOT NULL AND dst_ip IS NOT NULL
    AND src_port IS NOT NULL AND dst_port IS NOT NULL AND protocol IS NOT NULL`;
}

/** Matching rows × flows: (row_no, flow_id, label, tags). */
function matchSql(format: LabelImportFormat, truth: string, valid: string, flowWhere: string): string {
  const flows = `(SELECT * FROM flows WHERE ${flowWhere})`;
  if (format === 'ip') {
    const side = (column: string) => `SELECT g.row_no, f.flow_id, g.label, g.tags
      FROM ${flows} f JOIN (SELECT * FROM ${truth} WHERE ${valid}) g ON f.${column} = g.ip
      WHERE (g.t_from IS NULL OR f.first_seen >= g.t_from) AND (g.t_to IS NULL OR f.first_seen <= g.t_to)`;
    return `${side('src_ip')} UNION ${side('dst_ip')}`;
  }
  // A row's time falls within the flow's span, give or take the tolerance. CICIDS2017 times
  // without AM/PM are 12-hour clock times in some files: both readings are tried.
  const times =
    format === 'cicids2017'
      ? `SELECT * FROM ${truth} WHERE ${valid} UNION ALL SELECT * REPLACE (t + INTERVAL 12 HOUR AS t) FROM ${truth} WHERE ${valid} AND ambiguous_12h`
      : `SELECT * FROM ${truth} WHERE ${valid}`;
  const direction = (forward: boolean) => {
    const [a, b] = forward ? ['src', 'dst'] : ['dst', 'src'];
    return `SELECT g.row_no, f.flow_id, g.label, g.tags
      FROM ${flows} f JOIN (${times}) g ON f.protocol = g.protocol
        AND f.${a}_ip = g.src_ip AND f.${b}_ip = g.dst_ip AND f.${a}_port = g.src_port AND f.${b}_port = g.dst_port
      WHERE g.t BETWEEN f.first_seen - to_microseconds(CAST($tolerance AS BIGINT))
        AND f.last_seen + to_microseconds(CAST($tolerance AS BIGINT))`;
  };
  return `${direction(true)} UNION ${direction(false)}`;
}
