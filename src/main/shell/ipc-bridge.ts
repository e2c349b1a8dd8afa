/**
 * Registers every API channel with ipcMain.handle over the current handlers object (the case
 * can change), answering only the app's own pages. Results travel as the same envelope as the
 * browser mode (`{ ok, result }` / `{ ok: false, error }`) so error codes survive; the preload
 * unwraps it.
 */
import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import { API_CHANNELS } from '../../shared/api-contract';
import type { ApiHandlers } from '../../shared/api-contract';
import { serializeError } from '../../shared/errors';

export function registerApiIpc(
  currentHandlers: () => Promise<ApiHandlers>,
  isTrustedUrl: (url: string) => boolean,
): void {
  for (const channel of API_CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, request: unknown) => {
      if (!isTrustedUrl(event.senderFrame?.url ?? '')) {
        return {
          ok: false,
          error: { name: 'Error', message: 'Request from an untrusted page', code: 'INVALID_ARGUMENT' },
        };
      }
      try {
        const handlers = await currentHandlers();
        const result = await (handlers[channel] as (request: unknown) => Promise<unknown>)(request);
        return { ok: true, result: result === undefined ? null : result };
      } catch (error) {
        const { name, message, code } = serializeError(error);
        return { ok: false, error: { name, message, code } };
      }
    });
  }
}
