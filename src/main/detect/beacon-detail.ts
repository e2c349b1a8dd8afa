/** A beacon pair's interval and size histograms and its 24-bin connection histogram (RITA's graphs). */
import type { BeaconDetail, BeaconDetailRequest } from '../../shared/detect-types';
import { normalizeIpText } from '../../shared/filter/ip-address';
import { integerField, requestObject, stringField } from '../query/request-checks';
import type { CaseStore } from '../store/case-store';
import { NOT_NAME_RESOLUTION, PEER_SQL } from './beacon-detector';
import { connectionHistogram } from './rita-scoring';

export async function beaconDetail(store: CaseStore, request: BeaconDetailRequest): Promise<BeaconDetail> {
  const body = requestObject<BeaconDetailRequest>(request, 'detect.beaconDetail');
  const captureId = integerField(body.captureId, 'captureId', { min: 0, max: 2 ** 31 - 1 });
  const srcIp = normalizeIpText(stringField(body.srcIp, 'srcIp', 100));
  const by = body.by === 'sni' ? 'sni' : 'ip';
  const peerText = stringField(body.peer, 'peer', 1000);
  const peer = by === 'ip' ? normalizeIpText(peerText) : peerText;
  const rows = await store.rows(
    `WITH base AS (
       SELECT CAST(floor(epoch_us(first_seen) / 1000000) AS BIGINT) AS ts, CAST(bidirectional_bytes AS DOUBLE) AS bytes
       FROM flows WHERE capture_id = $captureId AND src_ip = $srcIp AND ${PEER_SQL[by]} = $peer AND first_seen IS NOT NULL
         AND ${NOT_NAME_RESOLUTION}
     ),
     deltas AS (SELECT ts - lag(ts) OVER (ORDER BY ts) AS delta FROM base)
     SELECT 'interval' AS what, delta AS value, count(*) AS n FROM deltas WHERE delta IS NOT NULL GROUP BY ALL
     UNION ALL SELECT 'size', bytes, count(*) FROM base GROUP BY ALL
     UNION ALL SELECT 'ts', ts, count(*) FROM base GROUP BY ALL
     UNION ALL SELECT 'start', CAST(floor(epoch_ns(first_packet) / 1000000000) AS BIGINT), 1 FROM captures WHERE id = $captureId
     UNION ALL SELECT 'end', CAST(floor(epoch_ns(last_packet) / 1000000000) AS BIGINT), 1 FROM captures WHERE id = $captureId
     ORDER BY what, value`,
    { captureId, srcIp, peer },
  );
  const pick = (what: string) => rows.filter((row) => row.what === what).map((row) => ({ value: Number(row.value), count: Number(row.n) }));
  const timestamps = pick('ts').flatMap(({ value, count }) => new Array<number>(count).fill(value));
  const start = Math.min(pick('start')[0]?.value ?? Infinity, timestamps[0] ?? Infinity);
  const end = Math.max(pick('end')[0]?.value ?? -Infinity, timestamps[timestamps.length - 1] ?? -Infinity);
  return {
    intervals: pick('interval').map(({ value, count }) => ({ seconds: value, count })),
    sizes: pick('size').map(({ value, count }) => ({ bytes: value, count })),
    histogram: timestamps.length && end > start ? connectionHistogram(timestamps, start, end) : [],
  };
}
