/**
 * The case's per-packet side tables, arp_packets and dns_messages: which packets of a decoded
 * batch go into them, their spool-file columns, and the SELECT lists that load those files into
 * the tables (CaptureWriter writes and loads the files).
 */
import { DecodeStatus, type PacketBatch } from '../../shared/packet-batch';
import type { ParquetColumn } from './parquet-writer';
import type { SpoolValues } from './spool-file';

/** flow_id = capture_id * FLOW_ID_STRIDE + flow number (see flow-schema). */
export const FLOW_ID_STRIDE = 4294967296;

/** SQL for the flow_id of a spooled row's `flow_index` column: NULL for packets of no flow (-1). */
export function flowIdFromIndexSql(captureId: number): string {
  return `CASE WHEN flow_index >= 0 THEN ${captureId}::BIGINT * ${FLOW_ID_STRIDE} + flow_index END`;
}

/** The spool columns every per-packet file starts with: packet number and time stamp. */
const PACKET_TIME_COLUMNS: ParquetColumn[] = [
  { name: 'packet_number', type: 'double' },
  { name: 'ts_sec', type: 'double' },
  { name: 'ts_nsec', type: 'uint32' },
];

/** A batch's rows for one side table: spool column values and how many rows. */
export interface SideRows {
  values: SpoolValues[];
  count: number;
}

export const ARP_FILE_COLUMNS: ParquetColumn[] = [
  ...PACKET_TIME_COLUMNS,
  { name: 'operation', type: 'int32' },
  { name: 'sender_ip', type: 'uint32' },
  { name: 'sender_mac_high', type: 'uint32' },
  { name: 'sender_mac_low', type: 'uint32' },
  { name: 'target_ip', type: 'uint32' },
  { name: 'target_mac_high', type: 'uint32' },
  { name: 'target_mac_low', type: 'uint32' },
];

/** ts (TIMESTAMP_NS) from seconds and nanoseconds; NULL outside its range (1970 .. 2262). */
export const TS_FROM_PARTS =
  'CASE WHEN ts_sec >= 0 AND (ts_sec < 9223372036 OR (ts_sec = 9223372036 AND ts_nsec <= 854775807)) ' +
  'THEN make_timestamp_ns(ts_sec::BIGINT * 1000000000 + ts_nsec) END';

export const DNS_FILE_COLUMNS: ParquetColumn[] = [
  ...PACKET_TIME_COLUMNS,
  { name: 'flow_index', type: 'int32' },
  { name: 'transaction_id', type: 'int32' },
  { name: 'is_response', type: 'uint8' },
  { name: 'query', type: 'string' },
  { name: 'qtype', type: 'string' },
  { name: 'rcode', type: 'string' },
  { name: 'answers', type: 'string' },
];

/** SELECT list turning a DNS file's columns into the dns_messages table's (DNS_COLUMNS order). */
export function dnsSelectList(captureId: number): string {
  return `${captureId}::INTEGER, packet_number::BIGINT, ${TS_FROM_PARTS}, ${flowIdFromIndexSql(captureId)}, transaction_id, is_response = 1, query, qtype, rcode, answers`;
}

/** Dotted-quad text of a UINTEGER IPv4 address column. */
const ipv4Text = (column: string): string =>
  `concat_ws('.', ${column} >> 24, (${column} >> 16) & 255, (${column} >> 8) & 255, ${column} & 255)`;
/** aa:bb:cc:dd:ee:ff text of a MAC split into bytes 0-1 (`high`) and 2-5 (`low`). */
const macText = (high: string, low: string): string =>
  `printf('%02x:%02x:%02x:%02x:%02x:%02x', ${high} >> 8, ${high} & 255, ${low} >> 24, (${low} >> 16) & 255, (${low} >> 8) & 255, ${low} & 255)`;

/**
 * SELECT list turning an ARP file's numbers into the arp_packets table's text columns, formatted
 * by DuckDB at load time (the packets carry no strings): the summary uses tcpdump's wording
 * (print-arp.c).
 */
export function arpSelectList(captureId: number): string {
  const [senderMac, senderIp] = [macText('sender_mac_high', 'sender_mac_low'), ipv4Text('sender_ip')];
  const [targetMac, targetIp] = [macText('target_mac_high', 'target_mac_low'), ipv4Text('target_ip')];
  const summary =
    `CASE operation WHEN 1 THEN 'who-has ' || ${targetIp} || ' tell ' || ${senderIp} ` +
    `WHEN 2 THEN ${senderIp} || ' is-at ' || ${senderMac} ` +
    `WHEN 3 THEN 'rarp who-is ' || ${targetMac} || ' tell ' || ${senderMac} ` +
    `WHEN 4 THEN 'rarp reply ' || ${targetMac} || ' at ' || ${targetIp} END`;
  return `${captureId}::INTEGER, packet_number::BIGINT, ${TS_FROM_PARTS}, operation, ${senderMac}, ${senderIp}, ${targetMac}, ${targetIp}, ${summary}`;
}

/** The batch's DNS messages (packets whose meta carries a parsed DNS header), or null. */
export function dnsRows(batch: PacketBatch): SideRows | null {
  const rows: number[] = [];
  for (let i = 0; i < batch.count; i++) {
    const metaIndex = batch.metaIndex[i]!;
    if (metaIndex >= 0 && batch.meta[metaIndex]?.dnsIsResponse !== undefined) rows.push(i);
  }
  if (rows.length === 0) return null;
  const metas = rows.map((row) => batch.meta[batch.metaIndex[row]!]!);
  return {
    values: [
      Float64Array.from(rows, (row) => batch.firstPacketNumber + row),
      Float64Array.from(rows, (row) => batch.tsSec[row]!),
      Uint32Array.from(rows, (row) => batch.tsNsec[row]!),
      Int32Array.from(rows, (row) => batch.flowIndex[row]!),
      Int32Array.from(metas, (meta) => meta.dnsTransactionId ?? 0),
      Uint8Array.from(metas, (meta) => (meta.dnsIsResponse ? 1 : 0)),
      metas.map((meta) => meta.dnsQuery ?? null),
      metas.map((meta) => meta.dnsQtype ?? null),
      metas.map((meta) => meta.dnsRcode ?? null),
      metas.map((meta) => meta.dnsAnswers ?? null),
    ],
    count: rows.length,
  };
}

/** The batch's ARP packets (arpOperation > 0; addresses in srcAddr/dstAddr, see PacketBatch), or null. */
export function arpRows(batch: PacketBatch): SideRows | null {
  let count = 0;
  for (let i = 0; i < batch.count; i++) {
    if (batch.arpOperation[i] !== 0 && batch.decodeStatus[i] === DecodeStatus.nonIp) count++;
  }
  if (count === 0) return null;
  const packetNumber = new Float64Array(count);
  const tsSec = new Float64Array(count);
  const tsNsec = new Uint32Array(count);
  const operation = new Int32Array(count);
  // sender IPv4, MAC high, MAC low, target IPv4, MAC high, MAC low
  const addresses = Array.from({ length: 6 }, () => new Uint32Array(count));
  const { srcAddr, dstAddr } = batch;
  for (let i = 0, n = 0; i < batch.count; i++) {
    if (batch.arpOperation[i] === 0 || batch.decodeStatus[i] !== DecodeStatus.nonIp) continue;
    packetNumber[n] = batch.firstPacketNumber + i;
    tsSec[n] = batch.tsSec[i]!;
    tsNsec[n] = batch.tsNsec[i]!;
    operation[n] = batch.arpOperation[i]!;
    for (let w = 0; w < 3; w++) {
      addresses[w]![n] = srcAddr[i * 4 + w]!;
      addresses[3 + w]![n] = dstAddr[i * 4 + w]!;
    }
    n++;
  }
  return { values: [packetNumber, tsSec, tsNsec, operation, ...addresses], count };
}
