/**
 * Per-frame comparison of one decoded PacketBatch row with its tshark reference row. Returns
 * every disagreement as a Mismatch; the reference test decides which are documented differences.
 */
import { arpRow } from './arp-row';
import { DecodeStatus, type PacketBatch, type PacketMeta } from '../../../src/shared/packet-batch';
import { compareApplication } from './compare-application-with-tshark';
import {
  chooseLayers,
  field,
  ipv4Word,
  ipv6Words,
  macWords,
  num,
  type Check,
  type LayerChoice,
  type ReferenceRow,
} from './tshark-reference';

export interface Mismatch {
  frame: number;
  field: string;
  ours: unknown;
  tshark: unknown;
  layers: LayerChoice;
}

const IPV6_EXTENSION_NEXT: Record<number, [string, string]> = {
  0: ['ipv6.hopopts', 'ipv6.hopopts.nxt'],
  43: ['ipv6.routing', 'ipv6.routing.nxt'],
  44: ['ipv6.fraghdr', 'ipv6.fraghdr.nxt'],
  60: ['ipv6.dstopts', 'ipv6.dstopts.nxt'],
  51: ['ah', 'ah.next_header'],
};
const ICMP_IDENTIFIER_TYPES = new Set([0, 8, 13, 14, 15, 16, 17, 18]);

/** Compares row `row` of `batch` with tshark's frame `ref`. */
export function compareFrame(batch: PacketBatch, row: number, ref: ReferenceRow): Mismatch[] {
  const frame = num(field(ref, 'frame.number'));
  const layers = chooseLayers(ref);
  const mismatches: Mismatch[] = [];
  const check: Check = (name, ours, tshark) => {
    if (JSON.stringify(ours) !== JSON.stringify(tshark))
      mismatches.push({ frame, field: name, ours, tshark, layers });
  };
  const meta: PacketMeta = batch.metaIndex[row]! >= 0 ? batch.meta[batch.metaIndex[row]!]! : {};

  // Status and link layer.
  const linkType = batch.linkType[row]!;
  const expectedStatus = layers.ipVersion > 0 ? DecodeStatus.ip : DecodeStatus.nonIp;
  check('decodeStatus', batch.decodeStatus[row], expectedStatus);
  check('vlanId', batch.vlanId[row], num(field(ref, 'vlan.id')));
  const srcMac =
    linkType === 1
      ? field(ref, 'eth.src')
      : linkType === 113 || linkType === 276
        ? field(ref, 'sll.src.eth')
        : undefined;
  const dstMac = linkType === 1 ? field(ref, 'eth.dst') : undefined;
  // 802.11 addresses (wlan.sa/wlan.da) are not in these TSVs; ieee80211.test.ts checks them.
  const wireless = linkType === 105 || linkType === 127;
  if (!wireless)
    check(
      'srcMac',
      Array.from(batch.srcMac.subarray(row * 3, row * 3 + 3)),
      srcMac ? macWords(srcMac) : [0, 0, 0],
    );
  if (!wireless)
    check(
      'dstMac',
      Array.from(batch.dstMac.subarray(row * 3, row * 3 + 3)),
      dstMac ? macWords(dstMac) : [0, 0, 0],
    );
  if (layers.tokens.includes('arp') && layers.ipVersion === 0) {
    const operation = num(field(ref, 'arp.opcode'));
    const senderIp = field(ref, 'arp.src.proto_ipv4');
    const targetIp = field(ref, 'arp.dst.proto_ipv4');
    const senderMac = field(ref, 'arp.src.hw_mac');
    const targetMac = field(ref, 'arp.dst.hw_mac');
    const summaries: Record<number, string> = {
      1: `who-has ${targetIp} tell ${senderIp}`,
      2: `${senderIp} is-at ${senderMac}`,
      3: `rarp who-is ${targetMac} tell ${senderMac}`,
      4: `rarp reply ${targetMac} at ${targetIp}`,
    };
    const summary = summaries[operation];
    // Operations without a summary (e.g. InARP) and non-Ethernet/IPv4 layouts are not kept.
    const ours = arpRow(batch, row);
    check(
      'arp',
      ours
        ? [ours.operation, ours.senderMac, ours.senderIp, ours.targetMac, ours.targetIp, ours.summary]
        : null,
      summary === undefined || !senderMac || !senderIp
        ? null
        : [operation, senderMac, senderIp, targetMac, targetIp, summary],
    );
  }
  if (layers.ipVersion === 0) return mismatches;

  // Network layer.
  const ip = layers.ipIndex;
  check('ipVersion', batch.ipVersion[row], layers.ipVersion);
  const src = Array.from(batch.srcAddr.subarray(row * 4, row * 4 + 4));
  const dst = Array.from(batch.dstAddr.subarray(row * 4, row * 4 + 4));
  let fragmentOffset = 0;
  let moreFragments = 0;
  let fragmented = false;
  if (layers.ipVersion === 4) {
    check('srcAddr', src, [ipv4Word(field(ref, 'ip.src', ip)!), 0, 0, 0]);
    check('dstAddr', dst, [ipv4Word(field(ref, 'ip.dst', ip)!), 0, 0, 0]);
    check('protocol', batch.protocol[row], num(field(ref, 'ip.proto', ip)));
    check('ttl', batch.ttl[row], num(field(ref, 'ip.ttl', ip)));
    check('ipId', batch.ipId[row], num(field(ref, 'ip.id', ip)));
    check('ipFlags', batch.ipFlags[row], num(field(ref, 'ip.flags', ip)) & 3);
    fragmentOffset = num(field(ref, 'ip.frag_offset', ip)) * 8;
    moreFragments = num(field(ref, 'ip.flags', ip)) & 1;
    fragmented = moreFragments === 1 || fragmentOffset > 0;
    check('ipLength', batch.ipLength[row], num(field(ref, 'ip.len', ip)));
    check('ipHeaderLength', batch.ipHeaderLength[row], num(field(ref, 'ip.hdr_len', ip)));
  } else {
    check('srcAddr', src, ipv6Words(field(ref, 'ipv6.src', ip)!));
    check('dstAddr', dst, ipv6Words(field(ref, 'ipv6.dst', ip)!));
    check('ttl', batch.ttl[row], num(field(ref, 'ipv6.hlim', ip)));
    check('ipLength', batch.ipLength[row], num(field(ref, 'ipv6.plen', ip)) + 40);
    // Follow the extension-header chain through the per-header next-header fields.
    let next = num(field(ref, 'ipv6.nxt', ip));
    const used = new Map<string, number>();
    for (let guard = 0; IPV6_EXTENSION_NEXT[next] && guard < 16; guard++) {
      const [token, nextField] = IPV6_EXTENSION_NEXT[next]!;
      const occurrence = (layers.extensionBase.get(token) ?? 0) + (used.get(token) ?? 0);
      used.set(token, (used.get(token) ?? 0) + 1);
      if (next === 44) {
        fragmented = true;
        fragmentOffset = num(field(ref, 'ipv6.fraghdr.offset', occurrence)) * 8;
        moreFragments = num(field(ref, 'ipv6.fraghdr.more', occurrence));
        check('ipId', batch.ipId[row], num(field(ref, 'ipv6.fraghdr.ident', occurrence)));
        check('ipFlags', batch.ipFlags[row], moreFragments);
      }
      const value = field(ref, nextField, occurrence);
      if (value === undefined) break;
      next = num(value);
    }
    check('protocol', batch.protocol[row], next);
  }
  check('fragmentOffset', batch.fragmentOffset[row], fragmentOffset);
  check('fragment', batch.fragment[row], fragmented ? (fragmentOffset === 0 ? 3 : 1) : 0);

  // Transport layer.
  const t = layers.transportIndex;
  const ports = [batch.srcPort[row], batch.dstPort[row]];
  if (layers.transport === 'tcp') {
    check('ports', ports, [num(field(ref, 'tcp.srcport', t)), num(field(ref, 'tcp.dstport', t))]);
    check('tcpFlags', batch.tcpFlags[row], num(field(ref, 'tcp.flags', t)) & 0xff);
    check('tcpSeq', batch.tcpSeq[row], num(field(ref, 'tcp.seq_raw', t)));
    check('tcpAck', batch.tcpAck[row], num(field(ref, 'tcp.ack_raw', t)));
    check('tcpWindow', batch.tcpWindow[row], num(field(ref, 'tcp.window_size_value', t)));
    check('l4HeaderLength', batch.l4HeaderLength[row], num(field(ref, 'tcp.hdr_len', t)));
    check('payloadLength', batch.payloadLength[row], num(field(ref, 'tcp.len', t)));
    check('tcpMss', batch.tcpMss[row], num(field(ref, 'tcp.options.mss_val', t)));
  } else if (layers.transport === 'udp') {
    check('ports', ports, [num(field(ref, 'udp.srcport', t)), num(field(ref, 'udp.dstport', t))]);
    check('l4HeaderLength', batch.l4HeaderLength[row], 8);
    if (!fragmented) check('payloadLength', batch.payloadLength[row], num(field(ref, 'udp.length', t)) - 8);
  } else if (layers.transport === 'icmp' || layers.transport === 'icmpv6') {
    const v6 = layers.transport === 'icmpv6';
    const type = num(field(ref, v6 ? 'icmpv6.type' : 'icmp.type', t));
    check(
      'icmp',
      [batch.icmpType[row], batch.icmpCode[row]],
      [type, num(field(ref, v6 ? 'icmpv6.code' : 'icmp.code', t))],
    );
    const hasIdentifier = v6 ? type === 128 || type === 129 : ICMP_IDENTIFIER_TYPES.has(type);
    const identifier = num(field(ref, v6 ? 'icmpv6.echo.identifier' : 'icmp.ident', t));
    check('ports', ports, hasIdentifier ? [identifier, identifier] : [0, 0]);
  } else {
    check('ports', ports, [0, 0]);
  }
  compareApplication(batch, row, ref, layers, meta, check);
  return mismatches;
}
