/**
 * `GET /api/events`: Server-Sent Events (`event: ingest.progress\ndata: {...}\n\n`, also
 * `captures.changed`), with a `: heartbeat` comment every 15 s so proxies and the browser keep
 * the connection open.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiEventHub } from '../query/api-event-sink';

export const HEARTBEAT_MS = 15_000;

/** Keeps `response` open as an event stream until the client goes away or `closeAll` runs. */
export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly hub: ApiEventHub,
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {}

  attach(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.write(': connected\n\n');
    this.open.add(response);
    const unsubscribe = this.hub.subscribe((event, payload) => {
      response.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), this.heartbeatMs);
    heartbeat.unref();
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.open.delete(response);
    };
    request.on('close', close);
    response.on('close', close);
  }

  /** Ends every open stream (server shutdown). */
  closeAll(): void {
    for (const response of this.open) response.end();
    this.open.clear();
  }
}
