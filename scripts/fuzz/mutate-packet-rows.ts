/**
 * Mutations of decoded packet rows for the flow assembler target. Values stay inside what the
 * record readers and decoders can produce (the assembler's input domain): whole-second
 * timestamps from 0 to 2^64 (pcapng 64-bit ticks at 1 s resolution), nanoseconds below 1e9,
 * decode statuses 0..4, any value of the integer columns, metaIndex -1 or a valid entry. Within
 * it: time jumps and reversals, keys copied, swapped and mixed between rows and IP versions,
 * fragments with and without their first piece, random TCP flags (SYN after FIN: reuse), and
 * hostile metadata strings.
 */
import { PACKET_BATCH_COLUMNS, type PacketBatch, type PacketMeta } from '../../src/shared/packet-batch';
import { below, pick, type Random } from './random';

/** Appends rows [start, start + count) of `source` to `target` (capacity permitting), meta re-indexed. */
export function copyRows(source: PacketBatch, start: number, count: number, target: PacketBatch): void {
  const to = target.count;
  for (const { name, width } of PACKET_BATCH_COLUMNS)
    target[name].set(source[name].subarray(start * width, (start + count) * width), to * width);
  for (let i = 0; i < count; i++) {
    const meta = source.metaIndex[start + i]!;
    if (meta >= 0) {
      target.metaIndex[to + i] = target.meta.length;
      target.meta.push(source.meta[meta]!);
    }
  }
  target.count += count;
}

/** Copies row `from` over row `to` (both in `batch`); meta entries are shared, not duplicated. */
function copyRow(batch: PacketBatch, from: number, to: number): void {
  for (const { name, width } of PACKET_BATCH_COLUMNS)
    batch[name].copyWithin(to * width, from * width, from * width + width);
}

/** Swaps two rows of `batch`. */
function swapRows(batch: PacketBatch, a: number, b: number): void {
  for (const { name, width } of PACKET_BATCH_COLUMNS) {
    const column = batch[name];
    for (let k = 0; k < width; k++) {
      const value = column[a * width + k]!;
      column[a * width + k] = column[b * width + k]!;
      column[b * width + k] = value;
    }
  }
}

const HOSTILE_TEXT = [
  '',
  '\u0000',
  '<script>x</script>',
  'a'.repeat(70_000),
  '\uFFFD',
  '..',
  'é'.repeat(300),
];
const BIG_VALUES = [0, 1, 0xffff, 0xffffffff, 0x7fffffff, 0x80000000];

function mutateMeta(batch: PacketBatch, row: number, random: Random): void {
  if (batch.meta.length > 0 && random() < 0.5) {
    batch.metaIndex[row] = random() < 0.3 ? -1 : below(random, batch.meta.length);
    return;
  }
  const meta: PacketMeta = {};
  const text = (): string => pick(random, HOSTILE_TEXT);
  const fields: Array<() => void> = [
    () => (meta.dnsQuery = text()),
    () => (meta.dnsIsResponse = random() < 0.5),
    () => (meta.dnsRcode = text()),
    () => (meta.dnsAnswers = text()),
    () => (meta.tlsSni = text()),
    () => (meta.tlsVersion = text()),
    () => (meta.httpHost = text()),
    () => (meta.httpMethod = text()),
    () => (meta.httpStatus = pick(random, [0, 100, 200, 999])),
    () => (meta.httpUserAgent = text()),
  ];
  for (let i = 1 + below(random, 4); i > 0; i--) pick(random, fields)();
  batch.metaIndex[row] = batch.meta.length;
  batch.meta.push(meta);
}

/** One mutation of row `row` (another row `other` serves as a donor). */
function mutateRow(batch: PacketBatch, row: number, other: number, random: Random): void {
  switch (below(random, 14)) {
    case 0: // time jump: far back, far ahead, to the epoch or 2^64
      batch.tsSec[row] = pick(random, [
        0,
        1,
        batch.tsSec[row]! + 86_400 * 365,
        Math.max(0, batch.tsSec[row]! - 3600),
        2 ** 32,
        2 ** 64,
      ]);
      break;
    case 1: // small steps around the timeouts and the 10 s sweep
      batch.tsSec[row] = Math.max(
        0,
        batch.tsSec[other]! + pick(random, [-1, 0, 1, 5, 10, 11, 120, 121, 1800, 1801]),
      );
      batch.tsNsec[row] = pick(random, [0, 999_999_999, 500_000_000, below(random, 1e9)]);
      break;
    case 2:
      batch.decodeStatus[row] = below(random, 5);
      break;
    case 3:
      batch.ipVersion[row] = pick(random, [0, 4, 6, 5, below(random, 256)]);
      break;
    case 4: // the other row's key, possibly reversed (same flow, other direction)
      batch.ipVersion[row] = batch.ipVersion[other]!;
      batch.protocol[row] = batch.protocol[other]!;
      batch.vlanId[row] = batch.vlanId[other]!;
      if (random() < 0.5) {
        batch.srcAddr.copyWithin(row * 4, other * 4, other * 4 + 4);
        batch.dstAddr.copyWithin(row * 4, other * 4, other * 4 + 4);
        batch.srcPort[row] = batch.srcPort[other]!;
        batch.dstPort[row] = batch.dstPort[other]!;
      } else {
        batch.srcAddr.set(batch.dstAddr.subarray(other * 4, other * 4 + 4), row * 4);
        batch.dstAddr.set(batch.srcAddr.subarray(other * 4, other * 4 + 4), row * 4);
        batch.srcPort[row] = batch.dstPort[other]!;
        batch.dstPort[row] = batch.srcPort[other]!;
      }
      break;
    case 5: // same endpoint on both sides
      batch.dstAddr.set(batch.srcAddr.subarray(row * 4, row * 4 + 4), row * 4);
      if (random() < 0.5) batch.dstPort[row] = batch.srcPort[row]!;
      break;
    case 6:
      batch.tcpFlags[row] = pick(random, [0x02, 0x12, 0x01, 0x04, 0x11, 0x14, 0xff, below(random, 256)]);
      batch.protocol[row] = random() < 0.7 ? 6 : below(random, 256);
      batch.l4HeaderLength[row] = pick(random, [0, 20, 60, 0xffff]);
      break;
    case 7: // fragments: first piece or not, colliding ids
      batch.fragment[row] = below(random, 4);
      batch.ipId[row] = random() < 0.5 ? batch.ipId[other]! : pick(random, BIG_VALUES);
      break;
    case 8:
      batch.frameLength[row] = pick(random, BIG_VALUES);
      batch.payloadLength[row] = pick(random, BIG_VALUES);
      break;
    case 9:
      batch.tcpWindow[row] = below(random, 65536);
      batch.tcpMss[row] = pick(random, [0, 1, 536, 1460, 0xffff]);
      batch.ttl[row] = below(random, 256);
      batch.icmpType[row] = below(random, 256);
      batch.icmpCode[row] = below(random, 256);
      batch.appSignature[row] = below(random, 256);
      batch.arpOperation[row] = pick(random, [0, 1, 4, 5, 255]); // also on IP rows: must be ignored there
      break;
    case 10:
      mutateMeta(batch, row, random);
      break;
    case 11:
      swapRows(batch, row, other);
      break;
    case 12:
      copyRow(batch, other, row);
      break;
    default: {
      const words = batch.srcAddr;
      words[row * 4 + below(random, 4)] = pick(random, [0, 0xffffffff, below(random, 2 ** 32)]);
      batch.srcPort[row] = pick(random, [0, 1, 0xffff, below(random, 65536)]);
    }
  }
}

/** Mutates about `count / 8` rows of `batch` (at least one when it has rows), in place. */
export function mutatePacketRows(batch: PacketBatch, random: Random): void {
  if (batch.count === 0) return;
  const mutations = random() < 0.1 ? 0 : 1 + below(random, Math.max(1, batch.count >> 3));
  for (let i = 0; i < mutations; i++) {
    mutateRow(batch, below(random, batch.count), below(random, batch.count), random);
  }
  // Now and then, time running backwards through the whole stream (merged or sorted wrongly).
  if (random() < 0.05) {
    for (let row = 0; row < batch.count >> 1; row++) swapRows(batch, row, batch.count - 1 - row);
  }
}
