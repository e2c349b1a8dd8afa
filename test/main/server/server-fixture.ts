/**
 * Shared by the browser-mode server tests: a raw HTTP client and a running server over a
 * synthetic case with a tiny stand-in renderer and a secret file beside it (the traversal target).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../../src/main/server/start-server';
import type { RunningServer } from '../../../src/main/server/start-server';
import type { FlowlabService } from '../../../src/main/service/flowlab-service';
import { buildSyntheticCase } from '../query/synthetic-case';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SendOptions {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send no Host header at all. */
  noHost?: boolean;
}

/**
 * A raw request to 127.0.0.1:port: no path normalisation (fetch would resolve /../), any Host
 * (default `127.0.0.1:port`) or none, any body.
 */
export function send(port: number, options: SendOptions): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
        setHost: !options.noHost,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    if (options.noHost) req.removeHeader('host');
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface TestServer {
  /** Temporary directory: case file, `renderer/`, and `secret.txt` (outside the renderer). */
  dir: string;
  rendererDir: string;
  service: FlowlabService;
  server: RunningServer;
  /** `Authorization: Bearer <token>` for authenticated requests. */
  auth: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts the browser-mode server (50 ms SSE heartbeat) over a synthetic case. The renderer holds
 * `index.html` and `assets/app.js`; with `symlinkSecret`, also `link.txt` pointing at the secret.
 */
export async function startTestServer(
  prefix: string,
  options: { symlinkSecret?: boolean } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const { service } = await buildSyntheticCase(dir);
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Flowlab</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'secret.txt'), 'TOP SECRET');
  if (options.symlinkSecret) symlinkSync(path.join(dir, 'secret.txt'), path.join(rendererDir, 'link.txt'));
  const server = await startServer({ service, rendererDir, heartbeatMs: 50 });
  return {
    dir,
    rendererDir,
    service,
    server,
    auth: { authorization: `Bearer ${server.token}` },
    async close() {
      await server.close();
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
