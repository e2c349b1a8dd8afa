/**
 * Writes one capture's packet index, flows and ARP packets into the case, a generation at a time.
 *
 * Packets (millions of rows) are written to a Parquet file per generation straight from the
 * batch's typed arrays; flows and ARP packets go through DuckDB appenders into in-memory staging
 * tables, a data chunk (2048 rows) at a time. `flush()` closes the generation and moves it into
 * the case (INSERT ... SELECT from the staging tables and read_parquet) on a second connection:
 * DuckDB runs that (WAL, compression) on its own threads, so the JavaScript thread is not
 * blocked, and the moved rows become queryable while the ingest goes on.
 */
import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk } from '@duckdb/node-api';
import type { DuckDBAppender, DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import { DecodeStatus } from '../../shared/packet-batch';
import type { PacketBatch } from '../../shared/packet-batch';
import { FLOW_COLUMNS } from '../../shared/flow-schema';
import type { FlowBatch } from '../../shared/flow-schema';
import { mkdirSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CaseStore } from './case-store';
import { ParquetFileWriter } from './parquet-writer';
import type { ParquetColumn, ParquetColumnType, ParquetValues } from './parquet-writer';
import { PACKET_COLUMNS } from './schema';
import {
  CopyScratch,
  VECTOR_SIZE,
  copyDoubles,
  copyInt32FromDoubles,
  copyInt64FromDoubles,
  copyStrings,
  copyTyped,
  setEpochNanoseconds,
  setInt64,
} from './vector-copy';

const FLOW_ID_STRIDE = 4294967296;

/** flow_id of flow number `flowIndex` of capture `captureId` (see flow-schema). */
export function flowId(captureId: number, flowIndex: number): number {
  return captureId * FLOW_ID_STRIDE + flowIndex;
}

/**
 * The packet index goes through per-generation Parquet files (written straight from the batch's
 * typed arrays) and DuckDB loads them with INSERT ... SELECT FROM read_parquet on its own
 * threads: no row-by-row path and no per-value work on the JavaScript thread. Each entry: the
 * Parquet column, its storage type, and the batch field it comes from ('' = computed here).
 */
const PACKET_FILE_COLUMNS: ReadonlyArray<[name: string, type: ParquetColumnType, field: keyof PacketBatch | '']> = [
  ['packet_number', 'double', ''],
  ['ts_sec', 'double', 'tsSec'],
  ['ts_nsec', 'uint32', 'tsNsec'],
  ['file_offset', 'double', 'fileOffset'],
  ['record_length', 'uint32', 'recordLength'],
  ['interface_id', 'uint16', 'interfaceId'],
  ['link_type', 'uint16', 'linkType'],
  ['frame_length', 'uint32', 'frameLength'],
  ['captured_length', 'uint32', 'capturedLength'],
  ['decode_status', 'uint8', 'decodeStatus'],
  ['flow_index', 'int32', 'flowIndex'],
  ['direction', 'uint8', 'direction'],
  ['ip_version', 'uint8', 'ipVersion'],
  ['protocol', 'uint8', 'protocol'],
  ['vlan_id', 'uint16', 'vlanId'],
  ['ttl', 'uint8', 'ttl'],
  ['ip_id', 'uint32', 'ipId'],
  ['ip_flags', 'uint8', 'ipFlags'],
  ['fragment_offset', 'uint32', 'fragmentOffset'],
  ['ip_length', 'uint32', 'ipLength'],
  ['tcp_flags', 'uint8', 'tcpFlags'],
  ['tcp_seq', 'uint32', 'tcpSeq'],
  ['tcp_ack', 'uint32', 'tcpAck'],
  ['tcp_window', 'uint16', 'tcpWindow'],
  ['payload_length', 'uint32', 'payloadLength'],
  ['src_port', 'uint16', 'srcPort'],
  ['dst_port', 'uint16', 'dstPort'],
  ['icmp_type', 'uint8', 'icmpType'],
  ['icmp_code', 'uint8', 'icmpCode'],
  ['app_signature', 'uint8', 'appSignature'],
];

const PARQUET_COLUMNS: ParquetColumn[] = PACKET_FILE_COLUMNS.map(([name, type]) => ({ name, type }));

/**
 * SELECT list turning a packet file's columns into the packets table's (same order as
 * PACKET_COLUMNS): flow_id from the flow index (NULL for packets of no flow), ts from seconds and
 * nanoseconds (NULL outside TIMESTAMP_NS's range, 1970 .. 2262).
 */
function packetSelectList(captureId: number): string {
  const ts =
    'CASE WHEN ts_sec >= 0 AND (ts_sec < 9223372036 OR (ts_sec = 9223372036 AND ts_nsec <= 854775807)) ' +
    'THEN make_timestamp_ns(ts_sec::BIGINT * 1000000000 + ts_nsec) END';
  const computed: Record<string, string> = {
    capture_id: `${captureId}::INTEGER`,
    packet_number: 'packet_number::BIGINT',
    ts,
    file_offset: 'file_offset::BIGINT',
    flow_id: `CASE WHEN flow_index >= 0 THEN ${captureId}::BIGINT * ${FLOW_ID_STRIDE} + flow_index END`,
  };
  return PACKET_COLUMNS.map(([name]) => computed[name] ?? name).join(', ');
}

/** Row kinds staged in in-memory tables (packets go through Parquet files, see above). */
const KINDS = ['flows', 'arp_packets'] as const;

/** Generations waiting to be moved before flush() waits for them (bounds staging memory). */
const MAX_PENDING_MOVES = 2;

export class CaptureWriter {
  private readonly scratch = new CopyScratch();
  /** Widened copies of 8/16-bit batch columns and the packet numbers, reused across batches. */
  private packetScratch: ParquetValues[] = [];
  private packetFile: ParquetFileWriter | undefined;
  private flowChunk: DuckDBDataChunk | undefined;
  private arpChunk: DuckDBDataChunk | undefined;
  private flows!: DuckDBAppender;
  private arp!: DuckDBAppender;
  private generation = 0;
  private moves: Promise<void> = Promise.resolve();
  private pendingMoves = 0;
  private moveError: unknown;
  private closed = false;
  packetsWritten = 0;
  flowsWritten = 0;

  /**
   * @param appending the connection the appenders use: its own, so queries on the store's
   *   connection (the UI, while an ingest runs) never interleave with appender calls.
   * @param mover the connection that moves closed generations into the case.
   */
  private constructor(
    private readonly captureId: number,
    private readonly catalog: string,
    private readonly appending: DuckDBConnection,
    private readonly mover: DuckDBConnection,
    private readonly spoolDir: string,
  ) {}

  static async create(store: CaseStore, captureId: number): Promise<CaptureWriter> {
    await store.ensureStaging();
    const catalog = '"' + (await store.catalog()).replaceAll('"', '""') + '"';
    const spoolDir = spoolDirectory(store.path);
    mkdirSync(spoolDir, { recursive: true });
    // Files an interrupted ingest of this capture id left behind.
    for (const name of readdirSync(spoolDir)) {
      if (name.startsWith(`packets-${captureId}-`)) rmSync(path.join(spoolDir, name), { force: true });
    }
    const writer = new CaptureWriter(captureId, catalog, await store.connect(), await store.connect(), spoolDir);
    await writer.openGeneration();
    return writer;
  }

  private stagingName(kind: (typeof KINDS)[number], generation: number): string {
    return `${kind}_${this.captureId}_${generation}`;
  }

  /** Creates the next generation's staging tables and appenders. */
  private async openGeneration(): Promise<void> {
    this.generation++;
    const connection = this.appending;
    for (const kind of KINDS) {
      const name = this.stagingName(kind, this.generation);
      await connection.run(
        `CREATE OR REPLACE TABLE staging.main.${name} AS SELECT * FROM ${this.catalog}.main.${kind} LIMIT 0`,
      );
    }
    this.flows = await connection.createAppender(
      this.stagingName('flows', this.generation),
      'main',
      'staging',
    );
    this.arp = await connection.createAppender(
      this.stagingName('arp_packets', this.generation),
      'main',
      'staging',
    );
  }

  private closeAppenders(): void {
    this.flows.closeSync();
    this.arp.closeSync();
  }

  /** Queues the move of a closed generation into the case (in one transaction), then drops it. */
  private queueMove(generation: number): void {
    this.pendingMoves++;
    const packetFile = this.packetFile;
    this.packetFile = undefined;
    packetFile?.close();
    const move = async () => {
      await this.mover.run('BEGIN TRANSACTION');
      try {
        if (packetFile) {
          await this.mover.run(
            `INSERT INTO ${this.catalog}.main.packets SELECT ${packetSelectList(this.captureId)} FROM read_parquet(${sqlString(packetFile.path)})`,
          );
        }
        for (const kind of KINDS) {
          await this.mover.run(
            `INSERT INTO ${this.catalog}.main.${kind} SELECT * FROM staging.main.${this.stagingName(kind, generation)}`,
          );
        }
        await this.mover.run('COMMIT');
      } catch (error) {
        await this.mover.run('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        for (const kind of KINDS) {
          await this.mover
            .run(`DROP TABLE IF EXISTS staging.main.${this.stagingName(kind, generation)}`)
            .catch(() => undefined);
        }
        if (packetFile) rmSync(packetFile.path, { force: true });
        this.pendingMoves--;
      }
    };
    this.moves = this.moves.then(move).catch((error: unknown) => {
      this.moveError ??= error;
    });
  }

  /** Appends the batch's packets (after the assembler filled flowIndex/direction) and its ARP rows. */
  appendPackets(batch: PacketBatch): void {
    const count = batch.count;
    if (count > 0) {
      this.packetFile ??= new ParquetFileWriter(
        path.join(this.spoolDir, `packets-${this.captureId}-${this.generation}-${process.pid}.parquet`),
        PARQUET_COLUMNS,
      );
      this.packetFile.writeRowGroup(count, this.packetValues(batch));
    }
    this.packetsWritten += count;
    this.appendArp(batch);
  }

  /** The batch's columns as Parquet values: views where the width fits, widened copies otherwise. */
  private packetValues(batch: PacketBatch): ParquetValues[] {
    const count = batch.count;
    return PACKET_FILE_COLUMNS.map(([, type, field], index) => {
      if (field !== '') {
        const source = batch[field] as Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;
        if (source.BYTES_PER_ELEMENT === (type === 'double' ? 8 : 4)) return source as ParquetValues;
      }
      let target = this.packetScratch[index];
      if (!target || target.length < count) {
        target = type === 'double' ? new Float64Array(count) : new Int32Array(count);
        this.packetScratch[index] = target;
      }
      if (field === '') {
        for (let i = 0; i < count; i++) target[i] = batch.firstPacketNumber + i;
      } else {
        const source = batch[field] as Uint8Array | Uint16Array;
        for (let i = 0; i < count; i++) target[i] = source[i]!;
      }
      return target;
    });
  }

  /** Appends the batch's ARP packets (decoded as non-IP with an ARP summary), a chunk at a time. */
  private appendArp(batch: PacketBatch): void {
    const rows: number[] = [];
    for (let i = 0; i < batch.count; i++) {
      if (batch.decodeStatus[i] !== DecodeStatus.nonIp || batch.metaIndex[i]! < 0) continue;
      if (batch.meta[batch.metaIndex[i]!]?.arpSummary) rows.push(i);
    }
    if (rows.length === 0) return;
    const chunk = (this.arpChunk ??= createChunk(this.arp));
    const { scratch } = this;
    const metaOf = (row: number) => batch.meta[batch.metaIndex[row]!]!;
    for (let start = 0; start < rows.length; start += VECTOR_SIZE) {
      const count = Math.min(VECTOR_SIZE, rows.length - start);
      const part = rows.slice(start, start + count);
      duckdb.data_chunk_reset(chunk.chunk);
      const vector = (column: number) => duckdb.data_chunk_get_vector(chunk.chunk, column);
      scratch.int32.fill(this.captureId, 0, count);
      copyTyped(vector(0), scratch.int32, 0, count);
      part.forEach((row, i) => setInt64(scratch.int64, i, batch.firstPacketNumber + row));
      copyTyped(vector(1), scratch.int64, 0, count, 2);
      part.forEach((row, i) => {
        if (!setEpochNanoseconds(scratch.int64, i, batch.tsSec[row]!, batch.tsNsec[row]!))
          setInt64(scratch.int64, i, 0);
      });
      copyTyped(vector(2), scratch.int64, 0, count, 2);
      part.forEach((row, i) => (scratch.int32[i] = metaOf(row).arpOperation ?? 0));
      copyTyped(vector(3), scratch.int32, 0, count);
      const text = (pick: (meta: ReturnType<typeof metaOf>) => string | undefined) =>
        part.map((row) => pick(metaOf(row)) ?? null);
      copyStrings(
        vector(4),
        text((meta) => meta.arpSenderMac),
        0,
        count,
        scratch,
      );
      copyStrings(
        vector(5),
        text((meta) => meta.arpSenderIp),
        0,
        count,
        scratch,
      );
      copyStrings(
        vector(6),
        text((meta) => meta.arpTargetMac),
        0,
        count,
        scratch,
      );
      copyStrings(
        vector(7),
        text((meta) => meta.arpTargetIp),
        0,
        count,
        scratch,
      );
      copyStrings(
        vector(8),
        text((meta) => meta.arpSummary),
        0,
        count,
        scratch,
      );
      duckdb.data_chunk_set_size(chunk.chunk, count);
      this.arp.appendDataChunk(chunk);
    }
  }

  /** Appends finished flows; flow_id and capture_id are derived here. */
  appendFlows(flows: FlowBatch): void {
    if (flows.count === 0) return;
    const chunk = (this.flowChunk ??= createChunk(this.flows));
    const { scratch, captureId } = this;
    for (let start = 0; start < flows.count; start += VECTOR_SIZE) {
      const count = Math.min(VECTOR_SIZE, flows.count - start);
      duckdb.data_chunk_reset(chunk.chunk);
      FLOW_COLUMNS.forEach((column, index) => {
        const vector = duckdb.data_chunk_get_vector(chunk.chunk, index);
        if (column.name === 'flow_id') {
          for (let i = 0; i < count; i++)
            setInt64(scratch.int64, i, flowId(captureId, flows.flowIndex[start + i]!));
          copyTyped(vector, scratch.int64, 0, count, 2);
        } else if (column.name === 'capture_id') {
          scratch.int32.fill(captureId, 0, count);
          copyTyped(vector, scratch.int32, 0, count);
        } else if (column.type === 'VARCHAR') {
          copyStrings(vector, flows.strings[column.name]!, start, count, scratch);
        } else if (column.type === 'DOUBLE') {
          copyDoubles(vector, flows.numbers[column.name]!, start, count, scratch);
        } else if (column.type === 'INTEGER') {
          copyInt32FromDoubles(vector, flows.numbers[column.name]!, start, count, scratch);
        } else {
          copyInt64FromDoubles(vector, flows.numbers[column.name]!, start, count, scratch);
        }
      });
      duckdb.data_chunk_set_size(chunk.chunk, count);
      this.flows.appendDataChunk(chunk);
    }
    this.flowsWritten += flows.count;
  }

  /**
   * Commits what was appended so far: closes this generation and queues its move into the case
   * (flows become queryable while the ingest runs). Waits only when moves fall behind.
   */
  async flush(): Promise<void> {
    this.throwIfMoveFailed();
    this.closeAppenders();
    this.queueMove(this.generation);
    await this.openGeneration();
    if (this.pendingMoves > MAX_PENDING_MOVES) await this.moves;
    this.throwIfMoveFailed();
  }

  /** Moves everything appended into the case and releases the staging tables and connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closeAppenders();
    this.queueMove(this.generation);
    await this.moves;
    this.mover.closeSync();
    this.appending.closeSync();
    try {
      rmdirSync(this.spoolDir); // only when empty: another ingest may be spooling
    } catch {
      // not empty or already gone
    }
    this.throwIfMoveFailed();
  }

  private throwIfMoveFailed(): void {
    if (this.moveError !== undefined) throw this.moveError;
  }
}

/** Where a case's packet files wait to be loaded: beside the case file, or the temp dir for in-memory cases. */
function spoolDirectory(casePath: string): string {
  if (casePath === '' || casePath === ':memory:') return path.join(os.tmpdir(), 'flowlab-spool');
  return path.join(path.dirname(path.resolve(casePath)), `.${path.basename(casePath)}.spool`);
}

function sqlString(text: string): string {
  return "'" + text.replaceAll("'", "''") + "'";
}

function createChunk(appender: DuckDBAppender): DuckDBDataChunk {
  const types: DuckDBType[] = [];
  for (let i = 0; i < appender.columnCount; i++) types.push(appender.columnType(i));
  return DuckDBDataChunk.create(types, VECTOR_SIZE);
}
