/**
 * The API contract: one type-only map from namespaced channel names to request/response types,
 * used by the Electron IPC (preload), the browser-mode HTTP server and their one client.
 */
import type { CaptureInfo, IngestProgress, IngestResult, IngestSettings } from './api-types';

export interface ApiContract {
  'captures.list': { request: void; response: CaptureInfo[] };
  'captures.remove': { request: { captureId: number }; response: void };
  'ingest.start': { request: { paths: string[]; settings?: IngestSettings }; response: IngestResult[] };
  'ingest.cancel': { request: void; response: void };
}

/** Events main → renderer. */
export interface ApiEvents {
  'ingest.progress': IngestProgress;
}

export type ApiChannel = keyof ApiContract;
export type ApiRequest<C extends ApiChannel> = ApiContract[C]['request'];
export type ApiResponse<C extends ApiChannel> = ApiContract[C]['response'];

/** The client interface the renderer uses, whatever the transport (IPC or HTTP). */
export interface FlowlabApi {
  listCaptures(): Promise<CaptureInfo[]>;
  removeCapture(request: ApiRequest<'captures.remove'>): Promise<void>;
  startIngest(request: ApiRequest<'ingest.start'>): Promise<IngestResult[]>;
  cancelIngest(): Promise<void>;
  onIngestProgress(listener: (progress: IngestProgress) => void): () => void;
}
