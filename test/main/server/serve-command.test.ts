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
