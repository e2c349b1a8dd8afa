/**
 * Disk full while writing the case or an export (issue #7). DuckDB reports it as a plain Error
 * ("Could not write file ...: No space left on device"), Node as ENOSPC; both become one
 * FlowlabError IO that says what happened and what to do. A capture whose ingest failed this
 * way is marked 'failed' when there is room left to say so (otherwise the next open of the case
 * marks it 'incomplete'); committed data is untouched, and ingesting the file again redoes it.
 */
import path from 'node:path';
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type { CaseStore } from '../store/case-store';

/** True when `error` (or its cause) says the disk or the quota is full. */
export function isDiskFullError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (code === 'ENOSPC' || code === 'EDQUOT') return true;
    if (
      typeof message === 'string' &&
      /no space left on device|disk quota exceeded|disk is full/i.test(message)
    )
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The error shown for an ingest that ran out of disk space. */
export function ingestDiskFullError(casePath: string, capturePath: string, cause: unknown): FlowlabError {
  return new FlowlabError(
    ErrorCode.io,
    `Disk full: the case ${casePath} could not be written while ingesting ${path.basename(capturePath)}; ` +
      'that capture is not complete (everything ingested before it is intact). Free disk space and ingest it again.',
    { cause },
  );
}

/** The error shown for an export that ran out of disk space. */
export function exportDiskFullError(outPath: string, cause: unknown): FlowlabError {
  return new FlowlabError(
    ErrorCode.io,
    `Disk full: could not write ${outPath}; nothing was exported (the partial file was removed). Free disk space and export again.`,
    { cause },
  );
}

/** Best effort: marks the capture of `capturePath` left 'ingesting' by a failed ingest as 'failed'. */
export async function markFailedIngest(store: CaseStore, capturePath: string, reason: string): Promise<void> {
  await store
    .run(
      `UPDATE captures SET status = 'failed', warnings = $warnings WHERE path = $path AND status = 'ingesting'`,
      {
        path: path.resolve(capturePath),
        warnings: JSON.stringify([reason]),
      },
    )
    .catch(() => undefined);
}
