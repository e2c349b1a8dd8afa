/**
 * Appends one capture's packet index, flows and ARP packets through DuckDB appenders, a data
 * chunk (2048 rows) at a time, copying typed-array columns straight into the vectors.
 *
 * Appenders write to in-memory staging tables (one generation at a time). `flush()` closes the
 * generation and moves it into the case with INSERT ... SELECT on a second connection: DuckDB
 * runs that (WAL, compression) on its own threads, so the JavaScript thread is not blocked, and
 * the moved rows become queryable while the ingest goes on.
 */
import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk } from '@duckdb/node-api';
import type { DuckDBAppender, DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import { DecodeStatus } from '../../shared/packet-batch';
import type { PacketBatch } from '../../shared/packet-batch';
import { FLOW_COLUMNS } from '../../shared/flow-schema';
import type { FlowBatch } from '../../shared/flow-schema';
import type { CaseStore } from './case-store';
import {
  CopyScratch,
  VECTOR_SIZE,
  copyDoubles,
  copyInt32FromDoubles,
  copyInt64FromDoubles,
  copyStrings,
  copyTyped,
  copyValidity,
  resetValidity,
  setEpochNanoseconds,
  setInt64,
  setInvalid,
} from './vector-copy';

const FLOW_ID_STRIDE = 4294967296;

/** flow_id of flow number `flowIndex` of capture `captureId` (see flow-schema). */
export function flowId(captureId: number, flowIndex: number): number {
  return captureId * FLOW_ID_STRIDE + flowIndex;
}

/** Batch columns copied as-is into packet columns of the same physical width. */
const DIRECT_PACKET_COLUMNS: ReadonlyArray<[column: number, field: keyof PacketBatch]> = [
  [4, 'recordLength'],
  [5, 'interfaceId'],
  [6, 'linkType'],
  [7, 'frameLength'],
  [8, 'capturedLength'],
  [9, 'decodeStatus'],
  [11, 'direction'],
  [12, 'ipVersion'],
  [13, 'protocol'],
  [14, 'vlanId'],
  [15, 'ttl'],
  [16, 'ipId'],
  [17, 'ipFlags'],
  [18, 'fragmentOffset'],
  [19, 'ipLength'],
  [20, 'tcpFlags'],
  [21, 'tcpSeq'],
  [22, 'tcpAck'],
  [23, 'tcpWindow'],
  [24, 'payloadLength'],
  [25, 'srcPort'],
  [26, 'dstPort'],
  [27, 'icmpType'],
  [28, 'icmpCode'],
  [29, 'appSignature'],
];

const KINDS = ['packets', 'flows', 'arp_packets'] as const;

/** Generations waiting to be moved before flush() waits for them (bounds staging memory). */
const MAX_PENDING_MOVES = 2;

export class CaptureWriter {
  private readonly scratch = new CopyScratch();
  private packetChunk: DuckDBDataChunk | undefined;
  private flowChunk: DuckDBDataChunk | undefined;
  private arpChunk: DuckDBDataChunk | undefined;
  private packets!: DuckDBAppender;
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
  ) {}

  static async create(store: CaseStore, captureId: number): Promise<CaptureWriter> {
    await store.ensureStaging();
    const catalog = '"' + (await store.catalog()).replaceAll('"', '""') + '"';
    const writer = new CaptureWriter(captureId, catalog, await store.connect(), await store.connect());
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
    this.packets = await connection.createAppender(
      this.stagingName('packets', this.generation),
      'main',
      'staging',
    );
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
    this.packets.closeSync();
    this.flows.closeSync();
    this.arp.closeSync();
  }

  /** Queues the move of a closed generation into the case (in one transaction), then drops it. */
  private queueMove(generation: number): void {
    this.pendingMoves++;
    const move = async () => {
      await this.mover.run('BEGIN TRANSACTION');
      try {
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
        this.pendingMoves--;
      }
    };
    this.moves = this.moves.then(move).catch((error: unknown) => {
      this.moveError ??= error;
    });
  }

  /** Appends the batch's packets (after the assembler filled flowIndex/direction) and its ARP rows. */
  appendPackets(batch: PacketBatch): void {
    const chunk = (this.packetChunk ??= createChunk(this.packets));
    const { scratch, captureId } = this;
    for (let start = 0; start < batch.count; start += VECTOR_SIZE) {
      const count = Math.min(VECTOR_SIZE, batch.count - start);
      duckdb.data_chunk_reset(chunk.chunk);
      const vector = (column: number) => duckdb.data_chunk_get_vector(chunk.chunk, column);

      scratch.int32.fill(captureId, 0, count);
      copyTyped(vector(0), scratch.int32, 0, count);
      for (let i = 0; i < count; i++) setInt64(scratch.int64, i, batch.firstPacketNumber + start + i);
      copyTyped(vector(1), scratch.int64, 0, count, 2);

      resetValidity(scratch.validity);
      let badTime = false;
      for (let i = 0; i < count; i++) {
        if (!setEpochNanoseconds(scratch.int64, i, batch.tsSec[start + i]!, batch.tsNsec[start + i]!)) {
          setInvalid(scratch.validity, i);
          setInt64(scratch.int64, i, 0);
          badTime = true;
        }
      }
      copyTyped(vector(2), scratch.int64, 0, count, 2);
      if (badTime) copyValidity(vector(2), scratch.validity, count);

      for (let i = 0; i < count; i++) setInt64(scratch.int64, i, batch.fileOffset[start + i]!);
      copyTyped(vector(3), scratch.int64, 0, count, 2);

      resetValidity(scratch.validity);
      let noFlow = false;
      for (let i = 0; i < count; i++) {
        const index = batch.flowIndex[start + i]!;
        if (index < 0) {
          noFlow = true;
          setInvalid(scratch.validity, i);
          setInt64(scratch.int64, i, 0);
        } else setInt64(scratch.int64, i, flowId(captureId, index));
      }
      copyTyped(vector(10), scratch.int64, 0, count, 2);
      if (noFlow) copyValidity(vector(10), scratch.validity, count);

      for (const [column, field] of DIRECT_PACKET_COLUMNS) {
        copyTyped(vector(column), batch[field] as Uint8Array, start, count);
      }
      duckdb.data_chunk_set_size(chunk.chunk, count);
      this.packets.appendDataChunk(chunk);
    }
    this.packetsWritten += batch.count;
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
    this.throwIfMoveFailed();
  }

  private throwIfMoveFailed(): void {
    if (this.moveError !== undefined) throw this.moveError;
  }
}

function createChunk(appender: DuckDBAppender): DuckDBDataChunk {
  const types: DuckDBType[] = [];
  for (let i = 0; i < appender.columnCount; i++) types.push(appender.columnType(i));
  return DuckDBDataChunk.create(types, VECTOR_SIZE);
}
