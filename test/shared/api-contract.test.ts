import { describe, expect, it } from 'vitest';
import { API_CHANNELS, buildClientMethods, clientMethodName } from '../../src/shared/api-contract';

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
