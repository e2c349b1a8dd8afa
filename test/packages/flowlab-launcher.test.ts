/**
 * The `flowlab` launcher (packages/flowlab-cli/bin/flowlab.cjs): sh runs it first and execs node
 * on the same file with glibc's mmap threshold fixed (README, "Memory"); node runs it as the CLI
 * (out/cli/flowlab.js, built by `npm install`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LAUNCHER = path.join(ROOT, 'packages/flowlab-cli/bin/flowlab.cjs');

let temporary: string;
beforeAll(() => {
  temporary = mkdtempSync(path.join(tmpdir(), 'flowlab-launcher-'));
});
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

describe('flowlab launcher', () => {
  it('execs node on itself with the arguments and MALLOC_MMAP_THRESHOLD_=131072 unless one is set', () => {
    // A stand-in `node` first on PATH prints what it was started with.
    const bin = path.join(temporary, 'fake-bin');
    execFileSync('mkdir', ['-p', bin]);
    const fakeNode = path.join(bin, 'node');
    writeFileSync(fakeNode, '#!/bin/sh\necho "$MALLOC_MMAP_THRESHOLD_|$1|$2|$3|$#"\n');
    chmodSync(fakeNode, 0o755);
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    delete env.MALLOC_MMAP_THRESHOLD_;
    const run = (extra: Record<string, string>) =>
      execFileSync(LAUNCHER, ['ingest', 'a file.pcap'], {
        env: { ...env, ...extra },
        encoding: 'utf8',
      }).trim();
    expect(run({})).toBe(`131072|${LAUNCHER}|ingest|a file.pcap|3`);
    expect(run({ MALLOC_MMAP_THRESHOLD_: '65536' })).toBe(`65536|${LAUNCHER}|ingest|a file.pcap|3`);
  });

  it('is valid JavaScript for node: `node flowlab.cjs help` prints the usage', () => {
    const out = execFileSync(process.execPath, [LAUNCHER, 'help'], { encoding: 'utf8' });
    expect(out).toMatch(/^Usage:\n\s+flowlab ingest /);
  });

  it.skipIf(process.platform !== 'linux')(
    'the CLI it starts keeps the launcher process id and has the threshold in its environment',
    async () => {
      const renderer = path.join(temporary, 'renderer');
      execFileSync('mkdir', ['-p', renderer]);
      writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>t</title>');
      const env = { ...process.env };
      delete env.MALLOC_MMAP_THRESHOLD_;
      const child = spawn(
        LAUNCHER,
        ['serve', path.join(temporary, 'case.duckdb'), '--port', '0', '--renderer-dir', renderer],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      try {
        await new Promise<void>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            if (out.includes('Flowlab at http://127.0.0.1:')) resolve();
          });
          child.on('error', reject);
          child.on('exit', (code) => reject(new Error(`serve exited early (${code})`)));
        });
        // The process sh started is now node running the CLI (exec), not a wrapper around it.
        const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
        expect(path.basename(cmdline[0]!)).toBe('node');
        expect(cmdline.slice(1, 3)).toEqual([LAUNCHER, 'serve']);
        const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
        expect(environ).toContain('MALLOC_MMAP_THRESHOLD_=131072');
        const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        child.kill('SIGKILL');
      }
    },
    60_000,
  );
});
