import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = path.resolve('src/main/cli/flowlab.ts');

function run(
  args: string[],
  onLine?: (line: string, child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) onLine?.(stdout.split('\n')[0]!, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('flowlab serve', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-serve-'));
    mkdirSync(path.join(dir, 'renderer'));
    writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html>');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one URL line, serves the token exchange, and exits 0 on SIGINT', async () => {
    let status: number | undefined;
    const result = await run(
      ['serve', path.join(dir, 'case.duckdb'), '--renderer-dir', path.join(dir, 'renderer')],
      (line, child) => {
        const url = line.replace('Flowlab at ', '');
        void fetch(url, { redirect: 'manual' }).then((reply) => {
          status = reply.status;
          child.kill('SIGINT');
        });
      },
    );
    expect(result.stdout).toMatch(/^Flowlab at http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}\n$/);
    expect(status).toBe(302);
    expect(result.code).toBe(0);
  });

  it('serves the case from its backend worker: `--open` ingests there, the API answers with the token', async () => {
    const capture = path.resolve('test/fixtures/pcaps/ftp_bruteforce.pcap');
    let answer: unknown;
    const result = await run(
      [
        'serve',
        path.join(dir, 'open.duckdb'),
        '--renderer-dir',
        path.join(dir, 'renderer'),
        '--open',
        capture,
      ],
      (line, child) => {
        const url = new URL(line.replace('Flowlab at ', ''));
        const token = url.searchParams.get('token')!;
        const call = (channel: string, body: unknown) =>
          fetch(new URL(`/api/${channel}`, url.origin), {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          }).then((reply) => reply.json() as Promise<{ ok: boolean; result: unknown }>);
        // ingest.start queues behind the --open ingest: its answer comes once that one is done.
        void call('ingest.start', { paths: [capture] })
          .then(() => call('flows.count', { filter: { expression: 'dst_port = 21' } }))
          .then((reply) => {
            answer = reply;
            child.kill('SIGINT');
          });
      },
    );
    expect(result.stderr).toContain(`ingested ${capture} (30 flows)`);
    expect(answer).toMatchObject({ ok: true, result: { count: expect.any(Number) } });
    expect((answer as { result: { count: number } }).result.count).toBeGreaterThan(0);
    expect(result.code).toBe(0);
  });

  it('explains how to build the renderer when it is missing', async () => {
    const result = await run([
      'serve',
      path.join(dir, 'case.duckdb'),
      '--renderer-dir',
      path.join(dir, 'nowhere'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/built renderer is missing .*run `npm run build` first/);
  });
});
