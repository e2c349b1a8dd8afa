/**
 * Runs one command under GNU time: wall clock (%e) and peak resident set size (%M, KiB). %M is
 * the kernel's ru_maxrss for the command and its waited-for children (the largest of them), so
 * worker threads and any helper processes are included.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { registerTemporary, releaseTemporary } from './temporary-files';

export const GNU_TIME = '/usr/bin/time';
const STDERR_TAIL_CHARS = 4000;

export interface TimedRun {
  /** Exit status of the command; 128 + signal number when it was killed. */
  exitCode: number;
  wallSeconds: number;
  /** ru_maxrss in MiB. */
  peakRssMB: number;
  /** Collected only when asked for; otherwise the output went to /dev/null. */
  stdout: string;
  stderrTail: string;
}

let running: ChildProcess | undefined;

/**
 * Ctrl-C: GNU time ignores SIGINT while it waits, so the timed command runs in its own process
 * group (spawned detached) and the whole group is signalled; SIGKILL if it is still there after
 * a grace period. Resolves once it has exited, so its files can be deleted safely.
 */
export async function stopRunning(graceMs = 5000): Promise<void> {
  const child = running;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGINT');
  const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function runTimed(
  command: string,
  args: string[],
  options: { workDir: string; cwd: string; keepStdout: boolean },
): Promise<TimedRun> {
  const timeFile = path.join(options.workDir, `time-${process.pid}.txt`);
  rmSync(timeFile, { force: true });
  registerTemporary([timeFile]);
  const child = spawn(GNU_TIME, ['-f', '%e %M', '-o', timeFile, command, ...args], {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', options.keepStdout ? 'pipe' : 'ignore', 'pipe'],
  });
  running = child;
  const stdoutChunks: Buffer[] = [];
  let stderrTail = '';
  child.stdout?.on('data', (chunk: Buffer) => stdoutChunks.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
  });
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  }).finally(() => {
    running = undefined;
  });
  const measured = readTimeFile(timeFile, `${command} ${args.join(' ')}`);
  rmSync(timeFile, { force: true });
  releaseTemporary([timeFile]);
  return {
    exitCode,
    wallSeconds: measured.wallSeconds,
    peakRssMB: measured.peakRssMB,
    stdout: Buffer.concat(stdoutChunks).toString('utf8'),
    stderrTail: stderrTail.trim(),
  };
}

/** GNU time writes "Command exited with non-zero status N" or "... terminated by signal" before the format line. */
function readTimeFile(timeFile: string, what: string): { wallSeconds: number; peakRssMB: number } {
  const text = existsSync(timeFile) ? readFileSync(timeFile, 'utf8') : '';
  const last = text.trim().split('\n').at(-1) ?? '';
  const match = /^(\d+(?:\.\d+)?) (\d+)$/.exec(last.trim());
  if (!match) {
    throw new Error(
      `Expected "<seconds> <KiB>" from ${GNU_TIME} for ${what}, got ${JSON.stringify(text.trim())}`,
    );
  }
  return { wallSeconds: Number(match[1]), peakRssMB: Math.round((Number(match[2]) / 1024) * 10) / 10 };
}
