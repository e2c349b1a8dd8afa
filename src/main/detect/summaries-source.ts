/**
 * Whether a detection run reads the per-capture detection summaries (detect-summaries.ts)
 * instead of the packet index: asked once per run, like hostStatsCoverScope.
 */
import type { DetectContext } from './detect-context';
import { captureCondition } from './detect-context';
import { detectSummariesCover } from './detect-summaries';

/**
 * How a run uses the summaries: 'build' builds the missing ones of its captures first (an
 * older case, or a capture whose rows changed) and reads them; 'use' reads them when they are
 * all there; 'ignore' always reads the packets (the reference path of the tests and benchmark).
 */
export type SummaryMode = 'build' | 'use' | 'ignore';

const covered = new WeakMap<
  DetectContext['options'],
  { store: DetectContext['store']; answer: Promise<boolean> }
>();

/** True when the summaries cover every capture of the run's scope. */
export function summariesCoverScope(context: DetectContext): Promise<boolean> {
  const mode = context.summaries ?? 'build';
  if (mode === 'ignore') return Promise.resolve(false);
  const known = covered.get(context.options);
  if (known && known.store === context.store) return known.answer;
  const answer = detectSummariesCover(context.store, context.options.captureIds, mode === 'build');
  covered.set(context.options, { store: context.store, answer });
  return answer;
}

/**
 * The rows of a threshold-free summary table over the run's captures when the summaries cover
 * them, else the query that computes the same rows (`direct`): the DNS and ARP detectors' groups.
 */
export async function summaryRows(
  context: DetectContext,
  table: string,
  columns: string,
  direct: () => string,
): Promise<string> {
  return (await summariesCoverScope(context))
    ? `SELECT ${columns} FROM ${table} WHERE ${captureCondition(context.options)}`
    : direct();
}
