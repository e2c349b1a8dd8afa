import { describe, expect, it } from 'vitest';
import { API_CHANNELS, API_EVENTS, buildClientMethods, clientMethodName, isApiEventName } from '../../src/shared/api-contract';

describe('buildClientMethods', () => {
  it('gives every channel one function, named after it, that calls its own channel', async () => {
    const calls: Array<[string, unknown]> = [];
    const methods = buildClientMethods(async (channel, request) => {
      calls.push([channel, request]);
      return channel;
    }) as unknown as Record<string, (request?: unknown) => Promise<unknown>>;
    expect(Object.keys(methods).sort()).toEqual(API_CHANNELS.map(clientMethodName).sort());
    for (const channel of API_CHANNELS) {
      const request = { probe: channel };
      await expect(methods[clientMethodName(channel)]!(request)).resolves.toBe(channel);
      expect(calls.at(-1)).toEqual([channel, request]);
    }
  });

  it('names channels in camel case', () => {
    expect(clientMethodName('flows.page')).toBe('flowsPage');
    expect(clientMethodName('dashboard.iatHistogram')).toBe('dashboardIatHistogram');
  });
});

describe('API_EVENTS', () => {
  it('lists each event once and recognises only those names', () => {
    expect(new Set(API_EVENTS).size).toBe(API_EVENTS.length);
    expect(API_EVENTS).toContain('ingest.progress');
    for (const event of API_EVENTS) expect(isApiEventName(event)).toBe(true);
    for (const name of ['flows.page', 'constructor', '__proto__', 'toString', '', undefined, 7])
      expect(isApiEventName(name)).toBe(false);
  });
});
