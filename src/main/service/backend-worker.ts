/**
 * The backend on a worker thread: the case's FlowlabService with its API handlers, driven by
 * BackendClient's messages. Ingest framing, spool writing and their garbage collection run
 * here, so the Electron main thread (windows, menus, IPC) never waits behind them.
 * One case at a time: `open` cancels the previous case's ingests and closes it first.
 */
import { parentPort } from 'node:worker_threads';
import { API_CHANNELS } from '../../shared/api-contract';
import type { ApiChannel } from '../../shared/api-contract';
import { ErrorCode, FlowlabError, serializeError } from '../../shared/errors';
import type { ApiEventSink } from '../query/api-event-sink';
import { createApiHandlers } from '../query/api-handlers';
import type { ApiHandlersWithIngest } from '../query/api-handlers';
import type { BackendReply, BackendRequest } from './backend-messages';
import { FlowlabService } from './flowlab-service';

const port = parentPort;
if (!port) throw new Error('backend-worker.ts runs as a worker thread (see BackendClient)');

const events: ApiEventSink = {
  emit: (event, payload) => port.postMessage({ type: 'event', event, payload } satisfies BackendReply),
};
let service: FlowlabService | undefined;
let handlers: ApiHandlersWithIngest | undefined;
/** Requests run one after another only for open/close; calls run concurrently, as over IPC. */
let switching: Promise<unknown> = Promise.resolve();

async function closeCase(): Promise<void> {
  if (handlers) {
    handlers.ingest.cancel();
    await handlers.ingest.idle();
  }
  handlers = undefined;
  const closing = service;
  service = undefined;
  await closing?.close();
}

async function handle(message: BackendRequest): Promise<unknown> {
  switch (message.type) {
    case 'open':
      await closeCase();
      service = await FlowlabService.open(message.casePath);
      handlers = createApiHandlers(service, events);
      return { casePath: service.casePath };
    case 'close':
      await closeCase();
      return null;
    case 'call': {
      const current = handlers;
      if (!current) throw new FlowlabError(ErrorCode.caseUnusable, 'No case is open');
      if (!(API_CHANNELS as readonly string[]).includes(message.channel))
        throw new FlowlabError(
          ErrorCode.invalidArgument,
          `Unknown API channel ${JSON.stringify(message.channel)}`,
        );
      const handler = current[message.channel as ApiChannel] as (request: unknown) => Promise<unknown>;
      const result = await handler(message.request);
      return result === undefined ? null : result;
    }
  }
}

port.on('message', (message: BackendRequest) => {
  const run =
    message.type === 'call'
      ? switching.then(() => handle(message))
      : (switching = switching.then(() => handle(message)));
  run.then(
    (result) => port.postMessage({ type: 'reply', id: message.id, ok: true, result } satisfies BackendReply),
    (error: unknown) => {
      const { name, message: text, code } = serializeError(error);
      port.postMessage({
        type: 'reply',
        id: message.id,
        ok: false,
        error: { name, message: text, code },
      } satisfies BackendReply);
    },
  );
  switching = switching.catch(() => undefined);
});
