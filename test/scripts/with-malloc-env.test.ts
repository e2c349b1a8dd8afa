/** scripts/with-malloc-env.mjs: what `npm start` / `npm run dev` start Electron through. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/with-malloc-env.mjs');

function run(args: string[], extraEnv: Record<string, string> = {}) {
  const env = { ...process.env, ...extraEnv };
  if (!('MALLOC_MMAP_THRESHOLD_' in extraEnv)) delete env.MALLOC_MMAP_THRESHOLD_;
  return spawnSync(process.execPath, [SCRIPT, ...args], { env, encoding: 'utf8' });
}

describe('with-malloc-env', () => {
  const printThreshold = [
    process.execPath,
    '-e',
    'process.stdout.write(String(process.env.MALLOC_MMAP_THRESHOLD_))',
  ];

  it('starts the command with MALLOC_MMAP_THRESHOLD_=131072', () => {
    const result = run(printThreshold);
    expect(result.stdout).toBe('131072');
    expect(result.status).toBe(0);
  });

  it('keeps a threshold the user set', () => {
    expect(run(printThreshold, { MALLOC_MMAP_THRESHOLD_: '262144' }).stdout).toBe('262144');
  });

  it("passes the command's arguments and exit code through", () => {
    const result = run([
      process.execPath,
      '-e',
      'process.stdout.write(process.argv.slice(1).join("|")); process.exit(3)',
      'a b',
      'c',
    ]);
    expect(result.stdout).toBe('a b|c');
    expect(result.status).toBe(3);
  });

  it('fails with a message when no command is given', () => {
    const result = run([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage:');
  });
});
