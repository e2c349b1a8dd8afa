/** flows.details: the flow row, its packets from the packet index, and the first payload bytes. */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import { FLOW_COLUMN_NAMES } from '../../shared/flow-schema';
import type { FlowDetails, PacketRow } from '../../shared/query-types';
import type { CaseStore } from '../store/case-store';
import { readPayloads } from './payload-reader';
import type { PayloadPacket } from './payload-reader';
import { integerField, requestObject } from './request-checks';
import { flowSelectList, timestampNsTextSql } from './sql-parameters';

const FLOW_ID_STRIDE = 4294967296;
/** Packets listed by default and at most. */
export const DEFAULT_PACKET_LIMIT = 1000;
export const MAX_PACKET_LIMIT = 100_000;
/** Packets whose payload is read from the capture file, and bytes shown of each. */
export const PAYLOAD_PACKETS = 8;
export const PAYLOAD_BYTES = 256;

/** The flow `flowId` with up to `packetLimit` packets (in capture order) and payload samples. */
export async function flowDetails(
  store: CaseStore,
  input: { flowId: number; packetLimit?: number },
): Promise<FlowDetails> {
  const request = requestObject<{ flowId?: unknown; packetLimit?: unknown }>(input, 'flows.details');
  const flowId = integerField(request.flowId, 'flowId', { min: 0, max: Number.MAX_SAFE_INTEGER });
  const packetLimit = integerField(request.packetLimit, 'packetLimit', {
    min: 0,
    max: MAX_PACKET_LIMIT,
    fallback: DEFAULT_PACKET_LIMIT,
  });
  // flow_id = capture_id * 2^32 + n: the capture id narrows the packet scan.
  const captureId = Math.floor(flowId / FLOW_ID_STRIDE);
  const flows = await store.rows(
    `SELECT ${flowSelectList(FLOW_COLUMN_NAMES)} FROM flows WHERE flow_id = $flowId`,
    { flowId },
  );
  if (!flows.length)
    throw new FlowlabError(ErrorCode.invalidArgument, `Expected an existing flow id, found ${flowId}`);

  const packetRows = await store.rows(
    `SELECT packet_number, ${timestampNsTextSql('ts')} AS ts_text,
            (epoch_ns(ts) - min(epoch_ns(ts)) OVER ()) / 1e9 AS relative_seconds,
            direction, frame_length, captured_length, tcp_flags, ttl, tcp_seq, tcp_ack, tcp_window, payload_length
       FROM packets WHERE capture_id = $captureId AND flow_id = $flowId
      ORDER BY packet_number LIMIT $limit`,
    { captureId, flowId, limit: packetLimit },
  );
  const packets: PacketRow[] = packetRows.map((row) => ({
    packetNumber: Number(row.packet_number),
    ts: String(row.ts_text),
    relativeSeconds: Number(row.relative_seconds),
    direction: Number(row.direction) === 1 ? 1 : 0,
    frameLength: Number(row.frame_length),
    capturedLength: Number(row.captured_length),
    tcpFlags: Number(row.tcp_flags ?? 0),
    ttl: Number(row.ttl ?? 0),
    tcpSeq: Number(row.tcp_seq ?? 0),
    tcpAck: Number(row.tcp_ack ?? 0),
    tcpWindow: Number(row.tcp_window ?? 0),
    payloadLength: Number(row.payload_length ?? 0),
  }));

  const { payload, note } = await payloadSamples(store, captureId, flowId);
  return { flow: flows[0]!, packets, payload, ...(note ? { payloadNote: note } : {}) };
}

async function payloadSamples(
  store: CaseStore,
  captureId: number,
  flowId: number,
): Promise<{ payload: FlowDetails['payload']; note?: string }> {
  const captures = await store.rows(
    'SELECT path, compressed, size_bytes FROM captures WHERE id = $captureId',
    { captureId },
  );
  if (!captures.length) return { payload: [], note: 'The capture of this flow is no longer in the case' };
  const rows = await store.rows(
    `SELECT packet_number, direction, file_offset, captured_length, frame_length, payload_length, link_type, vlan_id, ip_length
       FROM packets WHERE capture_id = $captureId AND flow_id = $flowId AND payload_length > 0
      ORDER BY packet_number LIMIT ${PAYLOAD_PACKETS}`,
    { captureId, flowId },
  );
  const packets: PayloadPacket[] = rows.map((row) => ({
    packetNumber: Number(row.packet_number),
    direction: Number(row.direction) === 1 ? 1 : 0,
    fileOffset: Number(row.file_offset),
    capturedLength: Number(row.captured_length),
    frameLength: Number(row.frame_length),
    payloadLength: Number(row.payload_length),
    linkType: Number(row.link_type),
    vlanId: Number(row.vlan_id ?? 0),
    ipLength: Number(row.ip_length ?? 0),
  }));
  const capture = captures[0]!;
  return readPayloads(
    {
      path: String(capture.path),
      compressed: Boolean(capture.compressed),
      sizeBytes: Number(capture.size_bytes),
    },
    packets,
    PAYLOAD_BYTES,
  );
}
