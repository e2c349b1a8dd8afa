import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../../src/main/server/start-server';
import type { RunningServer } from '../../../src/main/server/start-server';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/shell/window-options';
import type { FlowlabService } from '../../../src/main/service/flowlab-service';
import { CAPTURE1_FLOWS, CAPTURE2_FLOWS } from '../query/synthetic-case';
import { send, startTestServer } from './server-fixture';
import type { TestServer } from './server-fixture';

describe('browser-mode server', () => {
  let fixture: TestServer;
  let dir: string;
  let service: FlowlabService;
  let server: RunningServer;
  let auth: Record<string, string>;
  beforeAll(async () => {
    fixture = await startTestServer('flowlab-server-', { symlinkSecret: true });
    ({ dir, service, server, auth } = fixture);
  });
  afterAll(() => fixture?.close());

  it('listens on 127.0.0.1 with a 43-character base64url token in the URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('answers 401 without a token or with a wrong one, with no details', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong' },
      { cookie: `flowlab_token_${server.port}=wrong` },
    ] as Record<string, string>[]) {
      const reply = await send(server.port, { path: '/', headers });
      expect(reply.status).toBe(401);
      expect(reply.body).toBe('Unauthorized');
    }
    expect((await send(server.port, { path: '/?token=wrong' })).status).toBe(401);
    expect((await send(server.port, { method: 'POST', path: '/api/captures.list' })).status).toBe(401);
  });

  it('turns the token query into an HttpOnly SameSite=Strict cookie and redirects to /', async () => {
    const reply = await send(server.port, { path: `/?token=${server.token}` });
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('/');
    expect(reply.headers['set-cookie']).toEqual([
      `flowlab_token_${server.port}=${server.token}; HttpOnly; SameSite=Strict; Path=/`,
    ]);
    const page = await send(server.port, {
      path: '/',
      headers: { cookie: `other=1; flowlab_token_${server.port}=${server.token}` },
    });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Flowlab</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const script = await send(server.port, { path: '/assets/app.js', headers: auth });
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('issue #3 - two serve instances on one host use different cookie names, so both stay logged in', async () => {
    const second = await startServer({ service, rendererDir: path.join(dir, 'renderer'), heartbeatMs: 50 });
    try {
      const cookies: string[] = [];
      for (const running of [server, second]) {
        const login = await send(running.port, { path: `/?token=${running.token}` });
        cookies.push(login.headers['set-cookie']![0]!.split(';')[0]!);
      }
      expect(cookies[0]).toBe(`flowlab_token_${server.port}=${server.token}`);
      expect(cookies[1]).toBe(`flowlab_token_${second.port}=${second.token}`);
      // A browser sends both cookies (cookies are per host, not per port) to each server.
      const both = cookies.join('; ');
      for (const running of [server, second])
        expect((await send(running.port, { path: '/', headers: { cookie: both } })).status).toBe(200);
      // One server's cookie under another's name is refused.
      const swapped = `flowlab_token_${second.port}=${server.token}`;
      expect((await send(second.port, { path: '/', headers: { cookie: swapped } })).status).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('refuses other Host headers (DNS rebinding) and cross-origin POSTs with 403', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${server.port}`,
      `127.0.0.1:${server.port + 1}`,
      '127.0.0.1',
    ]) {
      expect((await send(server.port, { path: '/', headers: { ...auth, host } })).status).toBe(403);
    }
    expect(
      (await send(server.port, { path: '/', headers: { ...auth, host: `localhost:${server.port}` } })).status,
    ).toBe(200);
    const crossOrigin = await send(server.port, {
      method: 'POST',
      path: '/api/captures.list',
      headers: { ...auth, origin: 'http://evil.example' },
    });
    expect(crossOrigin.status).toBe(403);
    const sameOrigin = await send(server.port, {
      method: 'POST',
      path: '/api/captures.list',
      headers: { ...auth, origin: server.origin },
    });
    expect(sameOrigin.status).toBe(200);
  });

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/..%2fpackage.json',
    '/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/assets/../../secret.txt',
    '/..\\secret.txt',
    '/%00index.html',
    '/link.txt',
    '/assets',
    '/assets/',
    '//etc/passwd',
    '/%2fetc%2fpasswd',
    '/nonexistent.js',
  ])('never serves %s', async (target) => {
    const reply = await send(server.port, { path: target, headers: auth });
    expect([400, 403, 404]).toContain(reply.status);
    expect(reply.body).not.toContain('TOP SECRET');
    expect(reply.body).not.toContain('"name"');
  });

  it('round-trips an API call, with errors as { ok: false, error } and unknown channels as 404', async () => {
    const reply = await send(server.port, {
      method: 'POST',
      path: '/api/flows.count',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { expression: 'protocol = 6' } }),
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({
      ok: true,
      result: {
        count: [...CAPTURE1_FLOWS, ...CAPTURE2_FLOWS].filter((f) => f.numbers.protocol === 6).length,
      },
    });
    const invalid = await send(server.port, {
      method: 'POST',
      path: '/api/flows.count',
      headers: auth,
      body: JSON.stringify({ filter: { expression: 'dst_port >' } }),
    });
    expect(JSON.parse(invalid.body)).toEqual({
      ok: false,
      error: {
        name: 'FilterSyntaxError',
        message: "Expected a value after '>' at position 10, found end of input",
        code: 'INVALID_ARGUMENT',
      },
    });
    const unknown = await send(server.port, {
      method: 'POST',
      path: '/api/flows.drop',
      headers: auth,
      body: '{}',
    });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(
      (
        await send(server.port, {
          method: 'POST',
          path: '/api/flows.count',
          headers: auth,
          body: '{not json',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await send(server.port, {
          method: 'POST',
          path: '/api/flows.count',
          headers: auth,
          body: 'x'.repeat(2 << 20),
        })
      ).status,
    ).toBe(413);
    expect((await send(server.port, { method: 'GET', path: '/api/flows.count', headers: auth })).status).toBe(
      405,
    );
    const voidChannel = await send(server.port, {
      method: 'POST',
      path: '/api/ingest.cancel',
      headers: auth,
    });
    expect(JSON.parse(voidChannel.body)).toEqual({ ok: true, result: null });
  });

  it('streams events as Server-Sent Events with heartbeats', async () => {
    let removed = false;
    const received = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/events',
          headers: { host: `127.0.0.1:${server.port}`, cookie: `flowlab_token_${server.port}=${server.token}` },
        },
        (res) => {
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString('utf8');
            if (text.includes(': connected') && !removed) {
              // Once: concurrent removals would open two transactions on one connection.
              removed = true;
              void server.handlers['captures.remove']({ captureId: 2 });
            }
            if (text.includes('event: captures.changed') && text.includes(': heartbeat')) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(received).toContain('event: captures.changed\ndata: {"captureId":2}\n\n');
  });
});
