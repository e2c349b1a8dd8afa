/**
 * Messages between the Electron main thread (BackendClient) and the backend worker thread
 * (backend-worker.ts), which owns the case's FlowlabService, its DuckDB instance and the ingest.
 */
import type { ApiEventName } from '../../shared/api-contract';
import type { SerializedError } from '../../shared/errors';

export type BackendRequest =
  | { type: 'open'; id: number; casePath: string }
  | { type: 'call'; id: number; channel: string; request: unknown }
  | { type: 'close'; id: number };

export type BackendReply =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: SerializedError }
  | { type: 'event'; event: ApiEventName; payload: unknown };
