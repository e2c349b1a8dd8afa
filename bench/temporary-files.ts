/**
 * Large temporary files (cases, argus output) to delete even when the run is interrupted with
 * Ctrl-C: each run registers them and releases them after its own cleanup.
 */
import { rmSync } from 'node:fs';

const pending = new Set<string>();

export function registerTemporary(files: string[]): void {
  for (const file of files) pending.add(file);
}

export function releaseTemporary(files: string[]): void {
  for (const file of files) pending.delete(file);
}

/** Synchronous so it can run from a signal handler right before exit. */
export function removePendingTemporaries(): void {
  for (const file of pending) rmSync(file, { recursive: true, force: true });
  pending.clear();
}
