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
import type { CountriesRequest, CountryHosts, CountryHostsRequest, CountryTraffic } from './geo-types';
import type { CarveRequest, CarveResult, ExportProgress, ExportRequest, ExportResult } from './export-types';
import type { MenuCommand } from './menu-commands';
import type {
  FlowLabel,
  FlowLabelHistoryEntry,
  LabelApplyRequest,
  LabelApplyResult,
  LabelBatch,
  LabelClearRequest,
  LabelConflict,
  LabelImportRequest,
  LabelImportResult,
  LabelRule,
  LabelRuleInput,
  LabelSummary,
} from './label-types';
import type { BeaconDetail, BeaconDetailRequest, DetectRequest, DetectResult } from './detect-types';
import type {
  ColumnProfile,
  CompareRequest,
  CompareResult,
  CorrelationMatrix,
  CorrelationRequest,
  DescribeRequest,
  OutliersRequest,
  OutliersResult,
  RegressionRequest,
  RegressionResult,
  StatsSource,
} from './stats-types';
import type {
  DatasetInfo,
  ImportResult,
  MlProgress,
  ModelSummary,
  PredictionPage,
  PredictionPageRequest,
  PredictRequest,
  PredictResult,
  TrainRequest,
} from './ml-types';

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
  /** Public addresses of the filtered flows per country (offline database): the world map. */
  'hosts.countries': { request: CountriesRequest; response: CountryTraffic[] };
  /** One country's public addresses, heaviest first (to filter the flows to them). */
  'hosts.countryHosts': { request: CountryHostsRequest; response: CountryHosts };

  /** Runs the detectors (beacons, DNS, scans, floods, ARP, ...) over the case or some captures. */
  'detect.run': { request: DetectRequest; response: DetectResult };
  /** A beacon pair's interval and size histograms. */
  'detect.beaconDetail': { request: BeaconDetailRequest; response: BeaconDetail };
  /** Numeric columns statistics accept, per source. */
  'stats.columns': { request: { source?: StatsSource }; response: string[] };
  /** Profile of one numeric column (optionally per group, e.g. by label). */
  'stats.describe': { request: DescribeRequest; response: ColumnProfile[] };
  'stats.correlation': { request: CorrelationRequest; response: CorrelationMatrix };
  /** One column between two groups: Welch t-test and two-sample KS test. */
  'stats.compare': { request: CompareRequest; response: CompareResult };
  'stats.regression': { request: RegressionRequest; response: RegressionResult };
  'stats.outliers': { request: OutliersRequest; response: OutliersResult };

  /** Labels the target flows (set-based, any number); conflicts are counted and kept visible. */
  'labels.apply': { request: LabelApplyRequest; response: LabelApplyResult };
  'labels.clear': { request: LabelClearRequest; response: LabelApplyResult };
  'labels.undo': { request: void; response: LabelBatch | null };
  'labels.redo': { request: void; response: LabelBatch | null };
  /** Labels of the given flows (the grid's label column); unlabeled flows are absent. */
  'labels.forFlows': { request: { flowIds: number[] }; response: FlowLabel[] };
  'labels.history': { request: { flowId: number }; response: FlowLabelHistoryEntry[] };
  'labels.summary': { request: { recent?: number }; response: LabelSummary };
  'labels.conflicts': { request: { limit?: number }; response: LabelConflict[] };
  'labels.import': { request: LabelImportRequest; response: LabelImportResult };
  'labels.rules': { request: void; response: LabelRule[] };
  'labels.saveRule': { request: LabelRuleInput; response: LabelRule };
  'labels.deleteRule': { request: { ruleId: number }; response: void };
  /** Applies a saved rule (to some captures, e.g. new ones, or to all). */
  'labels.applyRule': { request: { ruleId: number; captureIds?: number[] }; response: LabelApplyResult };

  /** Exports flows or packets (CSV, Parquet, CICIDS2017 layout) into the case's export directory; progress as 'export.progress'. */
  'export.flows': { request: ExportRequest; response: ExportResult };
  /** Writes the packets of the chosen flows as a new pcap/pcapng (records copied byte for byte). */
  'export.carve': { request: CarveRequest; response: CarveResult };
  /** Cancels one running export/carve, or all when no jobId is given. */
  'export.cancel': { request: { jobId?: number }; response: void };
  /** Where exports are written (the case file's directory + `<case>-exports`). */
  'export.directory': { request: void; response: { path: string } };
  /** Opens a carved capture of the export directory in Wireshark, when it is installed. */
  'export.openInWireshark': { request: { path: string }; response: { opened: boolean; message?: string } };

  /** Imported CICFlowMeter/CICIDS2017 labeled flow sets (kept apart from captured flows). */
  'ml.datasets': { request: void; response: DatasetInfo[] };
  'ml.import': { request: { paths: string[] }; response: ImportResult[] };
  'ml.deleteDataset': { request: { datasetId: number }; response: void };
  /** Feature names a model can use for a source (default choice first: numeric, no identifiers). */
  'ml.features': { request: { source: 'imported' | 'captured' }; response: { defaults: string[]; all: string[] } };
  /** Trains and evaluates a model in a worker (progress as 'ml.progress'); saves it in the case. */
  'ml.train': { request: TrainRequest; response: ModelSummary };
  /** Cancels running training/prediction jobs. */
  'ml.cancel': { request: void; response: void };
  'ml.models': { request: void; response: ModelSummary[] };
  'ml.deleteModel': { request: { modelId: number }; response: void };
  /** Applies a model to a capture; predictions are then filterable (FlowFilter.prediction). */
  'ml.predict': { request: PredictRequest; response: PredictResult };
  /** A page of predictions; order 'uncertain' = active learning's next flows to label. */
  'ml.predictions': { request: PredictionPageRequest; response: PredictionPage };
}

/** Events main → renderer (IPC `webContents.send`; browser mode: Server-Sent Events at /api/events). */
export interface ApiEvents {
  'ingest.progress': IngestProgress;
  /** A capture was added, finished, or removed: views refresh. */
  'captures.changed': { captureId: number };
  /** A labeling act, undo, redo or import changed flow labels: label views refresh. */
  'labels.changed': { batchId: number | null };
  /** Progress, end, cancel or failure of an export or carve job. */
  'export.progress': ExportProgress;
  /** Progress of a training or prediction job. */
  'ml.progress': MlProgress;
  /** Datasets, models or predictions changed: the Models view refreshes. */
  'ml.changed': { modelId: number | null };
  /** Desktop only: a native-menu command, e.g. File > Export… (see menu-commands.ts). */
  'menu.command': { command: MenuCommand };
}

export type ApiChannel = keyof ApiContract;
export type ApiRequest<C extends ApiChannel> = ApiContract[C]['request'];
export type ApiResponse<C extends ApiChannel> = ApiContract[C]['response'];
export type ApiEventName = keyof ApiEvents;

/**
 * Every event name, for transports that subscribe or forward by name (the preload's allow-list,
 * the SSE hub). `satisfies` makes an event added to ApiEvents but missing here a compile error.
 */
export const API_EVENTS = Object.keys({
  'ingest.progress': true,
  'captures.changed': true,
  'labels.changed': true,
  'export.progress': true,
  'ml.progress': true,
  'ml.changed': true,
  'menu.command': true,
} satisfies Record<ApiEventName, true>) as ApiEventName[];

/** Whether `name` is one of the contract's events (an own name, not e.g. 'constructor'). */
export function isApiEventName(name: unknown): name is ApiEventName {
  return typeof name === 'string' && (API_EVENTS as string[]).includes(name);
}

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
  'hosts.countries',
  'hosts.countryHosts',
  'detect.run',
  'detect.beaconDetail',
  'stats.columns',
  'stats.describe',
  'stats.correlation',
  'stats.compare',
  'stats.regression',
  'stats.outliers',
  'labels.apply',
  'labels.clear',
  'labels.undo',
  'labels.redo',
  'labels.forFlows',
  'labels.history',
  'labels.summary',
  'labels.conflicts',
  'labels.import',
  'labels.rules',
  'labels.saveRule',
  'labels.deleteRule',
  'labels.applyRule',
  'export.flows',
  'export.carve',
  'export.cancel',
  'export.directory',
  'export.openInWireshark',
  'ml.datasets',
  'ml.import',
  'ml.deleteDataset',
  'ml.features',
  'ml.train',
  'ml.cancel',
  'ml.models',
  'ml.deleteModel',
  'ml.predict',
  'ml.predictions',
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
