/**
 * The Electron main thread's side of the backend worker (backend-worker.ts): opens and closes
 * cases there and exposes the API contract as handlers whose calls are messages to it, so the
 * IPC bridge and the menus work as with an in-process service while the main event loop stays
 * free during an ingest. Errors come back with their name, message and code.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { API_CHANNELS } from '../../shared/api-contract';
import type { ApiHandlers } from '../../shared/api-contract';
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { SerializedError } from '../../shared/errors';
import { locateWorkerFile } from '../ingest/worker-pools';
import type { ApiEventSink } from '../query/api-event-sink';
import type { BackendReply, BackendRequest } from './backend-messages';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** The built bundle has backend-worker.js beside it; from source (tsx, vitest) the .ts file. */
export function backendWorkerFile(): { filename: string; typescript: boolean } {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return locateWorkerFile('backend-worker', here, [
    path.join(here, 'backend-worker.js'),
    path.join(here, 'backend-worker.ts'),
  ]);
}

export class BackendClient {
  readonly handlers: ApiHandlers;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;

  constructor(events: ApiEventSink) {
    const { filename, typescript } = backendWorkerFile();
    // From source (tsx, vitest) the worker's entry is TypeScript: a worker's entry file is not
    // passed through tsx's hooks, so the entry is a module that registers them and imports it.
    this.worker = typescript
      ? new Worker(
          new URL(
            'data:text/javascript,' +
              encodeURIComponent(
                `const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))});` +
                  `register(); await import(${JSON.stringify(pathToFileURL(filename).href)});`,
              ),
          ),
        )
      : new Worker(filename);
    this.worker.on('message', (message: BackendReply) => {
      if (message.type === 'event') {
        events.emit(message.event, message.payload as never);
        return;
      }
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (message.ok) pending.resolve(message.result);
      else pending.reject(toError(message.error));
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) =>
      fail(new FlowlabError(ErrorCode.internal, `The backend worker exited (code ${code})`)),
    );
    const handlers: Record<string, (request: unknown) => Promise<unknown>> = {};
    for (const channel of API_CHANNELS) {
      handlers[channel] = (request) => this.send({ type: 'call', id: 0, channel, request });
    }
    this.handlers = handlers as unknown as ApiHandlers;
  }

  /** Opens (or creates) a case in the worker, after cancelling and closing the previous one. */
  async open(casePath: string): Promise<{ casePath: string }> {
    return (await this.send({ type: 'open', id: 0, casePath })) as { casePath: string };
  }

  /** Cancels the case's ingests, closes it and stops the worker. */
  async close(): Promise<void> {
    if (!this.failure) await this.send({ type: 'close', id: 0 });
    await this.worker.terminate();
  }

  private send(message: BackendRequest): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }
}

function toError(serialized: SerializedError): Error {
  const error = new FlowlabError(serialized.code as ErrorCode, serialized.message);
  error.name = serialized.name;
  return error;
}
