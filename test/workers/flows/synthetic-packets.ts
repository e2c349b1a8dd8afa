import type { FlowBatch } from '../../../src/shared/flow-schema';
import { decodeString } from '../../../src/shared/encoded-strings';
import { ASSEMBLED_NUMBER_COLUMNS, ASSEMBLED_STRING_COLUMNS } from '../../../src/shared/flow-schema';
import {
  DecodeStatus,
  TcpFlag,
  createPacketBatch,
  type PacketBatch,
  type PacketMeta,
} from '../../../src/shared/packet-batch';

/** Capture epoch of synthetic packets: 2023-11-14T22:13:20Z. */
export const BASE_SEC = 1_700_000_000;

/** One hand-made packet. Defaults: IPv4 UDP, 100-byte frame, TTL 64, decoded. */
export interface SyntheticPacket {
  /** Milliseconds after BASE_SEC (fractions allowed; converted exactly to ns). */
  ms: number;
  src?: string;
  dst?: string;
  sport?: number;
  dport?: number;
  /** IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6). */
  proto?: number;
  /** TCP flags as letters: S A F R P U E C (e.g. 'SA', 'FA', 'PA'). */
  flags?: string;
  frame?: number;
  payload?: number;
  header?: number;
  ttl?: number;
  window?: number;
  mss?: number;
  vlan?: number;
  icmpType?: number;
  icmpCode?: number;
  app?: number;
  meta?: PacketMeta;
  status?: number;
  /** FragmentFlag bits. */
  fragment?: number;
  ipId?: number;
  /** 'aa:bb:cc:dd:ee:ff'. */
  srcMac?: string;
  dstMac?: string;
}

const FLAG_LETTERS: Record<string, number> = {
  S: TcpFlag.syn,
  A: TcpFlag.ack,
  F: TcpFlag.fin,
  R: TcpFlag.rst,
  P: TcpFlag.psh,
  U: TcpFlag.urg,
  E: TcpFlag.ece,
  C: TcpFlag.cwr,
};

/** Parses dotted IPv4 or IPv6 (with '::') into version and 4 big-endian words. */
export function parseIp(text: string): { version: 4 | 6; words: number[] } {
  if (!text.includes(':')) {
    const [a, b, c, d] = text.split('.').map(Number) as [number, number, number, number];
    return { version: 4, words: [((a << 24) | (b << 16) | (c << 8) | d) >>> 0, 0, 0, 0] };
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined): number[] =>
    part ? part.split(':').map((group) => parseInt(group, 16)) : [];
  const left = parse(head);
  const right = parse(tail);
  const groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const words = [0, 1, 2, 3].map((i) => ((groups[i * 2]! << 16) | groups[i * 2 + 1]!) >>> 0);
  return { version: 6, words };
}

function macWords(text: string | undefined): number[] {
  if (!text) return [0, 0, 0];
  const bytes = text.split(':').map((byte) => parseInt(byte, 16));
  return [0, 2, 4].map((i) => (bytes[i]! << 8) | bytes[i + 1]!);
}

/** Fills a PacketBatch with the given packets (row i = packets[i]). */
export function makeBatch(packets: SyntheticPacket[], firstPacketNumber = 1): PacketBatch {
  const batch = createPacketBatch(Math.max(1, packets.length), firstPacketNumber);
  packets.forEach((packet, row) => {
    const ns = Math.round(packet.ms * 1e6);
    batch.tsSec[row] = BASE_SEC + Math.floor(ns / 1e9);
    batch.tsNsec[row] = ns % 1e9;
    const proto = packet.proto ?? 17;
    const src = parseIp(packet.src ?? '10.0.0.1');
    const dst = parseIp(packet.dst ?? '10.0.0.2');
    batch.decodeStatus[row] = packet.status ?? DecodeStatus.ip;
    const isIp =
      batch.decodeStatus[row] === DecodeStatus.ip || batch.decodeStatus[row] === DecodeStatus.truncated;
    batch.ipVersion[row] = isIp ? src.version : 0;
    batch.protocol[row] = isIp ? proto : 0;
    for (let i = 0; i < 4; i++) {
      batch.srcAddr[row * 4 + i] = isIp ? src.words[i]! : 0;
      batch.dstAddr[row * 4 + i] = isIp ? dst.words[i]! : 0;
    }
    macWords(packet.srcMac).forEach((word, i) => (batch.srcMac[row * 3 + i] = word));
    macWords(packet.dstMac).forEach((word, i) => (batch.dstMac[row * 3 + i] = word));
    batch.vlanId[row] = packet.vlan ?? 0;
    batch.frameLength[row] = packet.frame ?? 100;
    batch.capturedLength[row] = packet.frame ?? 100;
    batch.ttl[row] = packet.ttl ?? 64;
    batch.srcPort[row] = packet.sport ?? 0;
    batch.dstPort[row] = packet.dport ?? 0;
    const defaultHeader = proto === 6 ? 20 : proto === 17 || proto === 1 || proto === 58 ? 8 : 0;
    batch.l4HeaderLength[row] = packet.header ?? defaultHeader;
    batch.payloadLength[row] = packet.payload ?? 0;
    batch.tcpFlags[row] = [...(packet.flags ?? '')].reduce((bits, letter) => bits | FLAG_LETTERS[letter]!, 0);
    batch.tcpWindow[row] = packet.window ?? 0;
    batch.tcpMss[row] = packet.mss ?? 0;
    batch.icmpType[row] = packet.icmpType ?? 0;
    batch.icmpCode[row] = packet.icmpCode ?? 0;
    batch.appSignature[row] = packet.app ?? 0;
    batch.fragment[row] = packet.fragment ?? 0;
    batch.ipId[row] = packet.ipId ?? 0;
    if (packet.meta) {
      batch.metaIndex[row] = batch.meta.length;
      batch.meta.push(packet.meta);
    }
  });
  batch.count = packets.length;
  return batch;
}

/** One emitted flow as a plain object: every number and string column plus flowIndex. */
export type FlowRow = Record<string, number | string | null> & { flowIndex: number };

/** Rows of several FlowBatches (null ones skipped), sorted by flowIndex. */
export function flowRows(...batches: (FlowBatch | null)[]): FlowRow[] {
  const rows: FlowRow[] = [];
  for (const batch of batches) {
    if (!batch) continue;
    for (let i = 0; i < batch.count; i++) {
      const row = { flowIndex: batch.flowIndex[i]! } as FlowRow;
      for (const name of ASSEMBLED_NUMBER_COLUMNS) row[name] = batch.numbers[name]![i]!;
      for (const name of ASSEMBLED_STRING_COLUMNS) row[name] = decodeString(batch.strings[name]!, i);
      rows.push(row);
    }
  }
  return rows.sort((a, b) => a.flowIndex - b.flowIndex);
}

/** Population mean and standard deviation, two-pass (independent of the code under test). */
export function populationStats(values: number[]): {
  min: number;
  mean: number;
  stddev: number;
  max: number;
} {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return { min: Math.min(...values), mean, stddev: Math.sqrt(variance), max: Math.max(...values) };
}
