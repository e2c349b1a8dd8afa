/** ARP (RFC 826) and RARP (RFC 903) over Ethernet-like links: a non-IP packet with a meta entry for the UI. */
import type { PacketBatch, PacketMeta } from '../../shared/packet-batch';
import { readUint16BE } from './byte-reader';
import { markNonIp, markTruncated } from './row-columns';
import { formatIpv4, formatMac } from './text';

/** RFC 826 / RFC 903 operation codes that get a summary. */
const ARP_REQUEST = 1;
const ARP_REPLY = 2;
const RARP_REQUEST = 3;
const RARP_REPLY = 4;
/** hrd = Ethernet (1), pro = IPv4 ethertype: the only layout with MAC and IPv4 strings. */
const HARDWARE_ETHERNET = 1;
const PROTOCOL_IPV4 = 0x0800;

/** Decodes the ARP packet at `offset`: decodeStatus nonIp (truncated if cut) and, for Ethernet/IPv4 ARP, a meta entry. */
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
  const meta: PacketMeta = { arpOperation: operation };
  const isEthernetIpv4 =
    readUint16BE(bytes, offset) === HARDWARE_ETHERNET &&
    readUint16BE(bytes, offset + 2) === PROTOCOL_IPV4 &&
    hardwareLength === 6 &&
    protocolLength === 4;
  if (isEthernetIpv4) {
    const senderMac = formatMac(bytes, offset + 8);
    const senderIp = formatIpv4(bytes, offset + 14);
    const targetMac = formatMac(bytes, offset + 18);
    const targetIp = formatIpv4(bytes, offset + 24);
    meta.arpSenderMac = senderMac;
    meta.arpSenderIp = senderIp;
    meta.arpTargetMac = targetMac;
    meta.arpTargetIp = targetIp;
    // tcpdump's wording (print-arp.c).
    if (operation === ARP_REQUEST) meta.arpSummary = `who-has ${targetIp} tell ${senderIp}`;
    else if (operation === ARP_REPLY) meta.arpSummary = `${senderIp} is-at ${senderMac}`;
    else if (operation === RARP_REQUEST) meta.arpSummary = `rarp who-is ${targetMac} tell ${senderMac}`;
    else if (operation === RARP_REPLY) meta.arpSummary = `rarp reply ${targetMac} at ${targetIp}`;
  }
  batch.metaIndex[row] = batch.meta.length;
  batch.meta.push(meta);
}
