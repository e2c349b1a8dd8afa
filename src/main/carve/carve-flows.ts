/**
 * Carves the packets of a set of flows into a new pcap or pcapng file: per capture, the packet
 * index gives the records' offsets (in file order), and the capture file is read once front to
 * back (gunzipping a .gz on the fly) up to the last wanted record. Into .pcap, records are copied
 * when the sources allow it, else converted (carve-convert.ts); into .pcapng, pcapng sources
 * keep their blocks and pcap sources become a section each (carve-pcap.ts). Memory stays bounded: the
 * offsets stream from DuckDB in chunks and the file in 64 KiB reads.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { CaseStore } from '../store/case-store';
import { BufferedOutputFile } from '../export/output-file';
import { carvePcap, readPcapHeader } from './carve-pcap';
import type { PcapHeader } from './carve-pcap';
import { carvePcapng, PCAPNG_SHB } from './carve-pcapng';
import { convertToPcap, pcapFileHeader } from './carve-convert';
import type { ConvertRecord, PcapResolution } from './carve-convert';
import type { CarveCounts, CarveRecord } from './carve-types';
import { SequentialReader } from './sequential-reader';

/** The flows to carve: a SQL condition over `flows` (validated or from the local CLI) and its parameters. */
export interface FlowCondition {
  where: string;
  params?: Record<string, DuckDBValue>;
}

export interface CarveOptions {
  signal?: AbortSignal;
  /** .pcap output: the time resolution of the file (default: the source's when copied, else ns). */
  pcapResolution?: PcapResolution;
  /** Called with the share of wanted packets written so far (0..1). */
  onProgress?: (fraction: number) => void;
}

export interface CarveSummary extends CarveCounts {
  path: string;
  captures: number;
}

/** The output format from the file name: `.pcap` or `.pcapng`. */
export function carveFormat(outPath: string): 'pcap' | 'pcapng' {
  if (/\.pcapng$/i.test(outPath)) return 'pcapng';
  if (/\.pcap$/i.test(outPath)) return 'pcap';
  throw new FlowlabError(ErrorCode.invalidArgument, `Expected an output file ending in .pcap or .pcapng, found ${outPath}`);
}

/** Writes the packets of the flows matching `condition` to `outPath` (.pcap or .pcapng). */
export async function carveFlows(store: CaseStore, condition: FlowCondition, outPath: string, options: CarveOptions = {}): Promise<CarveSummary> {
  const format = carveFormat(outPath);
  const params = condition.params ?? {};
  const flowSet = `SELECT flow_id FROM flows WHERE (${condition.where})`;
  const perCapture = await store.rows(
    `SELECT capture_id, count(*) AS packets FROM packets WHERE flow_id IN (${flowSet}) GROUP BY capture_id ORDER BY capture_id`,
    params,
  );
  const total = perCapture.reduce((sum, row) => sum + Number(row.packets), 0);
  if (total === 0) throw new FlowlabError(ErrorCode.invalidArgument, 'No packets match: the selection has no flows with indexed packets');
  const captures: CarveCapture[] = [];
  for (const row of perCapture) {
    const capture = await store.getCapture(Number(row.capture_id));
    if (!capture) throw new FlowlabError(ErrorCode.internal, `Capture ${String(row.capture_id)} is not in the case`);
    captures.push(capture);
  }
  const plan = format === 'pcap' ? await planPcap(store, captures, flowSet, params, options.pcapResolution) : undefined;
  const connection = await store.connect();
  const out = await BufferedOutputFile.create(outPath);
  const summary: CarveSummary = { path: outPath, captures: perCapture.length, packets: 0, bytes: 0 };
  let carved = 0;
  try {
    if (plan) await out.write(plan.fileHeader);
    for (const capture of captures) {
      const reader = new SequentialReader(await openCapture(capture), options.signal);
      const records = recordStream(connection, flowSet, params, capture.id, plan?.convert === true, () => {
        if (++carved % 4096 === 0) options.onProgress?.(carved / total);
      });
      try {
        let counts: CarveCounts;
        if (await isPcapng(reader)) {
          if (plan) counts = await convertToPcap(reader, { kind: 'pcapng' }, records as AsyncIterator<ConvertRecord>, out, plan.resolution);
          else counts = await carvePcapng(reader, records, out);
        } else {
          const header = await readPcapHeader(reader);
          if (plan?.convert) {
            counts = await convertToPcap(reader, { kind: 'pcap', recordHeaderLength: header.recordHeaderLength }, records as AsyncIterator<ConvertRecord>, out, plan.resolution);
          } else counts = await carvePcap(reader, header, records, out, format);
        }
        summary.packets += counts.packets;
        summary.bytes += counts.bytes;
      } finally {
        await reader.close();
        await records.return(undefined);
      }
    }
    options.onProgress?.(1);
    await out.commit();
    return summary;
  } catch (error) {
    await out.discard();
    throw error;
  } finally {
    connection.closeSync();
  }
}

type CarveCapture = { id: number; path: string; fileName: string; compressed: boolean; sizeBytes: number };

/** How a .pcap output is written: its file header, and whether records are copied or rebuilt. */
interface PcapPlan {
  fileHeader: Uint8Array;
  /** false: every source is a pcap of one record layout, records are copied byte for byte. */
  convert: boolean;
  resolution: PcapResolution;
}

/**
 * Copies when every source is a classic pcap with the same byte order, resolution, link type and
 * record layout (and the asked resolution, if any, is theirs); otherwise converts, which needs
 * one link type over all selected packets.
 */
async function planPcap(store: CaseStore, captures: CarveCapture[], flowSet: string, params: Record<string, DuckDBValue>, asked: PcapResolution | undefined): Promise<PcapPlan> {
  const headers: (PcapHeader | undefined)[] = [];
  for (const capture of captures) {
    const reader = new SequentialReader(await openCapture(capture));
    try {
      headers.push((await isPcapng(reader)) ? undefined : await readPcapHeader(reader));
    } finally {
      await reader.close();
    }
  }
  const first = headers[0];
  const copyable =
    first !== undefined &&
    headers.every((header) => header !== undefined && sameRecordLayout(first, header)) &&
    (asked === undefined || asked === (first.nanoseconds ? 'ns' : 'us'));
  if (copyable) return { fileHeader: first.bytes, convert: false, resolution: first.nanoseconds ? 'ns' : 'us' };
  const linkTypes = await store.rows(
    `SELECT link_type, count(*) AS packets, max(captured_length) AS snap FROM packets WHERE capture_id IN (${captures.map((capture) => capture.id).join(', ')}) AND flow_id IN (${flowSet}) GROUP BY link_type ORDER BY link_type`,
    params,
  );
  if (linkTypes.length !== 1) {
    const found = linkTypes.map((row) => `${String(row.link_type)} (${String(row.packets)} packets)`).join(', ');
    throw new FlowlabError(ErrorCode.invalidArgument, `A pcap file has one link type; the selected packets have ${linkTypes.length}: ${found}. Carve them to a .pcapng file`);
  }
  const resolution = asked ?? 'ns';
  return { fileHeader: pcapFileHeader(Number(linkTypes[0]!.link_type), Math.max(262144, Number(linkTypes[0]!.snap)), resolution), convert: true, resolution };
}

async function isPcapng(reader: SequentialReader): Promise<boolean> {
  const magic = await reader.peek(4);
  return magic.length === 4 && new DataView(magic.buffer, magic.byteOffset, 4).getUint32(0) === PCAPNG_SHB;
}

function sameRecordLayout(a: PcapHeader, b: PcapHeader): boolean {
  return a.littleEndian === b.littleEndian && a.nanoseconds === b.nanoseconds && a.linkType === b.linkType && a.recordHeaderLength === b.recordHeaderLength;
}

/** The capture's bytes as the index saw them: uncompressed (a .gz is gunzipped as it streams). */
async function openCapture(capture: { path: string; fileName: string; compressed: boolean; sizeBytes: number }): Promise<AsyncIterator<Uint8Array>> {
  let size: number;
  try {
    size = (await stat(capture.path)).size;
  } catch (error) {
    throw new FlowlabError(ErrorCode.io, `Capture file ${capture.path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
  if (size !== capture.sizeBytes) {
    throw new FlowlabError(ErrorCode.io, `Capture file ${capture.path} has changed since it was ingested (${size} bytes, was ${capture.sizeBytes})`);
  }
  const file = createReadStream(capture.path, { highWaterMark: 1 << 16 });
  const stream = capture.compressed ? file.pipe(createGunzip()) : file;
  if (capture.compressed) file.on('error', (error) => stream.destroy(error));
  return (stream as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
}

/**
 * The wanted records of one capture in file order (with times and lengths to convert), streamed
 * from DuckDB chunk by chunk. A packet without a time (pcapng 4.4 Simple Packet Block) gets 0.
 */
async function* recordStream(
  connection: DuckDBConnection,
  flowSet: string,
  params: Record<string, DuckDBValue>,
  captureId: number,
  withTimes: boolean,
  onRecord: () => void,
): AsyncGenerator<CarveRecord | ConvertRecord> {
  const result = await connection.stream(
    `SELECT file_offset, record_length${withTimes ? ', epoch_ns(ts), captured_length, frame_length' : ''}
     FROM packets WHERE capture_id = $carve_capture AND flow_id IN (${flowSet}) ORDER BY file_offset`,
    { ...params, carve_capture: captureId },
  );
  for await (const rows of result.yieldRows()) {
    for (const row of rows) {
      const record: CarveRecord = { fileOffset: Number(row[0]), recordLength: Number(row[1]) };
      yield withTimes ? { ...record, timeNs: row[2] === null ? 0n : BigInt(row[2] as bigint), capturedLength: Number(row[3]), frameLength: Number(row[4]) } : record;
      onRecord();
    }
  }
}
