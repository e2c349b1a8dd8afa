import { describe, expect, it } from 'vitest';
import { API_CHANNELS, clientMethodName } from '../../../src/shared/api-contract';
import { ApiCallError, createHttpClient } from '../../../src/renderer/src/api/http-client';
import { pickClient } from '../../../src/renderer/src/api/pick-client';

function fakeFetch(responses: Record<string, { status?: number; body: unknown }>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const response = responses[url] ?? { status: 404, body: 'not json' };
    return {
      status: response.status ?? 200,
      statusText: '',
      json: async () => {
        if (typeof response.body === 'string') throw new SyntaxError('Unexpected token');
        return response.body;
      },
    } as Response;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

describe('createHttpClient', () => {
  it('has one method per channel', () => {
    const client = createHttpClient({ fetch: fakeFetch({}).fetch }) as unknown as Record<string, unknown>;
    for (const channel of API_CHANNELS) expect(typeof client[clientMethodName(channel)], channel).toBe('function');
  });

  it('POSTs the request as JSON to /api/<channel> with the same-origin cookie and unwraps the result', async () => {
    const { fetch, calls } = fakeFetch({ '/api/flows.count': { body: { ok: true, result: { count: 42 } } } });
    const client = createHttpClient({ fetch });
    await expect(client.flowsCount({ filter: { expression: 'dst_port = 443' } })).resolves.toEqual({ count: 42 });
    expect(calls[0]!.init).toMatchObject({ method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' } });
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ filter: { expression: 'dst_port = 443' } });
  });

  it('throws the server error with its message and code', async () => {
    const { fetch } = fakeFetch({ '/api/flows.page': { status: 400, body: { ok: false, error: { name: 'FlowlabError', message: 'Unknown column "x"', code: 'INVALID_ARGUMENT' } } } });
    const error = await createHttpClient({ fetch }).flowsPage({ filter: {}, offset: 0, limit: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error).toMatchObject({ message: 'Unknown column "x"', code: 'INVALID_ARGUMENT' });
  });

  it('reports a non-JSON answer (e.g. a 403 without the cookie) with the HTTP status', async () => {
    const { fetch } = fakeFetch({ '/api/captures.list': { status: 403, body: 'Forbidden' } });
    await expect(createHttpClient({ fetch }).capturesList()).rejects.toThrow('captures.list: HTTP 403');
  });

  it('subscribes to named server-sent events and parses their JSON', () => {
    const listeners = new Map<string, (event: MessageEvent<string>) => void>();
    const source = {
      addEventListener: (name: string, listener: (event: MessageEvent<string>) => void) => listeners.set(name, listener),
      removeEventListener: (name: string) => listeners.delete(name),
    } as unknown as EventSource;
    const urls: string[] = [];
    const client = createHttpClient({ fetch: fakeFetch({}).fetch, createEventSource: (url) => (urls.push(url), source) });
    const seen: unknown[] = [];
    const off = client.on('captures.changed', (payload) => seen.push(payload));
    listeners.get('captures.changed')!({ data: '{"captureId":7}' } as MessageEvent<string>);
    expect(seen).toEqual([{ captureId: 7 }]);
    expect(urls).toEqual(['/api/events']);
    off();
    expect(listeners.has('captures.changed')).toBe(false);
  });
});

describe('pickClient', () => {
  it('prefers the Electron preload API and falls back to HTTP', () => {
    const desktop = { pathForFile: () => '/x' } as never;
    expect(pickClient({ flowlab: desktop }).mode).toBe('desktop');
    expect(pickClient({}).mode).toBe('browser');
  });
});
