/**
 * dashboard.packetSizes: every packet between two hosts over time with its frame length and
 * destination (flow src→dst packets go to dst_ip, dst→src packets to src_ip).
 */
import type { DashboardRequest, PacketSizePoint } from '../../shared/query-types';
import { normalizeIpText } from '../../shared/filter/ip-address';
import type { CaseStore } from '../store/case-store';
import { compileFlowFilter } from './compile-flow-filter';
import { integerField, requestObject, stringField } from './request-checks';
import { timestampNsTextSql } from './sql-parameters';

export const DEFAULT_PACKET_SIZE_POINTS = 10_000;
export const MAX_PACKET_SIZE_POINTS = 200_000;

type PacketSizesRequest = DashboardRequest & { hostA: string; hostB: string; limit?: number };

/** Packets of the filtered flows between hostA and hostB (either direction), in time order. */
export async function packetSizes(store: CaseStore, input: PacketSizesRequest): Promise<PacketSizePoint[]> {
  const request = requestObject<PacketSizesRequest>(input, 'dashboard.packetSizes');
  const hostA = normalizeIpText(stringField(request.hostA, 'hostA', 100));
  const hostB = normalizeIpText(stringField(request.hostB, 'hostB', 100));
  const limit = integerField(request.limit, 'limit', {
    min: 1,
    max: MAX_PACKET_SIZE_POINTS,
    fallback: DEFAULT_PACKET_SIZE_POINTS,
  });
  const { where, params } = compileFlowFilter({
    ...(request.filter ?? {}),
    hostPair: { a: hostA, b: hostB },
  });
  const rows = await store.rows(
    `WITH pair AS (SELECT flow_id, capture_id, src_ip, dst_ip FROM flows WHERE ${where})
     SELECT ${timestampNsTextSql('p.ts')} AS ts, p.frame_length AS size,
            CASE WHEN p.direction = 1 THEN pair.src_ip ELSE pair.dst_ip END AS dst
       FROM packets p JOIN pair ON p.flow_id = pair.flow_id AND p.capture_id = pair.capture_id
      WHERE p.ts IS NOT NULL
      ORDER BY p.ts, p.capture_id, p.packet_number
      LIMIT ${params.add(limit)}`,
    params.values,
  );
  return rows.map((row) => ({ ts: String(row.ts), size: Number(row.size), dst: String(row.dst) }));
}
