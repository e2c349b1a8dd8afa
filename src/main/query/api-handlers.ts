/**
 * The handlers of every API channel over one FlowlabService: what the Electron IPC and the
 * browser-mode HTTP server both register. Requests come from outside and are validated here.
 */
import type { ApiHandlers } from '../../shared/api-contract';
import { createAnalyticsHandlers } from '../detect/detect-handlers';
import { validateFilterExpression } from '../../shared/filter/filter-parser';
import type { FlowlabService } from '../service/flowlab-service';
import type { ApiEventSink } from './api-event-sink';
import { iatHistogram, timeseries, top } from './dashboard-queries';
import { countries, countryHosts } from './country-queries';
import { flowDetails } from './flow-details';
import { flowColumns, flowsCount, flowsPage } from './flow-queries';
import { Geolocation } from './geolocation';
import { hostsGraph, hostsPage } from './host-queries';
import { IngestQueue } from './ingest-queue';
import { packetSizes } from './packet-sizes';
import { integerField, requestObject } from './request-checks';
import { createLabelHandlers } from '../labels/labels-handlers';
import { createExportHandlers } from '../export/export-handlers';
import { createMlHandlers } from '../ml/ml-handlers';

let sharedGeolocation: Geolocation | undefined;

/** The handlers plus the ingest queue they own (to cancel and drain it on shutdown). */
export type ApiHandlersWithIngest = ApiHandlers & { readonly ingest: IngestQueue };

/** Handlers for every channel of the API contract, bound to `service`; events go to `events`. */
export function createApiHandlers(service: FlowlabService, events: ApiEventSink): ApiHandlersWithIngest {
  const store = service.store;
  const ingest = new IngestQueue(service, events);
  const geolocation = () => (sharedGeolocation ??= Geolocation.load());
  const handlers = {
    'captures.list': async () => service.listCaptures(),
    'captures.remove': async (request) => {
      const { captureId } = requestObject<{ captureId?: unknown }>(request, 'captures.remove');
      const id = integerField(captureId, 'captureId', { min: 0, max: 2 ** 31 - 1 });
      await service.removeCapture(id);
      events.emit('captures.changed', { captureId: id });
    },
    'ingest.start': async (request) => ingest.start(request),
    'ingest.cancel': async () => ingest.cancel(),
    'flows.columns': async () => flowColumns(),
    'flows.validateFilter': async (request) => {
      const { expression } = requestObject<{ expression?: unknown }>(request, 'flows.validateFilter');
      if (typeof expression !== 'string')
        return { ok: false, error: 'Expected the expression to be a string', position: 0 };
      return validateFilterExpression(expression);
    },
    'flows.page': (request) => flowsPage(store, request),
    'flows.count': (request) => flowsCount(store, request),
    'flows.details': (request) => flowDetails(store, request),
    'dashboard.timeseries': (request) => timeseries(store, request),
    'dashboard.top': (request) => top(store, request),
    'dashboard.iatHistogram': (request) => iatHistogram(store, request),
    'dashboard.packetSizes': (request) => packetSizes(store, request),
    'hosts.page': (request) => hostsPage(store, request, geolocation()),
    'hosts.graph': (request) => hostsGraph(store, request),
    'hosts.countries': (request) => countries(store, request, geolocation()),
    'hosts.countryHosts': (request) => countryHosts(store, request, geolocation()),
    ...createLabelHandlers(store, (batchId) => events.emit('labels.changed', { batchId })),
    ...createExportHandlers(service, events),
    ...createAnalyticsHandlers(store),
    ...createMlHandlers(store, events),
  } satisfies ApiHandlers;
  return Object.assign(handlers, { ingest });
}
