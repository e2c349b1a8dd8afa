/**
 * Appends one capture's packet index, flows and ARP packets through DuckDB appenders, a data
 * chunk (2048 rows) at a time, copying typed-array columns straight into the vectors.
 */
import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk } from '@duckdb/node-api';
import type { DuckDBAppender, DuckDBType } from '@duckdb/node-api';
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

export class CaptureWriter {
  private readonly scratch = new CopyScratch();
  private packetChunk: DuckDBDataChunk | undefined;
  private flowChunk: DuckDBDataChunk | undefined;
  private arpChunk: DuckDBDataChunk | undefined;
  packetsWritten = 0;
  flowsWritten = 0;

  private constructor(
    private readonly captureId: number,
    private readonly packets: DuckDBAppender,
    private readonly flows: DuckDBAppender,
    private readonly arp: DuckDBAppender,
  ) {}

  static async create(store: CaseStore, captureId: number): Promise<CaptureWriter> {
    const connection = store.connection;
    return new CaptureWriter(
      captureId,
      await connection.createAppender('packets'),
      await connection.createAppender('flows'),
      await connection.createAppender('arp_packets'),
    );
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

  private appendArp(batch: PacketBatch): void {
    for (let i = 0; i < batch.count; i++) {
      if (batch.decodeStatus[i] !== DecodeStatus.nonIp || batch.metaIndex[i]! < 0) continue;
      const meta = batch.meta[batch.metaIndex[i]!];
      if (!meta?.arpSummary) continue;
      const chunk = (this.arpChunk ??= createChunk(this.arp));
      duckdb.data_chunk_reset(chunk.chunk);
      const vector = (column: number) => duckdb.data_chunk_get_vector(chunk.chunk, column);
      const values: (string | null)[] = [
        meta.arpSenderMac ?? null,
        meta.arpSenderIp ?? null,
        meta.arpTargetMac ?? null,
        meta.arpTargetIp ?? null,
        meta.arpSummary,
      ];
      this.scratch.int32[0] = this.captureId;
      copyTyped(vector(0), this.scratch.int32, 0, 1);
      setInt64(this.scratch.int64, 0, batch.firstPacketNumber + i);
      copyTyped(vector(1), this.scratch.int64, 0, 1, 2);
      if (!setEpochNanoseconds(this.scratch.int64, 0, batch.tsSec[i]!, batch.tsNsec[i]!)) setInt64(this.scratch.int64, 0, 0);
      copyTyped(vector(2), this.scratch.int64, 0, 1, 2);
      this.scratch.int32[0] = meta.arpOperation ?? 0;
      copyTyped(vector(3), this.scratch.int32, 0, 1);
      values.forEach((value, k) => copyStrings(vector(4 + k), [value], 0, 1, this.scratch));
      duckdb.data_chunk_set_size(chunk.chunk, 1);
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
          for (let i = 0; i < count; i++) setInt64(scratch.int64, i, flowId(captureId, flows.flowIndex[start + i]!));
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

  /** Commits what was appended so far: flows become queryable while the ingest runs. */
  flush(): void {
    this.packets.flushSync();
    this.flows.flushSync();
    this.arp.flushSync();
  }

  close(): void {
    this.flush();
    this.packets.closeSync();
    this.flows.closeSync();
    this.arp.closeSync();
  }
}

function createChunk(appender: DuckDBAppender): DuckDBDataChunk {
  const types: DuckDBType[] = [];
  for (let i = 0; i < appender.columnCount; i++) types.push(appender.columnType(i));
  return DuckDBDataChunk.create(types, VECTOR_SIZE);
}
