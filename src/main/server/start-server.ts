/**
 * Browser mode: the built renderer and the API over HTTP on 127.0.0.1 only, guarded by a
 * random per-run token. Protocol (the renderer's HTTP client speaks exactly this):
 *
 * - URL printed: `http://127.0.0.1:PORT/?token=TOKEN`. A GET carrying the right `token` query
 *   parameter gets `Set-Cookie: flowlab_token_PORT=TOKEN; HttpOnly; SameSite=Strict; Path=/` and a
 *   302 to `/`; a wrong one gets 401.
 * - Every other request needs the token (cookie, or `Authorization: Bearer TOKEN`), else 401.
 * - Host must be `127.0.0.1:PORT` or `localhost:PORT`, else 403 (DNS rebinding); a POST's
 *   Origin, when present, must be the server's own origin, else 403.
 * - `POST /api/<channel>` (see api-route.ts), `GET /api/events` (see event-stream.ts), and
 *   static files of the renderer directory with the shell's Content-Security-Policy.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiEventHub } from '../query/api-event-sink';
import { createApiHandlers } from '../query/api-handlers';
import type { BackendClient } from '../service/backend-client';
import type { FlowlabService } from '../service/flowlab-service';
import type { ApiHandlers } from '../../shared/api-contract';
import { CONTENT_SECURITY_POLICY } from '../shell/content-security-policy';
import { handleApiCall } from './api-route';
import { EventStreams } from './event-stream';
import {
  createToken,
  isAllowedHost,
  isAllowedOrigin,
  requestToken,
  sameSecret,
  tokenCookie,
} from './request-guard';
import { resolveStaticFile, sendFile } from './static-files';

export interface ServerOptions {
  /** The case's service, run on this thread (tests, the end-to-end sessions). */
  service?: FlowlabService;
  /**
   * Or the backend worker thread that has the case open (what `flowlab serve` uses, as the
   * desktop app does): its handlers answer the API and its events must go to `hub`.
   */
  backend?: { client: BackendClient; hub: ApiEventHub };
  /** TCP port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** Directory of the built renderer (index.html and assets). */
  rendererDir: string;
  /** The access token (default: 32 random bytes, base64url). */
  token?: string;
  /** Heartbeat interval of the event stream (tests shorten it). */
  heartbeatMs?: number;
}

export interface RunningServer {
  /** `http://127.0.0.1:PORT/?token=TOKEN`: what the user opens. */
  url: string;
  origin: string;
  port: number;
  token: string;
  /** The API handlers the server calls (e.g. for `serve --open`). */
  handlers: ApiHandlers;
  /** Stops accepting requests, ends event streams, cancels ingests. */
  close(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Starts the server; resolves once it listens. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? createToken();
  const { handlers, hub, stopIngests, ingestsIdle } = serverApi(options);
  const streams = new EventStreams(hub, options.heartbeatMs);
  let port = 0;

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    if (!isAllowedHost(request.headers.host, port)) return sendText(response, 403, 'Forbidden');
    const target = request.url ?? '';
    if (!target.startsWith('/')) return sendText(response, 400, 'Bad request');
    const queryStart = target.indexOf('?');
    const rawPath = queryStart < 0 ? target : target.slice(0, queryStart);
    const query = new URLSearchParams(queryStart < 0 ? '' : target.slice(queryStart + 1));
    const method = request.method ?? 'GET';
    if (method === 'POST' && !isAllowedOrigin(request, port)) return sendText(response, 403, 'Forbidden');

    const queryToken = query.get('token');
    if (method === 'GET' && queryToken !== null) {
      if (!sameSecret(queryToken, token)) return sendText(response, 401, 'Unauthorized');
      response.writeHead(302, {
        Location: '/',
        'Set-Cookie': tokenCookie(token, port),
        'Cache-Control': 'no-store',
      });
      return void response.end();
    }
    const given = requestToken(request, port);
    if (given === undefined || !sameSecret(given, token)) return sendText(response, 401, 'Unauthorized');

    if (rawPath === '/api/events') {
      if (method !== 'GET') return sendText(response, 405, 'Method not allowed', { Allow: 'GET' });
      return streams.attach(request, response);
    }
    if (rawPath.startsWith('/api/')) {
      if (method !== 'POST') return sendText(response, 405, 'Method not allowed', { Allow: 'POST' });
      return handleApiCall(request, response, rawPath.slice('/api/'.length), handlers);
    }
    if (method !== 'GET' && method !== 'HEAD')
      return sendText(response, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
    const file = await resolveStaticFile(options.rendererDir, rawPath);
    if (!file) return sendText(response, 404, 'Not found');
    return sendFile(response, file, method === 'HEAD');
  };

  const server = createServer((request, response) => {
    route(request, response).catch(() => {
      if (!response.headersSent) sendText(response, 500, 'Internal error');
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    handlers,
    close: async () => {
      await stopIngests();
      streams.closeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await ingestsIdle();
    },
  };
}

/** The handlers and event hub of the service on this thread, or of the backend worker. */
function serverApi(options: ServerOptions): {
  handlers: ApiHandlers;
  hub: ApiEventHub;
  stopIngests: () => Promise<void>;
  ingestsIdle: () => Promise<void>;
} {
  if (options.backend) {
    const { client, hub } = options.backend;
    // The worker's own close (BackendClient.close, after the server's) waits for its ingests.
    return {
      handlers: client.handlers,
      hub,
      stopIngests: () => client.handlers['ingest.cancel']().catch(() => undefined),
      ingestsIdle: () => Promise.resolve(),
    };
  }
  if (!options.service) throw new Error('startServer needs a service or a backend');
  const hub = new ApiEventHub();
  const handlers = createApiHandlers(options.service, hub);
  return {
    handlers,
    hub,
    stopIngests: async () => handlers.ingest.cancel(),
    ingestsIdle: () => handlers.ingest.idle(),
  };
}
