/**
 * Writes one capture's packet index, flows, ARP packets and DNS messages into the case, a
 * generation at a time.
 *
 * Rows are written to Parquet spool files, one per kind and generation, straight from the
 * batches' typed arrays (strings UTF-8 encoded): no row-by-row path, no DuckDB call on the
 * JavaScript thread. `flush()` closes the generation and loads it into the case (INSERT ...
 * SELECT FROM read_parquet, a transaction per table; see ALIGNED_ROWS) on a connection of its
 * own: DuckDB runs that (WAL, compression) on its own threads, so the JavaScript thread is not
 * blocked, and the loaded rows become queryable while the ingest goes on.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { PacketBatch } from '../../shared/packet-batch';
import { ASSEMBLED_NUMBER_COLUMNS, ASSEMBLED_STRING_COLUMNS, FLOW_COLUMNS } from '../../shared/flow-schema';
import type { FlowBatch } from '../../shared/flow-schema';
import { mkdirSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CaseStore } from './case-store';
import type { ParquetColumn, ParquetColumnType } from './parquet-writer';
import { DEFAULT_ROW_GROUP_ROWS, SpoolFile } from './spool-file';
import type { SpoolValues } from './spool-file';
import { PACKET_COLUMNS } from './schema';
import {
  ARP_FILE_COLUMNS,
  DNS_FILE_COLUMNS,
  FLOW_ID_STRIDE,
  TS_FROM_PARTS,
  arpRows,
  arpSelectList,
  dnsRows,
  dnsSelectList,
  flowIdFromIndexSql,
} from './side-tables';

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
  const ts = TS_FROM_PARTS;
  const computed: Record<string, string> = {
    capture_id: `${captureId}::INTEGER`,
    packet_number: 'packet_number::BIGINT',
    ts,
    file_offset: 'file_offset::BIGINT',
    flow_id: flowIdFromIndexSql(captureId),
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

type SpoolKind = 'packets' | 'flows' | 'arp_packets' | 'dns_messages';

/** Bytes of row groups waiting for the disk before flush() waits for them. */
const MAX_QUEUED_BYTES = 64 << 20;

/** Generations waiting to be loaded before flush() waits for them (bounds spool disk use). */
const MAX_PENDING_MOVES = 2;

const SPOOL_KINDS: readonly SpoolKind[] = ['packets', 'flows', 'arp_packets', 'dns_messages'];

/**
 * DuckDB's row group size. A commit whose rows fill whole row groups has them compressed and
 * written straight into the case file; the rows of a last, partial row group go through the
 * write-ahead log and are compressed again at the next checkpoint. Measured on the 1 GB
 * benchmark's rows (5.37 M packets, 1.06 M flows, 11-12 commits): 37.2 CPU-s with the ingest's
 * natural commit sizes, 20.1 CPU-s when every commit carries whole row groups of both tables.
 * Rows are appended to the table's last row group until it is full, so what counts is where a
 * commit ends in the table: the ingest's commits by size load packets and flows up to the last
 * row group boundary of their table (its row count: rows of removed captures that still fill
 * row groups are not seen, which costs speed, not correctness) and leave the rest of a spool
 * file (less than one row group) for the next commit, which reads it from there.
 */
export const ALIGNED_ROWS = DEFAULT_ROW_GROUP_ROWS;
const ALIGNED_KINDS: ReadonlySet<SpoolKind> = new Set(['packets', 'flows']);

/** Rows [from, to) of a closed spool file. */
interface SpoolSegment {
  file: SpoolFile;
  from: number;
  to: number;
}

/** The first `take` rows of `segments` (in order), and the segments of the rows after them. */
function splitSegments(
  segments: SpoolSegment[],
  take: number,
): { load: SpoolSegment[]; rest: SpoolSegment[] } {
  const load: SpoolSegment[] = [];
  const rest: SpoolSegment[] = [];
  for (const segment of segments) {
    const rows = segment.to - segment.from;
    const taken = Math.max(0, Math.min(rows, take));
    take -= taken;
    if (taken > 0) load.push({ file: segment.file, from: segment.from, to: segment.from + taken });
    if (taken < rows) rest.push({ file: segment.file, from: segment.from + taken, to: segment.to });
  }
  return { load, rest };
}

function segmentRows(segments: SpoolSegment[] | undefined): number {
  return (segments ?? []).reduce((sum, segment) => sum + segment.to - segment.from, 0);
}

/**
 * A FROM item reading the segments' rows in order: whole files plainly, parts of files through
 * read_parquet's file_row_number (row groups outside the range are skipped by their statistics).
 */
function segmentsSource(segments: SpoolSegment[]): string {
  const whole = segments.every((segment) => segment.from === 0 && segment.to === segment.file.rowCount);
  const paths = `[${segments.map((segment) => sqlString(segment.file.path)).join(', ')}]`;
  if (whole) return `read_parquet(${paths})`;
  const ranges = segments
    .map(
      (segment) =>
        `(filename = ${sqlString(segment.file.path)} AND file_row_number >= ${segment.from} AND file_row_number < ${segment.to})`,
    )
    .join(' OR ');
  return `read_parquet(${paths}, filename = true, file_row_number = true) WHERE ${ranges}`;
}

export class CaptureWriter {
  private files: Partial<Record<SpoolKind, SpoolFile>> = {};
  /** Rows of earlier generations' files left for a later load (aligned commits). */
  private carried: Partial<Record<SpoolKind, SpoolSegment[]>> = {};
  private generation = 1;
  private moves: Promise<void> = Promise.resolve();
  private pendingMoves = 0;
  private moveError: unknown;
  private closed = false;
  packetsWritten = 0;
  flowsWritten = 0;
  /** Rows appended and not yet loaded or queued for loading (what the next flush commits). */
  pendingPackets = 0;
  pendingFlows = 0;

  /**
   * @param loader the connection that loads closed generations into the case: its own, so
   *   queries on the store's connection (the UI, while an ingest runs) never interleave with it.
   */
  private constructor(
    private readonly captureId: number,
    private readonly loader: DuckDBConnection,
    private readonly spoolDir: string,
    /** Rows in the packets and flows tables, those of this capture's queued loads included. */
    private readonly tableRows: Partial<Record<SpoolKind, number>>,
  ) {}

  static async create(store: CaseStore, captureId: number): Promise<CaptureWriter> {
    const spoolDir = spoolDirectory(store.path);
    mkdirSync(spoolDir, { recursive: true });
    // Files an interrupted ingest of this capture id left behind.
    for (const name of readdirSync(spoolDir)) {
      if (name.startsWith(`${captureId}-`)) rmSync(path.join(spoolDir, name), { force: true });
    }
    const loader = await store.connect();
    const tableRows: Partial<Record<SpoolKind, number>> = {};
    for (const kind of ALIGNED_KINDS) {
      const reader = await loader.runAndReadAll(`SELECT count(*) FROM ${kind}`);
      tableRows[kind] = Number(reader.getRows()[0]![0]);
    }
    return new CaptureWriter(captureId, loader, spoolDir, tableRows);
  }

  private file(kind: SpoolKind, columns: readonly ParquetColumn[]): SpoolFile {
    // Flows are ~110 columns wide: smaller row groups keep their buffers near 13 MB.
    return (this.files[kind] ??= new SpoolFile(
      path.join(this.spoolDir, `${this.captureId}-${kind}-${this.generation}-${process.pid}.parquet`),
      columns,
      kind === 'packets' ? DEFAULT_ROW_GROUP_ROWS : 16_384,
    ));
  }

  /**
   * Closes the current generation's files and queues their load into the case (a transaction
   * per table). `alignRows` > 0: packets and flows are loaded in whole multiples of it only,
   * the rest waits in its spool file for the next generation; see ALIGNED_ROWS.
   */
  private queueMove(alignRows: number): void {
    const files = this.files;
    this.files = {};
    this.generation++;
    // Closing waits for the files' queued writes, inside the queued load (never on this thread).
    const closed = Promise.all(Object.values(files).map((file) => file.close()));
    closed.catch(() => undefined); // awaited by the load below
    const loads: [SpoolKind, SpoolSegment[]][] = [];
    const finished: SpoolFile[] = [];
    for (const kind of SPOOL_KINDS) {
      const file = files[kind];
      const segments = [...(this.carried[kind] ?? [])];
      if (file) segments.push({ file, from: 0, to: file.rowCount });
      const available = segmentRows(segments);
      let take = available;
      const tableRows = this.tableRows[kind];
      if (alignRows > 0 && tableRows !== undefined) {
        // Up to the last row group boundary of the table (its rows so far + what is loaded).
        const end = tableRows + available;
        take = Math.max(0, available - (end % alignRows));
      }
      if (tableRows !== undefined) this.tableRows[kind] = tableRows + take;
      const { load, rest } = splitSegments(segments, take);
      this.carried[kind] = rest;
      if (load.length > 0) loads.push([kind, load]);
      for (const segment of load)
        if (!rest.some((kept) => kept.file === segment.file)) finished.push(segment.file);
    }
    this.pendingPackets = segmentRows(this.carried.packets);
    this.pendingFlows = segmentRows(this.carried.flows);
    const selects: Record<SpoolKind, string> = {
      packets: packetSelectList(this.captureId),
      flows: flowSelectList(this.captureId),
      arp_packets: arpSelectList(this.captureId),
      dns_messages: dnsSelectList(this.captureId),
    };
    this.pendingMoves++;
    const move = async () => {
      try {
        await closed;
        // One transaction per table: a transaction holds its rows in DuckDB's buffer pool until
        // they fill a row group, and the four tables' rows at once (e.g. 120 MB of flows and
        // 77 k ARP rows) overran the ingest's 256 MB pool.
        for (const [kind, segments] of loads)
          await this.loader.run(
            `INSERT INTO ${kind} SELECT ${selects[kind]} FROM ${segmentsSource(segments)}`,
          );
      } finally {
        // Unlinking a spooled file of hundreds of MB took up to 0.6 s: never on the main thread.
        await Promise.all(finished.map((file) => rm(file.path, { force: true })));
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
      const packetNumbers = new Float64Array(count); // handed over with the batch
      for (let i = 0; i < count; i++) packetNumbers[i] = batch.firstPacketNumber + i;
      this.file('packets', PARQUET_COLUMNS).append(
        PACKET_FILE_COLUMNS.map(([, , field]) =>
          field === '' ? packetNumbers : (batch[field] as Exclude<SpoolValues, readonly unknown[]>),
        ),
        0,
        count,
        true, // the ingest reads nothing of the batch but its count after this
      );
    }
    this.packetsWritten += count;
    this.pendingPackets += count;
    for (const [table, columns, rows] of [
      ['arp_packets', ARP_FILE_COLUMNS, arpRows(batch)],
      ['dns_messages', DNS_FILE_COLUMNS, dnsRows(batch)],
    ] as const) {
      if (rows) this.file(table, columns).append(rows.values, 0, rows.count);
    }
  }

  /** Appends finished flows; flow_id and capture_id are derived when they are loaded. */
  appendFlows(flows: FlowBatch): void {
    if (flows.count === 0) return;
    this.file('flows', FLOW_FILE_COLUMNS).append(
      [
        flows.flowIndex,
        ...ASSEMBLED_NUMBER_COLUMNS.map((name) => flows.numbers[name]!),
        ...ASSEMBLED_STRING_COLUMNS.map((name) => flows.strings[name]!),
      ],
      0,
      flows.count,
      true, // the batch is ours now: nothing else reads it after this
    );
    this.flowsWritten += flows.count;
    this.pendingFlows += flows.count;
  }

  /**
   * Commits what was appended so far: closes this generation and queues its load into the case
   * (flows become queryable while the ingest runs). Waits only when loads fall behind.
   * `alignRows` > 0: commit packets and flows in whole multiples of it only (DuckDB's row
   * group size, ALIGNED_ROWS, in an ingest; see there); the rest stays pending for the next flush.
   */
  async flush(alignRows = 0): Promise<void> {
    this.throwIfMoveFailed();
    // Bound what waits in memory for a slow disk.
    const queued = Object.values(this.files).reduce((sum, file) => sum + file.queuedBytes, 0);
    if (queued > MAX_QUEUED_BYTES) await Promise.all(Object.values(this.files).map((file) => file.flushed()));
    this.queueMove(alignRows);
    if (this.pendingMoves > MAX_PENDING_MOVES) await this.moves;
    this.throwIfMoveFailed();
  }

  /** Loads everything appended into the case and releases the spool files and connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queueMove(0);
    await this.moves;
    this.loader.closeSync();
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

/** Where a case's spool files wait to be loaded: beside the case file, or the temp dir for in-memory cases. */
function spoolDirectory(casePath: string): string {
  if (casePath === '' || casePath === ':memory:') return path.join(os.tmpdir(), 'flowlab-spool');
  return path.join(path.dirname(path.resolve(casePath)), `.${path.basename(casePath)}.spool`);
}

function sqlString(text: string): string {
  return "'" + text.replaceAll("'", "''") + "'";
}
