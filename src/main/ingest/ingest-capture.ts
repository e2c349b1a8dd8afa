/**
 * One ingest job: read a capture from disk in large chunks, frame it into blocks of whole
 * records, decode blocks in parallel on the decode pool, assemble flows in block order on the
 * one-thread assembly pool, and append packets and flows to the case as they come.
 *
 * Memory stays bounded: at most `maxInFlight` blocks are being decoded or waiting for the
 * assembler, and the file reader is not read further until a slot frees up (backpressure).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ErrorCode, FlowlabError, isCancellationError } from '../../shared/errors';
import type { CaptureBlock } from '../../shared/capture-block';
import type { IngestProgress, IngestResult, IngestSettings } from '../../shared/api-types';
import { linkTypeName } from '../../shared/link-types';
import { DecodeStatus, packetBatchTransferList, type PacketMeta } from '../../shared/packet-batch';
import type { AssembleResult, AssembleTask, DecodeResult } from '../../shared/worker-messages';
import type { CaseStore } from '../store/case-store';
import { ALIGNED_ROWS, CaptureWriter } from '../store/capture-writer';
import { BlockBuffers } from './block-buffers';
import { fingerprintFile } from './fingerprint';
import { CaptureFramer } from './framer/capture-framer';
import { openCaptureStream } from './framer/open-capture-stream';
import type { WorkerPools } from './worker-pools';

export interface IngestJobOptions extends IngestSettings {
  signal?: AbortSignal;
  onProgress?: (progress: IngestProgress) => void;
  /** Minimum milliseconds between progress events (default 250). */
  progressIntervalMs?: number;
  /** Milliseconds between commits that make partial results queryable (default 1000). */
  flushIntervalMs?: number;
  /**
   * After the first commit, a commit waits until it carries at least this many flows or 4x as
   * many packets, or MAX_COMMIT_INTERVAL_MS passed (default: DuckDB's row-group size).
   */
  commitRows?: number;
}

/**
 * DuckDB writes a transaction's rows straight into the case file when they fill row groups
 * (122,880 rows); smaller commits go through the write-ahead log and are written again at the
 * checkpoint. Measured on 672k packet rows: commits of 60k rows cost 3.3 CPU-s, of 123k 1.5,
 * one commit 1.1; 132k flow rows: 16k-row commits 6.0 CPU-s, one commit 1.9.
 */
export const DEFAULT_COMMIT_ROWS = ALIGNED_ROWS;
/** Longest wait between commits when rows trickle in (a slow capture still shows progress). */
const MAX_COMMIT_INTERVAL_MS = 15_000;

export const DEFAULT_IDLE_TIMEOUT_SECONDS = 120;
export const DEFAULT_ACTIVE_TIMEOUT_SECONDS = 1800;
export const DEFAULT_BLOCK_BYTES = 4 << 20;
/** Block buffers are this much larger than the target: a block ends with the record that crosses it. */
const BLOCK_SLACK_BYTES = 256 << 10;

export async function ingestCapture(
  store: CaseStore,
  pools: WorkerPools,
  filePath: string,
  options: IngestJobOptions = {},
): Promise<IngestResult> {
  const absolutePath = path.resolve(filePath);
  const idleTimeoutSeconds = options.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS;
  const activeTimeoutSeconds = options.activeTimeoutSeconds ?? DEFAULT_ACTIVE_TIMEOUT_SECONDS;
  let fingerprint: { fingerprint: string; sizeBytes: number };
  try {
    fingerprint = await fingerprintFile(absolutePath);
  } catch (error) {
    throw new FlowlabError(ErrorCode.io, `Cannot read ${absolutePath}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const existing = await store.findCaptureByFingerprint(fingerprint.fingerprint);
  if (existing?.status === 'complete') return { capture: existing, alreadyPresent: true };
  if (existing) await store.deleteCapture(existing.id);

  const captureId = await store.createCapture({
    path: absolutePath,
    fileName: path.basename(absolutePath),
    sizeBytes: fingerprint.sizeBytes,
    fingerprint: fingerprint.fingerprint,
    idleTimeoutSeconds,
    activeTimeoutSeconds,
  });
  const job = new IngestJob(store, pools, captureId, absolutePath, fingerprint.sizeBytes, options);
  try {
    await store.beginIngest();
    try {
      await job.run(idleTimeoutSeconds, activeTimeoutSeconds);
    } catch (error) {
      await store.endIngest().catch(() => undefined); // the job's error is the one to report
      throw error;
    }
    await store.endIngest();
  } catch (error) {
    const cancelled = isCancellationError(error);
    // Recording the failure can fail too (after a fatal DuckDB error every statement does):
    // the error reported is still the one that stopped the ingest, not "database invalidated".
    await store
      .finishCapture(captureId, {
        status: cancelled ? 'cancelled' : 'failed',
        format: job.framer.format ?? null,
        compressed: job.compressed,
        linkTypes: job.framer.linkTypes,
        warnings: [...job.warnings(), cancelled ? 'Ingest cancelled' : (error as Error).message],
        elapsedMs: job.elapsedMs(),
      })
      .catch(() => undefined);
    throw error;
  }
  const capture = await store.getCapture(captureId);
  return { capture: capture!, alreadyPresent: false };
}

class IngestJob {
  readonly framer: CaptureFramer;
  compressed = false;
  private readonly started = performance.now();
  private readonly jobId = randomUUID();
  /** Blocks in flight, oldest first: decoded in parallel, then assembled strictly in order. */
  private readonly queue: Promise<AssembleResult>[] = [];
  private readonly undecoded = new Map<number, number>();
  private readonly maxInFlight: number;
  private readonly blockBuffers: BlockBuffers;
  private writer: CaptureWriter | undefined;
  private assembling: Promise<unknown> = Promise.resolve();
  private packets = 0;
  private flows = 0;
  private bytesRead = () => 0;
  private lastProgress = 0;
  private lastFlush = performance.now();
  private commits = 0;

  constructor(
    private readonly store: CaseStore,
    private readonly pools: WorkerPools,
    private readonly captureId: number,
    private readonly filePath: string,
    private readonly totalBytes: number,
    private readonly options: IngestJobOptions,
  ) {
    const targetBlockBytes = options.blockBytes ?? DEFAULT_BLOCK_BYTES;
    this.maxInFlight = pools.decodeThreads * 2 + 2;
    this.blockBuffers = new BlockBuffers(targetBlockBytes + BLOCK_SLACK_BYTES, this.maxInFlight + 1);
    this.framer = new CaptureFramer({
      targetBlockBytes,
      allocate: (byteLength) => this.blockBuffers.take(byteLength),
    });
  }

  elapsedMs(): number {
    return performance.now() - this.started;
  }

  warnings(): string[] {
    const warnings = [...this.framer.warnings];
    for (const [linkType, count] of this.undecoded) {
      warnings.push(
        `Link type ${linkType} (${linkTypeName(linkType)}) is not decoded: ${count} packets counted and indexed only`,
      );
    }
    return warnings;
  }

  async run(idleTimeoutSeconds: number, activeTimeoutSeconds: number): Promise<void> {
    const { signal } = this.options;
    this.writer = await CaptureWriter.create(this.store, this.captureId);
    await this.assemble({
      op: 'start',
      jobId: this.jobId,
      options: { idleTimeoutSeconds, activeTimeoutSeconds },
    });
    try {
      const stream = await openCaptureStream(this.filePath, signal ? { signal } : {});
      this.compressed = stream.compressed;
      this.bytesRead = stream.compressedBytesRead;
      for await (const chunk of stream.chunks) {
        throwIfAborted(signal);
        for (const block of this.framer.push(chunk)) await this.dispatch(block);
        if (this.framer.done) break; // damage: everything before it is kept, nothing after is read
      }
      for (const block of this.framer.end()) await this.dispatch(block);
      while (this.queue.length) await this.writeNext();
      const finished = await this.assemble({ op: 'finish', jobId: this.jobId });
      if (finished.flows) this.writer.appendFlows(finished.flows);
      this.flows = finished.flowCount;
      await this.writer.close();
      this.writer = undefined;
      this.emitProgress(true);
      await this.store.finishCapture(this.captureId, {
        status: 'complete',
        format: this.framer.format ?? null,
        compressed: this.compressed,
        linkTypes: this.framer.linkTypes,
        warnings: this.warnings(),
        elapsedMs: this.elapsedMs(),
      });
    } catch (error) {
      // Let in-flight decodes settle so no worker result arrives after the job is gone.
      await Promise.allSettled(this.queue);
      this.queue.length = 0;
      await this.assemble({ op: 'discard', jobId: this.jobId }).catch(() => undefined);
      await this.writer?.close().catch(() => undefined);
      this.writer = undefined;
      throw error;
    }
  }

  /** Sends a block to the decode pool; waits for the oldest block first when too many are in flight. */
  private async dispatch(block: CaptureBlock): Promise<void> {
    while (this.queue.length >= this.maxInFlight) await this.writeNext();
    const decoded = this.pools.decode.run(block, {
      transferList: [block.bytes.buffer as ArrayBuffer],
    }) as Promise<DecodeResult>;
    decoded.catch(() => undefined); // awaited through the assembly chain; avoid an unhandled rejection meanwhile
    // Assembly is chained in block order and runs ahead of the writes: while main writes block
    // k, the assembler already works on block k + 1. It hands the batch back without its
    // metadata, which stays here (the DNS messages are written from it): not cloned back.
    let meta: PacketMeta[] = [];
    const assembled = this.assemble(
      decoded.then((result) => {
        if (result.bytes) this.blockBuffers.give(result.bytes);
        for (const linkType of result.undecodedLinkTypes) this.countUndecoded(result, linkType);
        meta = result.batch.meta;
        return { op: 'push', jobId: this.jobId, batch: result.batch } as const;
      }),
    ).then((result) => {
      if (result.batch) result.batch.meta = meta;
      return result;
    });
    assembled.catch(() => undefined);
    this.queue.push(assembled);
  }

  /** Takes the oldest assembled block and writes its packets and the flows that ended. */
  private async writeNext(): Promise<void> {
    const result = await this.queue.shift()!;
    throwIfAborted(this.options.signal);
    const writer = this.writer!;
    writer.appendPackets(result.batch!);
    if (result.flows) writer.appendFlows(result.flows);
    this.packets += result.batch!.count;
    this.flows = result.flowCount;
    const now = performance.now();
    const due = this.commitDue(writer, now - this.lastFlush);
    if (due !== null) {
      await writer.flush(due === 'aligned' ? (this.options.commitRows ?? DEFAULT_COMMIT_ROWS) : 0);
      this.lastFlush = now;
      this.commits++;
    }
    this.emitProgress(false);
  }

  /**
   * The first commit comes after flushIntervalMs (early partial results); later ones when
   * commitRows flows or 4x as many packets wait, or MAX_COMMIT_INTERVAL_MS passed. Those commit
   * whole multiples of commitRows only (CaptureWriter.flush's `alignRows`: DuckDB row groups).
   */
  private commitDue(writer: CaptureWriter, sinceLastMs: number): 'first' | 'aligned' | null {
    if (sinceLastMs < (this.options.flushIntervalMs ?? 1000)) return null;
    if (this.commits === 0) return 'first';
    const rows = this.options.commitRows ?? DEFAULT_COMMIT_ROWS;
    const bySize = writer.pendingFlows >= rows || writer.pendingPackets >= 4 * rows;
    return bySize || sinceLastMs >= MAX_COMMIT_INTERVAL_MS ? 'aligned' : null;
  }

  private countUndecoded(decoded: DecodeResult, linkType: number): void {
    let count = 0;
    const { batch } = decoded;
    for (let i = 0; i < batch.count; i++) {
      if (batch.linkType[i] === linkType && batch.decodeStatus[i] === DecodeStatus.unsupportedLinkType)
        count++;
    }
    this.undecoded.set(linkType, (this.undecoded.get(linkType) ?? 0) + count);
  }

  /** Runs an assembler task; tasks are chained so they execute strictly in submission order. */
  private assemble(pending: AssembleTask | Promise<AssembleTask>): Promise<AssembleResult> {
    const next = this.assembling.then(async () => {
      const task = await pending;
      const transferList = task.op === 'push' ? packetBatchTransferList(task.batch) : [];
      return (await this.pools.assemble.run(task, { transferList })) as AssembleResult;
    });
    this.assembling = next.catch(() => undefined);
    return next;
  }

  private emitProgress(force: boolean): void {
    const { onProgress } = this.options;
    if (!onProgress) return;
    const now = performance.now();
    if (!force && now - this.lastProgress < (this.options.progressIntervalMs ?? 250)) return;
    this.lastProgress = now;
    const elapsedMs = now - this.started;
    const bytesRead = force ? this.totalBytes : this.bytesRead();
    const bytesPerSecond = elapsedMs > 0 ? (bytesRead * 1000) / elapsedMs : 0;
    onProgress({
      captureId: this.captureId,
      path: this.filePath,
      bytesRead,
      totalBytes: this.totalBytes,
      packets: this.packets,
      flows: this.flows,
      elapsedMs,
      packetsPerSecond: elapsedMs > 0 ? (this.packets * 1000) / elapsedMs : 0,
      bytesPerSecond,
      etaMs: bytesPerSecond > 0 ? ((this.totalBytes - bytesRead) * 1000) / bytesPerSecond : null,
    });
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new FlowlabError(ErrorCode.cancelled, 'Ingest cancelled');
}
