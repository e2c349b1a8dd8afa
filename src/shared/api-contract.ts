/**
 * The API contract: one type-only map from namespaced channel names to request/response types.
 * The Electron IPC (preload), the browser-mode HTTP server (`POST /api/<channel>` with a JSON
 * body) and the CLI all serve it; the renderer has one client interface with two transports.
 */
import type { CaptureInfo, IngestProgress, IngestResult, IngestSettings } from './api-types';
import type { FlowColumn } from './flow-schema';
import type {
  DashboardRequest,
  FlowDetails,
  FlowFilter,
  FlowPage,
  FlowPageRequest,
  HostGraph,
  HostGraphRequest,
  HostPage,
  HostPageRequest,
  HistogramBin,
  PacketSizePoint,
  TimeSeries,
  TopEntry,
  TopRequest,
} from './query-types';

export interface ApiContract {
  'captures.list': { request: void; response: CaptureInfo[] };
  'captures.remove': { request: { captureId: number }; response: void };
  /** Ingest files by path (the desktop file dialog / drag-drop, or `serve --open`). */
  'ingest.start': { request: { paths: string[]; settings?: IngestSettings }; response: IngestResult[] };
  'ingest.cancel': { request: void; response: void };

  'flows.columns': { request: void; response: FlowColumn[] };
  /** Checks a quick-filter expression; `error` says what is wrong and where. */
  'flows.validateFilter': { request: { expression: string }; response: { ok: boolean; error?: string; position?: number } };
  /** One page of flows (ag-grid Infinite Row Model): rows [offset, offset+limit) of the filtered, sorted set. */
  'flows.page': { request: FlowPageRequest; response: FlowPage };
  'flows.count': { request: { filter: FlowFilter }; response: { count: number } };
  'flows.details': { request: { flowId: number; packetLimit?: number }; response: FlowDetails };

  'dashboard.timeseries': { request: DashboardRequest & { bins?: number }; response: TimeSeries };
  'dashboard.top': { request: TopRequest; response: TopEntry[] };
  'dashboard.iatHistogram': { request: DashboardRequest & { bins?: number }; response: HistogramBin[] };
  /** Packet sizes over time between two hosts, each point tagged with its destination (seed analysis). */
  'dashboard.packetSizes': { request: DashboardRequest & { hostA: string; hostB: string; limit?: number }; response: PacketSizePoint[] };

  'hosts.page': { request: HostPageRequest; response: HostPage };
  'hosts.graph': { request: HostGraphRequest; response: HostGraph };
}

/** Events main → renderer (IPC `webContents.send`; browser mode: Server-Sent Events at /api/events). */
export interface ApiEvents {
  'ingest.progress': IngestProgress;
  /** A capture was added, finished, or removed: views refresh. */
  'captures.changed': { captureId: number };
}

export type ApiChannel = keyof ApiContract;
export type ApiRequest<C extends ApiChannel> = ApiContract[C]['request'];
export type ApiResponse<C extends ApiChannel> = ApiContract[C]['response'];
export type ApiEventName = keyof ApiEvents;

/** Every channel, for servers that register handlers and tests that check coverage. */
export const API_CHANNELS = [
  'captures.list',
  'captures.remove',
  'ingest.start',
  'ingest.cancel',
  'flows.columns',
  'flows.validateFilter',
  'flows.page',
  'flows.count',
  'flows.details',
  'dashboard.timeseries',
  'dashboard.top',
  'dashboard.iatHistogram',
  'dashboard.packetSizes',
  'hosts.page',
  'hosts.graph',
] as const satisfies readonly ApiChannel[];

/** Handlers for every channel: what the IPC layer and the HTTP server both register. */
export type ApiHandlers = { [C in ApiChannel]: (request: ApiRequest<C>) => Promise<ApiResponse<C>> };

/** 'flows.page' → 'flowsPage', at the type level (see clientMethodName). */
export type ClientMethodName<C extends string> = C extends `${infer Head}.${infer Tail}`
  ? `${Head}${Capitalize<ClientMethodName<Tail>>}`
  : C;

/** One client function per channel: no argument when the request is void. */
export type ClientMethods = {
  [C in ApiChannel as ClientMethodName<C>]: ApiRequest<C> extends void
    ? () => Promise<ApiResponse<C>>
    : (request: ApiRequest<C>) => Promise<ApiResponse<C>>;
};

/**
 * The client the renderer uses, whatever the transport: one function per channel (channel
 * 'flows.page' → `flowsPage`), plus event subscription. Both transports build the functions
 * from API_CHANNELS, so a channel added to the contract reaches the renderer with no other edit.
 */
export interface FlowlabApi extends ClientMethods {
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /**
   * Desktop only (absent in browser mode): the file-system path of a dropped File, for
   * ingest.start (Electron `webUtils.getPathForFile`; a sandboxed renderer has no File.path).
   */
  pathForFile?(file: File): string;
}

/**
 * Builds one function per channel of API_CHANNELS around a transport's `call` (the preload's
 * IPC invoke, the browser's fetch). Each function is bound to its own channel name.
 */
export function buildClientMethods(
  call: (channel: ApiChannel, request: unknown) => Promise<unknown>,
): ClientMethods {
  const methods: Record<string, (request?: unknown) => Promise<unknown>> = {};
  for (const channel of API_CHANNELS) methods[clientMethodName(channel)] = (request) => call(channel, request);
  return methods as unknown as ClientMethods;
}

/** 'flows.page' → 'flowsPage'. */
export function clientMethodName(channel: ApiChannel): string {
  return channel.replace(/\.(\w)/g, (_match, letter: string) => letter.toUpperCase());
}
