/**
 * Test helper: the ARP fields of a decoded row (PacketBatch.arpOperation and the addresses in
 * srcAddr/dstAddr) as the text arp_packets holds, formatted here independently of the SQL that
 * formats them in the case (src/main/store/side-tables.ts), so tests compare the two.
 */
import type { PacketBatch } from '../../../src/shared/packet-batch';

export interface ArpRow {
  operation: number;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
  summary: string;
}

const hex = (value: number): string => value.toString(16).padStart(2, '0');

function endpoint(words: Uint32Array, row: number): { mac: string; ip: string } {
  const [ip, high, low] = [words[row * 4]!, words[row * 4 + 1]!, words[row * 4 + 2]!];
  const macBytes = [high >>> 8, high & 255, low >>> 24, (low >>> 16) & 255, (low >>> 8) & 255, low & 255];
  return {
    mac: macBytes.map(hex).join(':'),
    ip: [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.'),
  };
}

/** The row's ARP fields, or null when it is not an ARP row. */
export function arpRow(batch: PacketBatch, row: number): ArpRow | null {
  const operation = batch.arpOperation[row]!;
  if (operation === 0) return null;
  const sender = endpoint(batch.srcAddr, row);
  const target = endpoint(batch.dstAddr, row);
  const summaries: Record<number, string> = {
    1: `who-has ${target.ip} tell ${sender.ip}`,
    2: `${sender.ip} is-at ${sender.mac}`,
    3: `rarp who-is ${target.mac} tell ${sender.mac}`,
    4: `rarp reply ${target.mac} at ${target.ip}`,
  };
  return {
    operation,
    senderMac: sender.mac,
    senderIp: sender.ip,
    targetMac: target.mac,
    targetIp: target.ip,
    summary: summaries[operation]!,
  };
}
