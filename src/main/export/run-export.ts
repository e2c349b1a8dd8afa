/**
 * Runs an export query with DuckDB's COPY ... TO (streamed by DuckDB with bounded memory), on
 * a connection of its own so it can be interrupted: progress comes from DuckDB's query
 * progress, cancel from an AbortSignal. Files appear under their names only when complete.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { ExportedFile } from '../../shared/export-types';
import type { CaseStore } from '../store/case-store';
import type { ExportQuery } from './export-query';
import { commitPartial, discardPartial, holdPartial, partialPath } from './output-file';

export interface RunExportOptions {
  /** `csv` (cicids2017 is CSV too) or `parquet`. */
  fileFormat: 'csv' | 'parquet';
  /** Write `query.header` by hand (the CICIDS2017 names repeat, which COPY's header cannot). */
  handWrittenHeader: boolean;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/** `flows.csv` → `flows.train.csv` for a split's part. */
export function partFilePath(outPath: string, part: 'train' | 'test' | undefined): string {
  if (!part) return outPath;
  const dot = outPath.lastIndexOf('.');
  const slash = Math.max(outPath.lastIndexOf('/'), outPath.lastIndexOf('\\'));
  return dot > slash ? `${outPath.slice(0, dot)}.${part}${outPath.slice(dot)}` : `${outPath}.${part}`;
}

export async function runExport(store: CaseStore, query: ExportQuery, outPath: string, options: RunExportOptions): Promise<ExportedFile[]> {
  const connection = await store.connect();
  const files: ExportedFile[] = [];
  const interrupt = () => connection.interrupt();
  options.signal?.addEventListener('abort', interrupt);
  try {
    options.signal?.throwIfAborted();
    await connection.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false');
    for (const [index, { part, sql }] of query.parts.entries()) {
      const path = partFilePath(outPath, part);
      const progress = setInterval(() => {
        const percentage = connection.progress.percentage;
        if (percentage >= 0) options.onProgress?.((index + Math.min(percentage, 100) / 100) / query.parts.length);
      }, 200);
      const release = holdPartial(path);
      try {
        const rows = await copyTo(connection, sql, query, path, options);
        files.push({ path, rows, ...(part ? { part } : {}) });
      } catch (error) {
        await discardPartial(path);
        await rm(`${partialPath(path)}.body`, { force: true });
        throw error;
      } finally {
        release();
        clearInterval(progress);
      }
    }
    options.onProgress?.(1);
    return files;
  } catch (error) {
    if (options.signal?.aborted) {
      for (const file of files) await rm(file.path, { force: true });
      throw new FlowlabError(ErrorCode.cancelled, 'Export cancelled', { cause: error });
    }
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', interrupt);
    connection.closeSync();
  }
}

async function copyTo(connection: DuckDBConnection, sql: string, query: ExportQuery, path: string, options: RunExportOptions): Promise<number> {
  const partial = partialPath(path);
  const copyOptions = options.fileFormat === 'parquet' ? 'FORMAT parquet' : `FORMAT csv, HEADER ${options.handWrittenHeader ? 'false' : 'true'}`;
  const target = options.handWrittenHeader ? `${partial}.body` : partial;
  const reader = await connection.runAndReadAll(`COPY (${sql}) TO ${sqlString(target)} (${copyOptions})`, query.params);
  const rows = Number(reader.getRows()[0]?.[0] ?? 0);
  if (options.handWrittenHeader) {
    await writeFile(partial, query.header.map(csvCell).join(',') + '\n');
    await pipeline(createReadStream(target), createWriteStream(partial, { flags: 'a' }));
    await rm(target, { force: true });
  }
  await commitPartial(path);
  return rows;
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A SQL string literal (COPY's target cannot be a parameter). */
function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
