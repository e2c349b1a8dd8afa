/**
 * ARP (RFC 826) and RARP (RFC 903) over Ethernet-like links: a non-IP packet whose operation and
 * addresses go into typed columns (no strings, nothing to clone between threads); the case
 * formats them when it loads arp_packets (src/main/store/side-tables.ts).
 */
import type { PacketBatch } from '../../shared/packet-batch';
import { readUint16BE, readUint32BE } from './byte-reader';
import { markNonIp, markTruncated } from './row-columns';

/** RFC 826 / RFC 903 operation codes kept: request, reply, RARP request, RARP reply. */
const MAX_KEPT_OPERATION = 4;
/** hrd = Ethernet (1), pro = IPv4 ethertype: the only layout kept (MAC and IPv4 addresses). */
const HARDWARE_ETHERNET = 1;
const PROTOCOL_IPV4 = 0x0800;

/**
 * Decodes the ARP packet at `offset`: decodeStatus nonIp (truncated if cut) and, for Ethernet/IPv4
 * ARP with operation 1-4, arpOperation and the addresses in srcAddr/dstAddr (see PacketBatch).
 */
export function decodeArp(
  bytes: Uint8Array,
  offset: number,
  end: number,
  batch: PacketBatch,
  row: number,
): void {
  // hrd(2) pro(2) hln(1) pln(1) op(2), then sha spa tha tpa.
  if (end - offset < 8) {
    markTruncated(batch, row);
    return;
  }
  const hardwareLength = bytes[offset + 4]!;
  const protocolLength = bytes[offset + 5]!;
  const operation = readUint16BE(bytes, offset + 6);
  if (offset + 8 + 2 * (hardwareLength + protocolLength) > end) {
    markTruncated(batch, row);
    return;
  }
  markNonIp(batch, row);
  const isEthernetIpv4 =
    readUint16BE(bytes, offset) === HARDWARE_ETHERNET &&
    readUint16BE(bytes, offset + 2) === PROTOCOL_IPV4 &&
    hardwareLength === 6 &&
    protocolLength === 4;
  if (!isEthernetIpv4 || operation < 1 || operation > MAX_KEPT_OPERATION) return;
  batch.arpOperation[row] = operation;
  // sha(6) spa(4) tha(6) tpa(4) from offset + 8.
  writeAddress(bytes, offset + 8, batch.srcAddr, row * 4);
  writeAddress(bytes, offset + 18, batch.dstAddr, row * 4);
}

/** MAC at `at`, IPv4 after it -> [IPv4, MAC bytes 0-1, MAC bytes 2-5, 0] at `to`. */
function writeAddress(bytes: Uint8Array, at: number, words: Uint32Array, to: number): void {
  words[to] = readUint32BE(bytes, at + 6);
  words[to + 1] = readUint16BE(bytes, at);
  words[to + 2] = readUint32BE(bytes, at + 2);
  words[to + 3] = 0;
}
