/** Where the API handlers send events (IPC webContents.send, or the browser mode's SSE hub). */
import { API_EVENTS } from '../../shared/api-contract';
import type { ApiEventName, ApiEvents } from '../../shared/api-contract';

export interface ApiEventSink {
  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void;
}

/** Every event name, for transports that subscribe or forward by name (the contract's list). */
export const API_EVENT_NAMES: readonly ApiEventName[] = API_EVENTS;

/** A sink that fans events out to any number of listeners (the SSE clients of browser mode). */
export class ApiEventHub implements ApiEventSink {
  private readonly listeners = new Set<(event: ApiEventName, payload: unknown) => void>();

  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: (event: ApiEventName, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
