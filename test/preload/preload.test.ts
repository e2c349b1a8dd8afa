/**
 * The Electron preload with `electron` replaced by recorders: what it exposes as window.flowlab
 * is one function per contract channel and an `on` that subscribes to exactly the contract's
 * events (taken from API_EVENTS, not a hand-kept list) and refuses every other name.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { API_CHANNELS, API_EVENTS, clientMethodName } from '../../src/shared/api-contract';
import type { FlowlabApi } from '../../src/shared/api-contract';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  subscribed: [] as string[],
  unsubscribed: [] as string[],
  invoked: [] as Array<[string, unknown]>,
  reply: { ok: true, result: 'pong' } as unknown,
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value) },
  ipcRenderer: {
    invoke: async (channel: string, request: unknown) => {
      electron.invoked.push([channel, request]);
      return electron.reply;
    },
    on: (event: string) => electron.subscribed.push(event),
    off: (event: string) => electron.unsubscribed.push(event),
  },
  webUtils: { getPathForFile: () => '/dropped/file.pcap' },
}));

describe('preload (window.flowlab)', () => {
  let api: FlowlabApi;
  beforeAll(async () => {
    await import('../../src/preload/index');
    api = electron.exposed.get('flowlab') as FlowlabApi;
  });
  beforeEach(() => {
    electron.subscribed.length = 0;
    electron.unsubscribed.length = 0;
    electron.invoked.length = 0;
  });

  it('exposes one function per channel that invokes that channel and unwraps the result', async () => {
    const methods = api as unknown as Record<string, (request?: unknown) => Promise<unknown>>;
    for (const channel of API_CHANNELS) {
      const request = { probe: channel };
      await expect(methods[clientMethodName(channel)]!(request)).resolves.toBe('pong');
      expect(electron.invoked.at(-1)).toEqual([channel, request]);
    }
    expect(Object.keys(api).sort()).toEqual(
      [...API_CHANNELS.map(clientMethodName), 'on', 'pathForFile'].sort(),
    );
  });

  it('rethrows an error envelope as an Error with its name, message and code', async () => {
    electron.reply = {
      ok: false,
      error: { name: 'FlowlabError', message: 'no such capture', code: 'INVALID_ARGUMENT' },
    };
    try {
      await expect(api.capturesList()).rejects.toMatchObject({
        name: 'FlowlabError',
        message: 'no such capture',
        code: 'INVALID_ARGUMENT',
      });
    } finally {
      electron.reply = { ok: true, result: 'pong' };
    }
  });

  it('subscribes to every contract event and unsubscribes on request', () => {
    expect(API_EVENTS.length).toBeGreaterThan(0);
    for (const event of API_EVENTS) {
      const off = api.on(event, () => undefined);
      expect(electron.subscribed.at(-1)).toBe(event);
      off();
      expect(electron.unsubscribed.at(-1)).toBe(event);
    }
    expect(electron.subscribed).toEqual(API_EVENTS);
  });

  it('refuses names outside the contract, including inherited object keys', () => {
    for (const name of [
      'flows.page',
      'ingest',
      'constructor',
      'toString',
      '__proto__',
      'hasOwnProperty',
      '',
    ]) {
      expect(() => api.on(name as never, () => undefined), name).toThrow(/Unknown event/);
    }
    expect(electron.subscribed).toEqual([]);
  });

  it('gives the path of a dropped file', () => {
    expect(api.pathForFile?.({} as File)).toBe('/dropped/file.pcap');
  });
});
