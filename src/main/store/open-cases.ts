/**
 * Case files open in this process. DuckDB's file lock refuses a second process, but inside one
 * process a second DuckDBInstance on the same file opens without complaint and each instance
 * then works on its own view of the file (writes of one are invisible to the other, and both
 * checkpoint into it). So a second open of an open case is refused here (issue #7).
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, FlowlabError } from '../../shared/errors';

const openCases = new Set<string>();

/** The key of a case file (symbolic links resolved); undefined for in-memory databases. */
function caseKey(casePath: string): string | undefined {
  if (casePath === '' || casePath === ':memory:' || casePath.startsWith(':memory:')) return undefined;
  const absolute = path.resolve(casePath);
  if (existsSync(absolute)) return realpathSync.native(absolute);
  const dir = path.dirname(absolute);
  return existsSync(dir) ? path.join(realpathSync.native(dir), path.basename(absolute)) : absolute;
}

/** Claims `casePath` for this process; throws CASE_UNUSABLE when it is open already. Returns the release. */
export function claimCase(casePath: string): () => void {
  const key = caseKey(casePath);
  if (key === undefined) return () => {};
  if (openCases.has(key))
    throw new FlowlabError(
      ErrorCode.caseUnusable,
      `Case ${casePath} is already open in this Flowlab process`,
    );
  openCases.add(key);
  let released = false;
  return () => {
    if (!released) openCases.delete(key);
    released = true;
  };
}
