/**
 * Pre-filters from ingest's per-host sums (host_stats): a detector that needs at least N flows
 * in a group (a pair, a source, a destination and port) only reads the flows whose addresses
 * have at least N flows in host_stats. host_stats.flows counts every flow end of a host (a flow
 * from a host to itself twice), so it is at least the number of flows of any group that has the
 * host as its source or destination: the kept flows are a superset of those of every group that
 * can pass, and each such group keeps all its flows, so the findings are exactly the same. On
 * the 4 GB benchmark case (3.6 M addresses, most of them the spoofed sources of one SYN flood,
 * one flow each) 3,061 hosts have 15 flows or more and the scan detectors group 0.4 M flows
 * instead of 4.1 M.
 *
 * When host_stats does not cover the detection's scope (a capture ingested before the
 * aggregates existed, or whose flows changed since), the condition is TRUE: the same result
 * from every flow.
 */
import type { DetectContext } from './detect-context';
import { captureCondition } from './detect-context';
import { hostStatsCoverScope } from './host-stats-source';

let tables = 0;

/**
 * Runs `use` with `inBusy(column)`, a condition on flows: the address in `column` has at least
 * `minFlows` flows in host_stats. NULL addresses never pass (the detectors using it require
 * them non-NULL anyway). The hosts are a TEMP table for the call, not a subquery: with its exact
 * row count the planner builds the join's hash table on the few hosts (with a subquery it
 * estimated more hosts than flows and built it on the 4 M flows, 3 s more).
 */
export async function withBusyHosts<T>(
  context: DetectContext,
  minFlows: number,
  use: (inBusy: (column: string) => string) => Promise<T>,
): Promise<T> {
  if (!(await hostStatsCoverScope(context))) return use(() => 'TRUE');
  const table = `detect_busy_hosts_${++tables}`;
  await context.store.run(
    `CREATE TEMP TABLE ${table} AS SELECT DISTINCT ip FROM host_stats
     WHERE capture_id >= 0 AND ${captureCondition(context.options)} AND flows >= $minFlows`,
    { minFlows },
  );
  try {
    return await use((column) => `${column} IN (SELECT ip FROM ${table})`);
  } finally {
    await context.store.run(`DROP TABLE IF EXISTS ${table}`);
  }
}
