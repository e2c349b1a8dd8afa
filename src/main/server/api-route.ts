/**
 * `POST /api/<channel>`: a JSON request body (at most 1 MiB) → 200 `{"ok":true,"result":...}`,
 * or `{"ok":false,"error":{name,message,code}}` (200 for a handler's error, 400 for a bad body,
 * 404 for an unknown channel, 413 for a body too large).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_CHANNELS } from '../../shared/api-contract';
import type { ApiChannel, ApiHandlers } from '../../shared/api-contract';
import { ErrorCode, FlowlabError, serializeError } from '../../shared/errors';
import type { SerializedError } from '../../shared/errors';

export const MAX_BODY_BYTES = 1 << 20;

const CHANNELS = new Set<string>(API_CHANNELS);

/** True for a known channel name. */
export function isApiChannel(name: string): name is ApiChannel {
  return CHANNELS.has(name);
}

/** Error details for the client, without stack traces. */
function publicError(error: unknown): SerializedError {
  const strip = (serialized: SerializedError): SerializedError => {
    const { name, message, code, cause } = serialized;
    return cause ? { name, message, code, cause: strip(cause) } : { name, message, code };
  };
  return strip(serializeError(error));
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

function sendError(response: ServerResponse, status: number, error: unknown): void {
  sendJson(response, status, { ok: false, error: publicError(error) });
}

/** Reads the body up to MAX_BODY_BYTES; undefined when it is too large. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Handles one API call for `channel` (already known to be a channel name or not). */
export async function handleApiCall(
  request: IncomingMessage,
  response: ServerResponse,
  channel: string,
  handlers: ApiHandlers,
): Promise<void> {
  if (!isApiChannel(channel)) {
    sendError(
      response,
      404,
      new FlowlabError(
        ErrorCode.invalidArgument,
        `Unknown API channel ${JSON.stringify(channel.slice(0, 80))}`,
      ),
    );
    return;
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    sendError(
      response,
      413,
      new FlowlabError(
        ErrorCode.invalidArgument,
        `Expected a request body of at most ${MAX_BODY_BYTES} bytes, found ${declared}`,
      ),
    );
    request.resume();
    return;
  }
  const body = await readBody(request);
  if (!body) {
    sendError(
      response,
      413,
      new FlowlabError(
        ErrorCode.invalidArgument,
        `Expected a request body of at most ${MAX_BODY_BYTES} bytes`,
      ),
    );
    return;
  }
  let payload: unknown;
  try {
    payload = body.length ? JSON.parse(body.toString('utf8')) : undefined;
  } catch (error) {
    sendError(
      response,
      400,
      new FlowlabError(
        ErrorCode.invalidArgument,
        `Expected a JSON request body: ${(error as Error).message}`,
      ),
    );
    return;
  }
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    const result = await handler(payload);
    sendJson(response, 200, { ok: true, result: result === undefined ? null : result });
  } catch (error) {
    sendError(response, 200, error);
  }
}
