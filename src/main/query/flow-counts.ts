/**
 * Flows per capture, remembered per state of the flows table: every aggregate-backed query
 * (dashboard charts, hosts.page, hosts.graph, the world map) checks that the aggregates still
 * cover each capture's flows, and counting 4.1 M flows by capture costs ~40 ms of CPU each
 * time, while the flows stamp (row count and largest flow_id, page-cursors.ts) costs ~1.5 ms.
 */
import type { CaseStore } from '../store/case-store';
import { flowsStamp } from './page-cursors';

const remembered = new WeakMap<CaseStore, { stamp: string; counts: Promise<Map<number, number>> }>();

/** capture_id → its flows in the case now (captures without flows are absent). */
export async function flowsPerCapture(store: CaseStore): Promise<Map<number, number>> {
  const stamp = await flowsStamp(store);
  const known = remembered.get(store);
  if (known?.stamp === stamp) return known.counts;
  const counts = store
    .rows('SELECT capture_id, count(*) AS flows FROM flows GROUP BY capture_id')
    .then((rows) => new Map(rows.map((row) => [Number(row.capture_id), Number(row.flows)])));
  remembered.set(store, { stamp, counts });
  // A failed count is not remembered.
  counts.catch(() => {
    if (remembered.get(store)?.counts === counts) remembered.delete(store);
  });
  return counts;
}
