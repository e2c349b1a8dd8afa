/**
 * Imports a CICFlowMeter / CICIDS2017 CSV into ml_imported_flows as one dataset. The header is
 * read here (so duplicated names such as the 2017 files' second `Fwd Header Length` and names
 * with leading spaces are resolved by position, not by DuckDB's renaming); DuckDB then reads the
 * rows as text and casts them, so a million-row file never passes through JavaScript.
 * `Infinity`, `-Infinity` and `NaN` cells become NULL (missing) and are counted per feature.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { ImportResult } from '../../shared/ml-types';
import type { CaseStore } from '../store/case-store';
import { CIC_FEATURES, CIC_META_COLUMNS, featureForHeader, headerKey } from './cic-features';
import { getDataset } from './dataset-queries';

interface ColumnPlan {
  /** Feature name → position in the file. */
  features: Map<string, number>;
  meta: Partial<Record<keyof typeof CIC_META_COLUMNS, number>>;
  warnings: string[];
  duplicates: { name: string; first: number; second: number }[];
  layout: ImportResult['layout'];
}

export async function importCicCsv(store: CaseStore, filePath: string): Promise<ImportResult> {
  const header = await readHeaderLine(filePath);
  const plan = planColumns(header);
  if (plan.meta.label === undefined) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected a Label column in ${filePath}, found columns ${header.slice(0, 8).join(', ')}...`,
    );
  }
  if (plan.features.size === 0) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected CICFlowMeter feature columns in ${filePath}, found none`,
    );
  }
  const next = await store.rows('SELECT coalesce(max(id), 0) + 1 AS id FROM ml_datasets');
  const datasetId = Number(next[0]!.id);
  const columns = header.map((_, index) => `'c${index}': 'VARCHAR'`).join(', ');
  const literal = `'${filePath.replaceAll("'", "''")}'`;
  await store.run('DROP TABLE IF EXISTS temp.ml_csv_raw');
  try {
    await store.run(
      `CREATE TEMP TABLE ml_csv_raw AS SELECT * FROM read_csv(${literal}, header = true, auto_detect = false,
         delim = ',', quote = '"', columns = {${columns}}, null_padding = true)`,
    );
  } catch (error) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Cannot read ${filePath} as CSV: ${(error as Error).message.split('\n')[0]}`,
      { cause: error },
    );
  }
  try {
    const number = (index: number) => `TRY_CAST(trim(c${index}) AS DOUBLE)`;
    const present = CIC_FEATURES.filter((feature) => plan.features.has(feature.name));
    // Counts of non-finite cells and of cells that are neither numbers nor empty.
    const stats = await store.rows(
      `SELECT count(*) AS total, ${present
        .map((feature) => {
          const index = plan.features.get(feature.name)!;
          return `count(*) FILTER (WHERE NOT isfinite(${number(index)})) AS "nf_${feature.name}",
            count(*) FILTER (WHERE ${number(index)} IS NULL AND trim(c${index}) <> '') AS "bad_${feature.name}"`;
        })
        .join(
          ', ',
        )}${plan.duplicates.map((dup, i) => `, count(*) FILTER (WHERE c${dup.first} IS DISTINCT FROM c${dup.second}) AS "dup_${i}"`).join('')}
       FROM ml_csv_raw`,
    );
    const row = stats[0]!;
    const nonFinite: Record<string, number> = {};
    const warnings = [...plan.warnings];
    for (const feature of present) {
      const count = Number(row[`nf_${feature.name}`]);
      if (count) nonFinite[feature.name] = count;
      const bad = Number(row[`bad_${feature.name}`]);
      if (bad) warnings.push(`${bad} cells of ${feature.name} are not numbers; stored as missing`);
    }
    plan.duplicates.forEach((dup, i) => {
      warnings.push(
        `Column "${header[dup.first]!.trim()}" appears twice (columns ${dup.first + 1} and ${dup.second + 1}); the second copy is ignored (it differs in ${Number(row[`dup_${i}`])} rows)`,
      );
    });
    const text = (key: keyof typeof CIC_META_COLUMNS) =>
      plan.meta[key] === undefined ? 'NULL' : `nullif(trim(c${plan.meta[key]}), '')`;
    const featureSql = CIC_FEATURES.map((feature) => {
      const index = plan.features.get(feature.name);
      return index === undefined ? 'NULL' : `CASE WHEN isfinite(${number(index)}) THEN ${number(index)} END`;
    });
    await store.run(
      `INSERT INTO ml_imported_flows (dataset_id, row_number, label, src_ip, src_port, dst_ip, flow_timestamp, ${CIC_FEATURES.map((feature) => feature.name).join(', ')})
       SELECT $dataset, rowid + 1, ${text('label')}, ${text('srcIp')}, TRY_CAST(${text('srcPort')} AS INTEGER), ${text('dstIp')}, ${text('timestamp')},
         ${featureSql.join(', ')}
       FROM ml_csv_raw`,
      { dataset: datasetId },
    );
    const counts = await store.rows(
      "SELECT coalesce(label, '') AS label, count(*) AS n FROM ml_imported_flows WHERE dataset_id = $dataset GROUP BY ALL ORDER BY label",
      { dataset: datasetId },
    );
    const classCounts = Object.fromEntries(counts.map((entry) => [String(entry.label), Number(entry.n)]));
    if (classCounts[''])
      warnings.push(`${classCounts['']} rows have no label; they are kept but not used for training`);
    await store.run(
      `INSERT INTO ml_datasets VALUES ($id, $name, $path, $rows, $layout, $features, $classCounts, $nonFinite, $warnings, now())`,
      {
        id: datasetId,
        name: path.basename(filePath),
        path: path.resolve(filePath),
        rows: Number(row.total),
        layout: plan.layout,
        features: JSON.stringify(present.map((feature) => feature.name)),
        classCounts: JSON.stringify(classCounts),
        nonFinite: JSON.stringify(nonFinite),
        warnings: JSON.stringify(warnings),
      },
    );
    const nonFiniteCells = Object.values(nonFinite).reduce((sum, count) => sum + count, 0);
    return { dataset: (await getDataset(store, datasetId))!, layout: plan.layout, nonFiniteCells };
  } finally {
    await store.run('DROP TABLE IF EXISTS temp.ml_csv_raw');
  }
}

/** The first line, split on commas (CICFlowMeter headers are never quoted); a UTF-8 BOM is dropped. */
async function readHeaderLine(filePath: string): Promise<string[]> {
  let handle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    throw new FlowlabError(ErrorCode.io, `Cannot open ${filePath}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const end = text.search(/\r?\n/);
    if (end < 0 && bytesRead === buffer.length)
      throw new FlowlabError(
        ErrorCode.invalidArgument,
        `Expected a CSV header line in ${filePath}, found none in the first 64 KiB`,
      );
    return (end < 0 ? text : text.slice(0, end)).split(',');
  } finally {
    await handle.close();
  }
}

export function planColumns(header: readonly string[]): ColumnPlan {
  const plan: ColumnPlan = { features: new Map(), meta: {}, warnings: [], duplicates: [], layout: 'other' };
  const metaKeys = new Map<string, keyof typeof CIC_META_COLUMNS>();
  for (const [key, names] of Object.entries(CIC_META_COLUMNS))
    for (const name of names) metaKeys.set(headerKey(name), key as keyof typeof CIC_META_COLUMNS);
  const unknown: string[] = [];
  header.forEach((name, index) => {
    const feature = featureForHeader(name);
    if (feature) {
      const first = plan.features.get(feature.name);
      if (first === undefined) plan.features.set(feature.name, index);
      else plan.duplicates.push({ name: feature.name, first, second: index });
      return;
    }
    const meta = metaKeys.get(headerKey(name));
    if (meta && plan.meta[meta] === undefined) plan.meta[meta] = index;
    else if (!['id', 'flowid', 'attemptedcategory'].includes(headerKey(name))) unknown.push(name.trim());
  });
  if (unknown.length) plan.warnings.push(`Columns not recognised and ignored: ${unknown.join(', ')}`);
  const leadingSpaces = header.some((name) => name !== name.trimStart());
  const keys = new Set(header.map(headerKey));
  // The 2017 files: leading spaces, a second Fwd Header Length, "Source IP"; the improved
  // re-extraction: "Src IP", "Total Fwd Packet", an "Attempted Category" column.
  const original =
    leadingSpaces || plan.duplicates.length > 0 || keys.has('sourceip') || keys.has('totalbackwardpackets');
  const improved = ['srcip', 'totalfwdpacket', 'attemptedcategory', 'totaltcpflowtime'].some((key) =>
    keys.has(key),
  );
  plan.layout = original ? 'original' : improved ? 'improved' : 'other';
  return plan;
}
