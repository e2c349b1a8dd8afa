/** Messages between the ingest orchestrator (main) and its piscina workers. */
import type { CaptureBlock } from './capture-block';
import type { FlowBatch } from './flow-schema';
import type { PacketBatch } from './packet-batch';

export interface DecodeResult {
  sequence: number;
  batch: PacketBatch;
  /** Link types in this block that Flowlab counts and indexes but does not decode. */
  undecodedLinkTypes: number[];
  /** The block's buffer, handed back (transferred) for reuse by later blocks. */
  bytes?: ArrayBuffer;
}

export interface AssemblerOptions {
  idleTimeoutSeconds: number;
  activeTimeoutSeconds: number;
}

export type AssembleTask =
  | { op: 'start'; jobId: string; options: AssemblerOptions }
  | { op: 'push'; jobId: string; batch: PacketBatch }
  | { op: 'finish'; jobId: string }
  | { op: 'discard'; jobId: string };

export interface AssembleResult {
  /** The pushed batch with flowIndex/direction filled (push only). */
  batch?: PacketBatch;
  /** Flows that ended (push) or every remaining flow (finish). */
  flows: FlowBatch | null;
  flowCount: number;
}

export type DecodeTask = CaptureBlock;
