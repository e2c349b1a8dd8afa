import { applicationName } from './application-names';
import type { FlowBatchBuilder } from './flow-batch-builder';
import { NumberColumn, StringColumn, type StatColumns } from './flow-columns';
import { KEY_WORDS } from './flow-key';
import { F, type FlowStore } from './flow-store';
import { formatIpv4, formatIpv6, formatMac } from './format-address';
import { StatKind, type RunningStats } from './running-stats';

const TCP = 6;

/** Why a flow ended (the end_reason column). */
export type EndReason = 'idle-timeout' | 'active-timeout' | 'tcp-reuse' | 'end-of-capture';

/** `value`, or NaN (NULL) when it is still the ±Infinity "nothing seen" marker. */
const finite = (value: number): number => (Number.isFinite(value) ? value : NaN);

function writeStats(
  numbers: Float64Array[],
  row: number,
  columns: StatColumns,
  stats: RunningStats,
  slot: number,
  kind: number,
): void {
  numbers[columns[0]]![row] = stats.min(slot, kind);
  numbers[columns[1]]![row] = stats.mean(slot, kind);
  numbers[columns[2]]![row] = stats.stddev(slot, kind);
  numbers[columns[3]]![row] = stats.max(slot, kind);
}

/**
 * Writes the flow in `slot` (key words at `keys[slot * KEY_WORDS]`) as one row of `builder`.
 * Runs once per flow; strings are formatted here, never per packet. Closes the flow's open
 * CICFlowMeter active period, so call it exactly once, when the flow ends.
 *
 * NULL rules: counts and sums are always numbers (0 when nothing was counted); min/mean/
 * stddev/max over an empty sample are NaN (a direction without packets; IAT with fewer than
 * two packets in that direction; no active or idle period); stddev of one sample is 0;
 * init_window/mss/min_header/TTL are NaN when that direction has no (TCP/SYN) packet;
 * icmp_type/code NaN unless ICMP/ICMPv6; http_status NaN without a response.
 */
export function writeFlowRecord(
  builder: FlowBatchBuilder,
  store: FlowStore,
  keys: Uint32Array,
  slot: number,
  reason: EndReason,
): void {
  const k = slot * KEY_WORDS;
  const version = keys[k]! & 0xff;
  const protocol = (keys[k]! >>> 8) & 0xff;
  const initiatorIsA = store.initiatorIsA(slot);
  const portA = keys[k + 1]! >>> 16;
  const portB = keys[k + 1]! & 0xffff;
  const srcPort = initiatorIsA ? portA : portB;
  const dstPort = initiatorIsA ? portB : portA;
  const srcAddr = k + (initiatorIsA ? 2 : 6);
  const dstAddr = k + (initiatorIsA ? 6 : 2);
  store.activity.finish(slot);
  const row = builder.beginRow(store.flowIndex(slot));
  const n = builder.numbers;
  const s = builder.strings;
  const C = NumberColumn;

  n[C.ipVersion]![row] = version;
  n[C.vlanId]![row] = keys[k]! >>> 16;
  n[C.protocol]![row] = protocol;
  n[C.srcPort]![row] = srcPort;
  n[C.dstPort]![row] = dstPort;
  n[C.firstSeen]![row] = store.firstUs(slot);
  n[C.lastSeen]![row] = store.lastUs(slot);
  n[C.durationMs]![row] = (store.lastT[slot]! - store.firstT[slot]!) * 1000;
  n[C.packets]![row] = store.side(slot, 0, F.packets) + store.side(slot, 1, F.packets);
  n[C.bytes]![row] = store.side(slot, 0, F.bytes) + store.side(slot, 1, F.bytes);
  n[C.payloadBytes]![row] = store.side(slot, 0, F.payloadBytes) + store.side(slot, 1, F.payloadBytes);
  for (let direction = 0; direction < 2; direction++) {
    const side = C.sides[direction]!;
    const empty = store.side(slot, direction, F.packets) === 0;
    n[side.packets]![row] = store.side(slot, direction, F.packets);
    n[side.bytes]![row] = store.side(slot, direction, F.bytes);
    n[side.payloadBytes]![row] = store.side(slot, direction, F.payloadBytes);
    n[side.headerBytes]![row] = store.side(slot, direction, F.headerBytes);
    n[side.minHeaderBytes]![row] = empty ? NaN : store.side(slot, direction, F.minHeader);
    for (const [column, bit] of side.flags) n[column]![row] = store.flagCount(slot, direction, bit);
    n[side.initWindow]![row] = store.side(slot, direction, F.initWindow);
    n[side.mss]![row] = store.side(slot, direction, F.mss);
    n[side.dataPackets]![row] = store.side(slot, direction, F.dataPackets);
    n[side.minTtl]![row] = finite(store.side(slot, direction, F.minTtl));
    n[side.maxTtl]![row] = finite(store.side(slot, direction, F.maxTtl));
    n[side.bulkCount]![row] = store.activity.bulkCount(slot, direction);
    n[side.bulkPackets]![row] = store.activity.bulkPackets(slot, direction);
    n[side.bulkBytes]![row] = store.activity.bulkBytes(slot, direction);
    n[side.bulkDurationMs]![row] = store.activity.bulkDurationMs(slot, direction);
  }
  const stats = store.stats;
  for (let i = 0; i < 3; i++) {
    writeStats(n, row, C.sizeStats[i]!, stats, slot, StatKind.sizeBoth + i);
    writeStats(n, row, C.payloadStats[i]!, stats, slot, StatKind.payloadBoth + i);
    writeStats(n, row, C.iatStats[i]!, stats, slot, StatKind.iatBoth + i);
  }
  writeStats(n, row, C.activeStats, stats, slot, StatKind.active);
  writeStats(n, row, C.idleStats, stats, slot, StatKind.idle);
  n[C.subflowCount]![row] = store.activity.subflowCount(slot);
  n[C.icmpType]![row] = store.icmpType(slot);
  n[C.icmpCode]![row] = store.icmpCode(slot);

  const S = StringColumn;
  const meta = store.metadata;
  const sni = meta.tlsSni[slot] ?? null;
  const host = meta.httpHost[slot] ?? null;
  const query = meta.dnsQuery[slot] ?? null;
  s[S.srcIp]![row] = version === 4 ? formatIpv4(keys[srcAddr]!) : formatIpv6(keys, srcAddr);
  s[S.dstIp]![row] = version === 4 ? formatIpv4(keys[dstAddr]!) : formatIpv6(keys, dstAddr);
  s[S.srcMac]![row] = formatMac(store.macs, slot * 6);
  s[S.dstMac]![row] = formatMac(store.macs, slot * 6 + 3);
  s[S.application]![row] = applicationName(store.appSignature(slot), protocol, srcPort, dstPort);
  s[S.requestedServerName]![row] = sni ?? host ?? query;
  s[S.dnsQuery]![row] = query;
  s[S.dnsQtype]![row] = meta.dnsQtype[slot] ?? null;
  s[S.dnsRcode]![row] = meta.dnsRcode[slot] ?? null;
  s[S.dnsAnswers]![row] = meta.dnsAnswers[slot] ?? null;
  s[S.tlsSni]![row] = sni;
  s[S.tlsVersion]![row] = meta.tlsVersion(slot);
  s[S.httpMethod]![row] = meta.httpMethod[slot] ?? null;
  s[S.httpHost]![row] = host;
  s[S.httpUri]![row] = meta.httpUri[slot] ?? null;
  s[S.httpUserAgent]![row] = meta.httpUserAgent[slot] ?? null;
  n[C.httpStatus]![row] = meta.httpStatus[slot]!;
  s[S.tcpState]![row] =
    protocol === TCP
      ? store.tcp.connState(slot, store.side(slot, 0, F.payloadBytes), store.side(slot, 1, F.payloadBytes))
      : null;
  s[S.endReason]![row] = reason;
  builder.endRow();
}
