/**
 * Preload: exposes `window.flowlab`, the typed FlowlabApi, one function per channel (never a
 * generic invoke), event subscription for the known events only, and `pathForFile` for drag
 * and drop (a sandboxed renderer has no File.path).
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { buildClientMethods, isApiEventName } from '../shared/api-contract';
import type { ApiChannel, ApiEventName, ApiEvents, ApiRequest, ApiResponse, FlowlabApi } from '../shared/api-contract';
import { deserializeError } from '../shared/errors';
import type { SerializedError } from '../shared/errors';

type Envelope<T> = { ok: true; result: T } | { ok: false; error: SerializedError };

/** Calls a channel and unwraps the main process's `{ ok, result | error }` envelope. */
async function call<C extends ApiChannel>(channel: C, request?: ApiRequest<C>): Promise<ApiResponse<C>> {
  const envelope = (await ipcRenderer.invoke(channel, request)) as Envelope<ApiResponse<C>>;
  if (envelope.ok) return (envelope.result ?? undefined) as ApiResponse<C>;
  throw deserializeError(envelope.error);
}

const api: FlowlabApi = {
  ...buildClientMethods((channel, request) => call(channel, request as ApiRequest<typeof channel>)),
  on: <E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void) => {
    if (!isApiEventName(event)) throw new Error(`Unknown event ${String(event)}`);
    const handler = (_event: IpcRendererEvent, payload: ApiEvents[E]) => listener(payload);
    ipcRenderer.on(event, handler);
    return () => {
      ipcRenderer.off(event, handler);
    };
  },
  pathForFile: (file: File) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('flowlab', api);
