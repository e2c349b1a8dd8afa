/**
 * Browser-mode transport of the API contract: `POST /api/<channel>` with the request as JSON
 * (the server set an HttpOnly auth cookie when it served the page), events over Server-Sent
 * Events at /api/events.
 */
import { buildClientMethods } from '../../../shared/api-contract';
import type {
  ApiChannel,
  ApiEventName,
  ApiEvents,
  ApiRequest,
  ApiResponse,
  FlowlabApi,
} from '../../../shared/api-contract';

/** An error the server reported, with its code (e.g. INVALID_ARGUMENT). */
export class ApiCallError extends Error {
  readonly code: string;
  constructor(name: string, message: string, code: string) {
    super(message);
    this.name = name;
    this.code = code;
  }
}

type Envelope<T> = { ok: true; result: T } | { ok: false; error: { name?: string; message?: string; code?: string } };

export interface HttpClientOptions {
  /** Origin and path prefix; default '' (same origin as the page). */
  baseUrl?: string;
  fetch?: typeof fetch;
  createEventSource?: (url: string) => EventSource;
}

export function createHttpClient(options: HttpClientOptions = {}): FlowlabApi {
  const baseUrl = options.baseUrl ?? '';
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const createEventSource = options.createEventSource ?? ((url: string) => new EventSource(url, { withCredentials: true }));
  let events: EventSource | undefined;

  async function call<C extends ApiChannel>(channel: C, request?: ApiRequest<C>): Promise<ApiResponse<C>> {
    const response = await fetchImpl(`${baseUrl}/api/${channel}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request ?? {}),
    });
    let envelope: Envelope<ApiResponse<C>>;
    try {
      envelope = (await response.json()) as Envelope<ApiResponse<C>>;
    } catch {
      throw new ApiCallError('Error', `${channel}: HTTP ${response.status} ${response.statusText}`.trim(), 'INTERNAL');
    }
    if (envelope && envelope.ok === true) return envelope.result;
    const error = envelope && envelope.ok === false ? envelope.error : undefined;
    throw new ApiCallError(
      error?.name ?? 'Error',
      error?.message ?? `${channel}: HTTP ${response.status}`,
      error?.code ?? 'INTERNAL',
    );
  }

  function on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    events ??= createEventSource(`${baseUrl}/api/events`);
    const handler = (message: MessageEvent<string>): void => {
      try {
        listener(JSON.parse(message.data) as ApiEvents[E]);
      } catch (error) {
        console.error(`Bad ${event} event`, error);
      }
    };
    events.addEventListener(event, handler as EventListener);
    return () => events?.removeEventListener(event, handler as EventListener);
  }

  return {
    ...buildClientMethods((channel, request) => call(channel, request as ApiRequest<typeof channel>)),
    on,
  };
}
