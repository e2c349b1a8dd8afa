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
import { ASSEMBLED_NUMBER_COLUMNS, ASSEMBLED_STRING_COLUMNS, FLOW_COLUMNS } from '../../shared/flow-schema';
import type { FlowBatch } from '../../shared/flow-schema';
import { mkdirSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CaseStore } from './case-store';
import type { ParquetColumn, ParquetColumnType } from './parquet-writer';
import { SpoolFile } from './spool-file';
import { PACKET_COLUMNS } from './schema';
import {
  CopyScratch,
  VECTOR_SIZE,
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
const PACKET_FILE_COLUMNS: ReadonlyArray<
  [name: string, type: ParquetColumnType, field: keyof PacketBatch | '']
> = [
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

/** Flow file columns: the flow index, then the assembled numeric (NaN = NULL) and string columns. */
const FLOW_FILE_COLUMNS: ParquetColumn[] = [
  { name: 'flow_index', type: 'double' },
  ...ASSEMBLED_NUMBER_COLUMNS.map((name) => ({ name, type: 'double' as const })),
  ...ASSEMBLED_STRING_COLUMNS.map((name) => ({ name, type: 'string' as const })),
];

/** SELECT list turning a flow file's columns into the flows table's (FLOW_COLUMNS order). */
function flowSelectList(captureId: number): string {
  return FLOW_COLUMNS.map((column) => {
    const name = `"${column.name}"`;
    if (column.name === 'flow_id') return `${captureId}::BIGINT * ${FLOW_ID_STRIDE} + flow_index::BIGINT`;
    if (column.name === 'capture_id') return `${captureId}::INTEGER`;
    // NaN (and values the column cannot hold, e.g. a garbage 64-bit pcapng time) become NULL;
    // DuckDB orders NaN above every number, so the range tests exclude it.
    switch (column.type) {
      case 'VARCHAR':
        return name;
      case 'DOUBLE':
        return `CASE WHEN isnan(${name}) THEN NULL ELSE ${name} END`;
      case 'TIMESTAMP':
        return `CASE WHEN abs(${name}) < 9.2e18 THEN make_timestamp(${name}::BIGINT) END`;
      case 'BIGINT':
        return `CASE WHEN abs(${name}) < 9.2e18 THEN ${name}::BIGINT END`;
      default:
        return `CASE WHEN abs(${name}) < 2147483648 THEN ${name}::INTEGER END`;
    }
  }).join(', ');
}

/** Row kinds staged in in-memory tables (packets and flows go through Parquet files, see above). */
const KINDS = ['arp_packets'] as const;

/** Generations waiting to be moved before flush() waits for them (bounds staging memory). */
const MAX_PENDING_MOVES = 2;

export class CaptureWriter {
  private readonly scratch = new CopyScratch();
  /** Packet numbers of the batch being appended (computed), reused across batches. */
  private packetNumbers = new Float64Array(0);
  private packetFile: SpoolFile | undefined;
  private flowFile: SpoolFile | undefined;
  private arpChunk: DuckDBDataChunk | undefined;
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
      if (name.startsWith(`packets-${captureId}-`) || name.startsWith(`flows-${captureId}-`))
        rmSync(path.join(spoolDir, name), { force: true });
    }
    const writer = new CaptureWriter(
      captureId,
      catalog,
      await store.connect(),
      await store.connect(),
      spoolDir,
    );
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
    this.arp = await connection.createAppender(
      this.stagingName('arp_packets', this.generation),
      'main',
      'staging',
    );
  }

  private closeAppenders(): void {
    this.arp.closeSync();
  }

  /** Queues the move of a closed generation into the case (in one transaction), then drops it. */
  private queueMove(generation: number): void {
    this.pendingMoves++;
    const packetFile = this.packetFile;
    const flowFile = this.flowFile;
    this.packetFile = undefined;
    this.flowFile = undefined;
    packetFile?.close();
    flowFile?.close();
    const move = async () => {
      await this.mover.run('BEGIN TRANSACTION');
      try {
        if (packetFile) {
          await this.mover.run(
            `INSERT INTO ${this.catalog}.main.packets SELECT ${packetSelectList(this.captureId)} FROM read_parquet(${sqlString(packetFile.path)})`,
          );
        }
        if (flowFile) {
          await this.mover.run(
            `INSERT INTO ${this.catalog}.main.flows SELECT ${flowSelectList(this.captureId)} FROM read_parquet(${sqlString(flowFile.path)})`,
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
        for (const file of [packetFile, flowFile]) if (file) rmSync(file.path, { force: true });
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
      if (this.packetNumbers.length < count) this.packetNumbers = new Float64Array(count);
      for (let i = 0; i < count; i++) this.packetNumbers[i] = batch.firstPacketNumber + i;
      this.packetFile ??= new SpoolFile(this.spoolFile('packets'), PARQUET_COLUMNS);
      this.packetFile.append(
        PACKET_FILE_COLUMNS.map(([, , field]) =>
          field === ''
            ? this.packetNumbers
            : (batch[field] as Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array),
        ),
        0,
        count,
      );
    }
    this.packetsWritten += count;
    this.appendArp(batch);
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

  /** Appends finished flows; flow_id and capture_id are derived when they are loaded. */
  appendFlows(flows: FlowBatch): void {
    if (flows.count === 0) return;
    this.flowFile ??= new SpoolFile(this.spoolFile('flows'), FLOW_FILE_COLUMNS);
    this.flowFile.append(
      [
        flows.flowIndex,
        ...ASSEMBLED_NUMBER_COLUMNS.map((name) => flows.numbers[name]!),
        ...ASSEMBLED_STRING_COLUMNS.map((name) => flows.strings[name]!),
      ],
      0,
      flows.count,
    );
    this.flowsWritten += flows.count;
  }

  private spoolFile(kind: string): string {
    return path.join(this.spoolDir, `${kind}-${this.captureId}-${this.generation}-${process.pid}.parquet`);
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
