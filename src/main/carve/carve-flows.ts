/**
 * Carves the packets of a set of flows into a new pcap or pcapng file: per capture, the packet
 * index gives the records' offsets (in file order), and the capture file is read once front to
 * back (gunzipping a .gz on the fly) up to the last wanted record. Memory stays bounded: the
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
import type { CarveCounts, CarveRecord } from './carve-types';
import { SequentialReader } from './sequential-reader';

/** The flows to carve: a SQL condition over `flows` (validated or from the local CLI) and its parameters. */
export interface FlowCondition {
  where: string;
  params?: Record<string, DuckDBValue>;
}

export interface CarveOptions {
  signal?: AbortSignal;
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
  const connection = await store.connect();
  const out = await BufferedOutputFile.create(outPath);
  const summary: CarveSummary = { path: outPath, captures: perCapture.length, packets: 0, bytes: 0 };
  let pcapHeaderWritten: PcapHeader | undefined;
  let carved = 0;
  try {
    for (const row of perCapture) {
      const captureId = Number(row.capture_id);
      const capture = await store.getCapture(captureId);
      if (!capture) throw new FlowlabError(ErrorCode.internal, `Capture ${captureId} is not in the case`);
      const reader = new SequentialReader(await openCapture(capture), options.signal);
      const records = recordStream(connection, flowSet, params, captureId, () => {
        if (++carved % 4096 === 0) options.onProgress?.(carved / total);
      });
      try {
        const magic = await reader.peek(4);
        let counts: CarveCounts;
        if (magic.length === 4 && new DataView(magic.buffer, magic.byteOffset, 4).getUint32(0) === PCAPNG_SHB) {
          if (format === 'pcap') {
            throw new FlowlabError(ErrorCode.invalidArgument, `Capture ${capture.fileName} is pcapng: carve it to a .pcapng file`);
          }
          counts = await carvePcapng(reader, records, out);
        } else {
          const header = await readPcapHeader(reader);
          if (format === 'pcap') {
            if (!pcapHeaderWritten) {
              await out.write(header.bytes);
              pcapHeaderWritten = header;
            } else if (!sameRecordLayout(pcapHeaderWritten, header)) {
              throw new FlowlabError(ErrorCode.invalidArgument, `Capture ${capture.fileName} differs from the first capture in byte order, time resolution or link type: carve to a .pcapng file`);
            }
          }
          counts = await carvePcap(reader, header, records, out, format);
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

/** The wanted records of one capture in file order, streamed from DuckDB chunk by chunk. */
async function* recordStream(
  connection: DuckDBConnection,
  flowSet: string,
  params: Record<string, DuckDBValue>,
  captureId: number,
  onRecord: () => void,
): AsyncGenerator<CarveRecord> {
  const result = await connection.stream(
    `SELECT file_offset, record_length FROM packets WHERE capture_id = $carve_capture AND flow_id IN (${flowSet}) ORDER BY file_offset`,
    { ...params, carve_capture: captureId },
  );
  for await (const rows of result.yieldRows()) {
    for (const row of rows) {
      yield { fileOffset: Number(row[0]), recordLength: Number(row[1]) };
      onRecord();
    }
  }
}
