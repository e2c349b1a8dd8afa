/**
 * The DuckDB case file: one file holds many captures, their flows and packet index.
 * Opening migrates the schema; DuckDB's own file lock refuses a second writer process.
 */
import os from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { CaptureInfo, CaptureStatus } from '../../shared/api-types';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';
import { claimCase } from './open-cases';
import { toPlainRow } from './plain-values';
import { parkCaptureLabels } from '../labels/label-parking';
import { HOST_AGGREGATE_TABLES } from '../query/host-aggregates';
import { DETECT_SUMMARY_TABLES } from '../detect/detect-summary-schema';

export type SqlParams = Record<string, DuckDBValue> | DuckDBValue[];

/**
 * DuckDB's buffer pool: bounded so that peak memory does not follow the case size (DuckDB spills
 * to <case>.tmp beyond it); FLOWLAB_DUCKDB_MEMORY overrides both values. During an ingest the
 * pool holds the rows of a commit until they fill a row group (a row group of flows, 123 columns,
 * is ~150 MB uncompressed) and a checkpoint's work. With 256 MB a 10 GB ingest died: "FATAL
 * Error: Failed to create checkpoint because of error: failed to pin block" (a failed checkpoint
 * invalidates the database), and loading whole row groups of flows (CaptureWriter's aligned
 * commits) failed outright; 384 MB leaves room for both. Queries (the grid, dashboards,
 * detections over millions of flows) get 512 MB.
 */
const QUERY_MEMORY = process.env.FLOWLAB_DUCKDB_MEMORY ?? '512MB';
const INGEST_MEMORY = process.env.FLOWLAB_DUCKDB_MEMORY ?? '384MB';

/**
 * DuckDB's threads while an ingest runs: half the cores (at least one). The ingest's own threads
 * (the flow assembler, a core by itself, the decode workers, the framer) need the rest; DuckDB
 * with every core competed with them and spun waiting for work (sched_yield). Measured on the
 * 1 GB benchmark on 2 cores (one thread instead of two): 104 -> 81 CPU-s, 67 -> 54 s wall, the
 * same rows. Queries and the aggregates built after an ingest get every core back.
 */
export const INGEST_DUCKDB_THREADS = Math.max(1, Math.floor(os.availableParallelism() / 2));

export class CaseStore {
  private release: () => void = () => {};

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /** Another connection to the same case (e.g. to move staged rows without blocking appenders). */
  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  private ingests = 0;
  /** DuckDB's thread count before the first of the running ingests lowered it. */
  private queryThreads = 0;

  /**
   * While any ingest runs, DuckDB's pool shrinks to INGEST_MEMORY (loading spooled rows needs
   * little) and its threads to INGEST_DUCKDB_THREADS: the ingest's own threads need the rest.
   * Call `endIngest` after each `beginIngest`.
   */
  async beginIngest(): Promise<void> {
    if (this.ingests++ > 0) return;
    const [row] = await this.rows("SELECT current_setting('threads')::INTEGER AS threads");
    this.queryThreads = Number(row!.threads);
    await this.connection.run(`SET memory_limit = '${INGEST_MEMORY}'`);
    await this.connection.run(`SET threads = ${Math.min(INGEST_DUCKDB_THREADS, this.queryThreads)}`);
  }

  async endIngest(): Promise<void> {
    if (--this.ingests > 0) return;
    await this.connection.run(`SET memory_limit = '${QUERY_MEMORY}'`);
    await this.connection.run(`SET threads = ${this.queryThreads}`);
  }

  /** Opens (creating if needed) a case file and brings its schema up to date. */
  static async open(path: string): Promise<CaseStore> {
    const release = claimCase(path);
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, { memory_limit: QUERY_MEMORY });
    } catch (error) {
      release();
      const message = error instanceof Error ? error.message : String(error);
      const locked = /lock/i.test(message);
      throw new FlowlabError(
        ErrorCode.caseUnusable,
        locked
          ? `Case ${path} is open in another Flowlab process`
          : `Cannot open case ${path}: ${message.split('\n')[0]}`,
        { cause: error },
      );
    }
    const connection = await instance.connect();
    const store = new CaseStore(path, instance, connection);
    store.release = release;
    try {
      await store.migrate();
      await store.markInterruptedCaptures();
    } catch (error) {
      store.close();
      throw error;
    }
    return store;
  }

  /**
   * Captures left 'ingesting' by a process that died (SIGKILL, power loss): no other process
   * can have the case open (DuckDB's lock, open-cases.ts), so none of them is still running.
   * They become 'incomplete'; ingesting the file again deletes and redoes them (issue #7).
   */
  private async markInterruptedCaptures(): Promise<void> {
    await this.connection.run(
      `UPDATE captures SET status = 'incomplete', warnings = $warnings WHERE status = 'ingesting'`,
      {
        warnings: JSON.stringify([
          'Ingest was interrupted before the capture was complete; ingest the file again to redo it',
        ]),
      },
    );
  }

  private async migrate(): Promise<void> {
    await this.connection.run(
      'CREATE TABLE IF NOT EXISTS case_meta (key VARCHAR PRIMARY KEY, value VARCHAR)',
    );
    const rows = await this.rows("SELECT value FROM case_meta WHERE key = 'schema_version'");
    const current = rows.length ? Number(rows[0]!.value) : 0;
    if (current > SCHEMA_VERSION) {
      throw new FlowlabError(
        ErrorCode.caseUnusable,
        `Case ${this.path} has schema version ${current}; this Flowlab understands up to ${SCHEMA_VERSION}`,
      );
    }
    for (let version = current; version < SCHEMA_VERSION; version++) {
      await this.connection.run('BEGIN TRANSACTION');
      try {
        await this.connection.run(MIGRATIONS[version]!);
        await this.connection.run("INSERT OR REPLACE INTO case_meta VALUES ('schema_version', $version)", {
          version: String(version + 1),
        });
        await this.connection.run('COMMIT');
      } catch (error) {
        await this.connection.run('ROLLBACK');
        throw error;
      }
    }
  }

  /** Runs a query and returns rows as plain JSON-safe objects (bigint → number, timestamps → ISO). */
  async rows(sql: string, params?: SqlParams): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJS().map(toPlainRow);
  }

  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.connection.run(sql, params);
  }

  async findCaptureByFingerprint(fingerprint: string): Promise<CaptureInfo | undefined> {
    const rows = await this.rows(`${CAPTURE_SELECT} WHERE fingerprint = $fingerprint ORDER BY id LIMIT 1`, {
      fingerprint,
    });
    return rows.length ? toCaptureInfo(rows[0]!) : undefined;
  }

  async getCapture(id: number): Promise<CaptureInfo | undefined> {
    const rows = await this.rows(`${CAPTURE_SELECT} WHERE id = $id`, { id });
    return rows.length ? toCaptureInfo(rows[0]!) : undefined;
  }

  async listCaptures(): Promise<CaptureInfo[]> {
    return (await this.rows(`${CAPTURE_SELECT} ORDER BY id`)).map(toCaptureInfo);
  }

  /** Registers a capture about to be ingested; returns its id. */
  async createCapture(fields: {
    path: string;
    fileName: string;
    sizeBytes: number;
    fingerprint: string;
    idleTimeoutSeconds: number;
    activeTimeoutSeconds: number;
  }): Promise<number> {
    // One statement: two ingests started at once must not both take max(id) + 1.
    const inserted = await this.rows(
      `INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, status, idle_timeout_s, active_timeout_s, started_at)
       SELECT coalesce(max(id), 0) + 1, $path, $fileName, $sizeBytes, $fingerprint, 'ingesting', $idle, $active, now()
       FROM captures
       RETURNING id`,
      {
        path: fields.path,
        fileName: fields.fileName,
        sizeBytes: fields.sizeBytes,
        fingerprint: fields.fingerprint,
        idle: fields.idleTimeoutSeconds,
        active: fields.activeTimeoutSeconds,
      },
    );
    const id = Number(inserted[0]!.id);
    return id;
  }

  async finishCapture(
    id: number,
    fields: {
      status: CaptureStatus;
      format: string | null;
      compressed: boolean;
      linkTypes: number[];
      warnings: string[];
      elapsedMs: number;
    },
  ): Promise<void> {
    await this.connection.run(
      `UPDATE captures SET
         status = $status, format = $format, compressed = $compressed, link_types = $linkTypes,
         warnings = $warnings, elapsed_ms = $elapsedMs, finished_at = now(),
         packets = (SELECT count(*) FROM packets WHERE capture_id = $id),
         bytes = (SELECT coalesce(sum(frame_length), 0) FROM packets WHERE capture_id = $id),
         flows = (SELECT count(*) FROM flows WHERE capture_id = $id),
         first_packet = (SELECT min(ts) FROM packets WHERE capture_id = $id),
         last_packet = (SELECT max(ts) FROM packets WHERE capture_id = $id)
       WHERE id = $id`,
      {
        id,
        status: fields.status,
        format: fields.format,
        compressed: fields.compressed,
        linkTypes: JSON.stringify(fields.linkTypes),
        warnings: JSON.stringify(fields.warnings),
        elapsedMs: fields.elapsedMs,
      },
    );
  }

  /** Removes a capture with its flows and packets (its flow labels are parked for a re-ingest). */
  async deleteCapture(id: number): Promise<void> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      await parkCaptureLabels(this, id);
      for (const table of [
        'flows',
        'packets',
        'arp_packets',
        'dns_messages',
        ...HOST_AGGREGATE_TABLES,
        ...DETECT_SUMMARY_TABLES,
      ]) {
        await this.connection.run(`DELETE FROM ${table} WHERE capture_id = $id`, { id });
      }
      await this.connection.run('DELETE FROM captures WHERE id = $id', { id });
      await this.connection.run('COMMIT');
    } catch (error) {
      await this.connection.run('ROLLBACK');
      throw error;
    }
  }

  close(): void {
    try {
      this.connection.closeSync();
      this.instance.closeSync();
    } finally {
      this.release();
    }
  }
}

const CAPTURE_SELECT = `SELECT id, path, file_name, size_bytes, fingerprint, format, compressed, link_types, packets, bytes,
  flows, first_packet, last_packet, status, warnings, elapsed_ms FROM captures`;

function toCaptureInfo(row: Record<string, unknown>): CaptureInfo {
  return {
    id: Number(row.id),
    path: String(row.path),
    fileName: String(row.file_name),
    sizeBytes: Number(row.size_bytes),
    fingerprint: String(row.fingerprint),
    format: (row.format as string | null) ?? null,
    compressed: Boolean(row.compressed),
    linkTypes: row.link_types ? (JSON.parse(String(row.link_types)) as number[]) : [],
    packets: Number(row.packets ?? 0),
    bytes: Number(row.bytes ?? 0),
    flows: Number(row.flows ?? 0),
    firstPacket: (row.first_packet as string | null) ?? null,
    lastPacket: (row.last_packet as string | null) ?? null,
    status: row.status as CaptureStatus,
    warnings: row.warnings ? (JSON.parse(String(row.warnings)) as string[]) : [],
    elapsedMs: row.elapsed_ms === null || row.elapsed_ms === undefined ? null : Number(row.elapsed_ms),
  };
}
