/** Data types of the backend API, shared by the Electron IPC, browser mode and the CLI. */

export type CaptureStatus = 'ingesting' | 'complete' | 'incomplete' | 'cancelled' | 'failed';

export interface CaptureInfo {
  id: number;
  path: string;
  fileName: string;
  sizeBytes: number;
  /** Fast fingerprint (sha256 over size and sampled ranges) used to recognise a capture already in the case. */
  fingerprint: string;
  format: string | null;
  compressed: boolean;
  linkTypes: number[];
  packets: number;
  bytes: number;
  flows: number;
  firstPacket: string | null;
  lastPacket: string | null;
  status: CaptureStatus;
  warnings: string[];
  elapsedMs: number | null;
}

export interface IngestSettings {
  /** Decode workers (default: CPU count). */
  workers?: number;
  /** Target bytes per block handed to a worker (default 4 MiB). */
  blockBytes?: number;
  /** Seconds without packets that end a flow; 0 disables (default 120). */
  idleTimeoutSeconds?: number;
  /** Seconds after its first packet that end a flow; 0 disables (default 1800). */
  activeTimeoutSeconds?: number;
}

export interface IngestProgress {
  captureId: number;
  path: string;
  /** Bytes of the file read so far (compressed bytes for .gz) and the file size. */
  bytesRead: number;
  totalBytes: number;
  packets: number;
  flows: number;
  elapsedMs: number;
  packetsPerSecond: number;
  bytesPerSecond: number;
  /** Estimated milliseconds left, or null when unknown. */
  etaMs: number | null;
}

export interface IngestResult {
  capture: CaptureInfo;
  /** True when the capture was already in the case (same fingerprint) and was not ingested again. */
  alreadyPresent: boolean;
}
