/**
 * Browser mode under attack (issue #7): requests without the token or with near-miss tokens,
 * DNS-rebinding Host headers, cross-origin and look-alike Origins, path traversal in every
 * encoding we know of, directory listings, malformed and oversized API bodies, and the listening
 * address (loopback only: not reachable on the machine's other addresses).
 */
import { connect } from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowlabService } from '../../../src/main/service/flowlab-service';
import type { RunningServer } from '../../../src/main/server/start-server';
import { send, startTestServer } from './server-fixture';
import type { TestServer } from './server-fixture';

describe('browser-mode server under hostile requests', () => {
  let fixture: TestServer;
  let service: FlowlabService;
  let server: RunningServer;
  let auth: Record<string, string>;
  beforeAll(async () => {
    fixture = await startTestServer('flowlab-hostile-http-');
    ({ service, server, auth } = fixture);
  });
  afterAll(() => fixture?.close());

  it('answers 401 to every resource without a valid token, including the event stream', async () => {
    const t = server.token;
    const wrong: Record<string, string>[] = [
      {},
      { authorization: 'Bearer ' },
      { authorization: `Bearer ${t}x` },
      { authorization: `Bearer ${t.slice(0, -1)}` },
      { authorization: `bearer ${t}` },
      { authorization: `Basic ${Buffer.from(`x:${t}`).toString('base64')}` },
      { cookie: `flowlab_token_${server.port}=${t.toUpperCase()}` },
      { cookie: `other=${t}` },
    ];
    for (const headers of wrong) {
      for (const [method, target] of [
        ['GET', '/'],
        ['GET', '/assets/app.js'],
        ['GET', '/api/events'],
        ['POST', '/api/flows.count'],
        ['POST', '/api/captures.list'],
      ] as const) {
        const reply = await send(server.port, {
          method,
          path: target,
          headers,
          body: method === 'POST' ? '{"filter":{}}' : undefined,
        });
        expect(reply.status, `${method} ${target} ${JSON.stringify(headers)}`).toBe(401);
        expect(reply.body).toBe('Unauthorized');
      }
    }
    expect((await send(server.port, { path: `/?token=${t}x` })).status).toBe(401);
  });

  it('refuses DNS-rebinding Host headers (403) and a missing Host, even with the token', async () => {
    const p = server.port;
    for (const host of [
      `127.0.0.1:${p}.evil.example`,
      `evil.example#127.0.0.1:${p}`,
      `127.0.0.2:${p}`,
      `0.0.0.0:${p}`,
      `[::1]:${p}`,
      `localhost.:${p}`,
      `127.1:${p}`,
    ]) {
      expect((await send(p, { path: '/', headers: { ...auth, host } })).status, host).toBe(403);
    }
    // Without Host, Node's HTTP/1.1 parser already answers 400 before our guard runs.
    expect([400, 403]).toContain((await send(p, { path: '/', headers: auth, noHost: true })).status);
  });

  it('refuses POSTs from other and look-alike origins with 403', async () => {
    const p = server.port;
    for (const origin of [
      'null',
      `http://127.0.0.1:${p}.evil.example`,
      `https://127.0.0.1:${p}`,
      `http://localhost:${p}`,
      `http://127.0.0.1:${p + 1}`,
      `http://127.0.0.1:${p}/`,
      'file://',
    ]) {
      const reply = await send(p, {
        method: 'POST',
        path: '/api/captures.list',
        headers: { ...auth, origin },
      });
      expect(reply.status, origin).toBe(403);
    }
  });

  it.each([
    '/%252e%252e/secret.txt',
    '/%c0%ae%c0%ae/secret.txt',
    '/%C0%AE%C0%AE%C0%AF%C0%AE%C0%AE%C0%AFsecret.txt',
    '/%2E%2E/secret.txt',
    '/.%2e/secret.txt',
    '/%2e./secret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/assets%2f..%2f..%2fsecret.txt',
    '/assets/..;/..;/secret.txt',
    '/%ef%bc%8e%ef%bc%8e/secret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/index.html%00.js',
    '/%',
    '/%zz',
    '/./index.html',
    '/assets/.',
    '/%2e/',
    '/renderer/../secret.txt',
    `/${'../'.repeat(20)}etc/passwd`,
    'http://127.0.0.1/../secret.txt',
    '*',
  ])('path %s is never served outside the renderer nor listed', async (target) => {
    const reply = await send(server.port, { path: target, headers: auth });
    expect([400, 403, 404]).toContain(reply.status);
    expect(reply.body).not.toContain('TOP SECRET');
    expect(reply.body).not.toContain('app.js');
    expect(reply.body).not.toContain('root:');
  });

  it('answers malformed, oversized and misdirected API calls without running anything', async () => {
    const post = (target: string, body: string | Buffer, headers: Record<string, string> = {}) =>
      send(server.port, {
        method: 'POST',
        path: target,
        headers: { ...auth, 'content-type': 'application/json', ...headers },
        body,
      });
    expect((await post('/api/flows.count', '{"filter":')).status).toBe(400);
    expect((await post('/api/flows.count', Buffer.alloc(2 << 20, 0x20))).status).toBe(413);
    for (const target of [
      '/api/../api/captures.list',
      '/api/captures.list/..',
      '/api/__proto__',
      '/api/constructor',
      '/api/captures.list%00',
      '/api/',
    ]) {
      expect((await post(target, '{}')).status, target).toBe(404);
    }
    const injected = await post(
      '/api/flows.count',
      JSON.stringify({ filter: { expression: 'x = 1; DROP TABLE flows; --' } }),
    );
    expect(injected.status).toBe(200);
    expect(JSON.parse(injected.body).ok).toBe(false);
    const rows = await service.store.rows('SELECT count(*) AS n FROM flows');
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    expect(
      (await send(server.port, { method: 'PUT', path: '/api/captures.list', headers: auth })).status,
    ).toBe(405);
    expect((await send(server.port, { method: 'DELETE', path: '/', headers: auth })).status).toBe(405);
  });

  it("listens on loopback only: the machine's other addresses do not answer", async () => {
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((address) => address && !address.internal)
      .map((address) => address!.address);
    for (const address of others) {
      const reached = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: address, port: server.port, timeout: 2000 });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
        socket.once('timeout', () => {
          socket.destroy();
          resolve(false);
        });
      });
      expect(reached, address).toBe(false);
    }
  });
});
