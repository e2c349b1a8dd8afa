#!/usr/bin/env node
/**
 * Runs a command (e.g. `electron-vite preview` for `npm start`) with glibc's mmap threshold
 * fixed at 128 KiB, as the `flowlab` launcher does for the CLI (README, "Memory"): glibc reads
 * MALLOC_MMAP_THRESHOLD_ only when a process starts, so the Electron main process that ingests
 * captures must be started with it. An existing value is kept.
 *   node scripts/with-malloc-env.mjs <command> [args...]
 */
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('usage: node scripts/with-malloc-env.mjs <command> [args...]\n');
  process.exit(2);
}
const env = { ...process.env, MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '131072' };
// npm puts node_modules/.bin on PATH; Windows needs a shell to run its .cmd shims.
const child = spawn(command, args, { env, stdio: 'inherit', shell: process.platform === 'win32' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  process.stderr.write(`with-malloc-env: cannot run ${command}: ${error.message}\n`);
  process.exit(2);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
