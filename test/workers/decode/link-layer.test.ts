/** Link layers: Ethernet (VLAN, QinQ, LLC/SNAP, PPPoE, MPLS), ARP, Linux SLL/SLL2, loopback, NFLOG, PPP, Cisco HDLC, raw IP. */
import { arpRow } from './arp-row';
import { describe, expect, it } from 'vitest';
import { DecodeStatus } from '../../../src/shared/packet-batch';
import { isDecodedLinkType } from '../../../src/workers/decode/decode-packet';
import {
  ADDRESS_1,
  ADDRESS_2,
  bytes,
  decodeBytes,
  IPV4_TCP,
  MAC_DST,
  MAC_SRC,
  rowSnapshot,
  TCP_SYN,
} from './packet-bytes';

const IP_PACKET = bytes(IPV4_TCP, TCP_SYN);
/** IPv6 2001:db8::1 -> 2001:db8::2, payload length 20, next header TCP, hop limit 64. */
const IPV6_PACKET = bytes(
  '6000 0000 0014 06 40',
  '20010db8 00000000 00000000 00000001',
  '20010db8 00000000 00000000 00000002',
  TCP_SYN,
);
const DST_WORDS = [0x0011, 0x2233, 0x4455];
const SRC_WORDS = [0x6677, 0x8899, 0xaabb];

function expectTcpSyn(decoded: ReturnType<typeof decodeBytes>): void {
  const { batch, row } = decoded;
  expect(batch.decodeStatus[row]).toBe(DecodeStatus.ip);
  expect(batch.ipVersion[row]).toBe(4);
  expect(decoded.srcAddr).toEqual(ADDRESS_1);
  expect(decoded.dstAddr).toEqual(ADDRESS_2);
  expect([batch.srcPort[row], batch.dstPort[row], batch.tcpFlags[row]]).toEqual([12345, 80, 0x02]);
}

describe('Ethernet', () => {
  it('Ethernet II: MACs as 3 big-endian words, then IPv4/TCP', () => {
    const decoded = decodeBytes(bytes(MAC_DST, MAC_SRC, '0800', IP_PACKET), 1);
    expectTcpSyn(decoded);
    expect(decoded.dstMac).toEqual(DST_WORDS);
    expect(decoded.srcMac).toEqual(SRC_WORDS);
    expect(decoded.batch.vlanId[decoded.row]).toBe(0);
  });

  it('802.1Q tag: VLAN id without the priority bits', () => {
    // TCI a064: PCP 5, DEI 0, VID 0x064 = 100.
    const decoded = decodeBytes(bytes(MAC_DST, MAC_SRC, '8100 a064 0800', IP_PACKET), 1);
    expectTcpSyn(decoded);
    expect(decoded.batch.vlanId[decoded.row]).toBe(100);
  });

  it('QinQ 802.1ad and legacy 0x9100 tags: the outer VLAN id', () => {
    const ad = decodeBytes(bytes(MAC_DST, MAC_SRC, '88a8 00c8 8100 0064 0800', IP_PACKET), 1);
    expectTcpSyn(ad);
    expect(ad.batch.vlanId[ad.row]).toBe(200);
    const legacy = decodeBytes(bytes(MAC_DST, MAC_SRC, '9100 012c 8100 0064 0800', IP_PACKET), 1);
    expectTcpSyn(legacy);
    expect(legacy.batch.vlanId[legacy.row]).toBe(300);
  });

  it('802.3 with LLC (STP) is non-IP; LLC/SNAP with ethertype 0x0800 is IP', () => {
    const stp = decodeBytes(bytes(MAC_DST, MAC_SRC, '0026 42 42 03 0000 00 00', new Uint8Array(32)), 1);
    expect(stp.batch.decodeStatus[stp.row]).toBe(DecodeStatus.nonIp);
    expect(stp.srcMac).toEqual(SRC_WORDS);
    // Length 0x0030 = 8 (LLC + SNAP) + 40 (IP packet).
    expectTcpSyn(decodeBytes(bytes(MAC_DST, MAC_SRC, '0030 aa aa 03 000000 0800', IP_PACKET), 1));
  });

  it('LLDP and loopback ethertypes are non-IP', () => {
    for (const type of ['88cc', '9000']) {
      const decoded = decodeBytes(bytes(MAC_DST, MAC_SRC, type, new Uint8Array(46)), 1);
      expect(decoded.batch.decodeStatus[decoded.row], type).toBe(DecodeStatus.nonIp);
      expect(decoded.batch.ipVersion[decoded.row]).toBe(0);
    }
  });

  it('PPPoE session with PPP IPv4 is IP; PPP LCP and PPPoE discovery are non-IP', () => {
    // ver/type 0x11, code 0, session 0x1234, length 42 = PPP protocol (2) + 40.
    expectTcpSyn(decodeBytes(bytes(MAC_DST, MAC_SRC, '8864 11 00 1234 002a 0021', IP_PACKET), 1));
    const lcp = decodeBytes(bytes(MAC_DST, MAC_SRC, '8864 11 00 1234 0006 c021 01 01 0004'), 1);
    expect(lcp.batch.decodeStatus[lcp.row]).toBe(DecodeStatus.nonIp);
    const discovery = decodeBytes(bytes(MAC_DST, MAC_SRC, '8863 11 09 0000 0000'), 1);
    expect(discovery.batch.decodeStatus[discovery.row]).toBe(DecodeStatus.nonIp);
  });

  it('MPLS: IP after the bottom-of-stack label', () => {
    // Labels 16 (S=0) and 1 (S=1), TTL 64: 0x00010040, 0x00001140.
    expectTcpSyn(decodeBytes(bytes(MAC_DST, MAC_SRC, '8847 00010040 00001140', IP_PACKET), 1));
  });

  it('a frame cut inside the header is truncated and keeps the MACs that were read', () => {
    const decoded = decodeBytes(hex12(), 1);
    expect(decoded.batch.decodeStatus[decoded.row]).toBe(DecodeStatus.truncated);
    expect(decoded.dstMac).toEqual(DST_WORDS);
    expect(decoded.srcMac).toEqual(SRC_WORDS);
    const vlanCut = decodeBytes(bytes(MAC_DST, MAC_SRC, '8100 00'), 1);
    expect(vlanCut.batch.decodeStatus[vlanCut.row]).toBe(DecodeStatus.truncated);
  });
});

function hex12(): Uint8Array {
  return bytes(MAC_DST, MAC_SRC, '08');
}

describe('ARP (RFC 826)', () => {
  it('request: non-IP with a who-has summary', () => {
    const arp = '0001 0800 06 04 0001 66778899aabb 0a000002 000000000000 0a000001';
    const { batch, row, meta } = decodeBytes(bytes('ffffffffffff', MAC_SRC, '0806', arp), 1);
    expect(batch.decodeStatus[row]).toBe(DecodeStatus.nonIp);
    expect(meta).toBeUndefined(); // no strings: typed columns only
    expect(batch.ipVersion[row]).toBe(0);
    expect([...batch.srcAddr.subarray(row * 4, row * 4 + 4)]).toEqual([0x0a000002, 0x6677, 0x8899aabb, 0]);
    expect([...batch.dstAddr.subarray(row * 4, row * 4 + 4)]).toEqual([0x0a000001, 0, 0, 0]);
    expect(arpRow(batch, row)).toEqual({
      operation: 1,
      senderMac: '66:77:88:99:aa:bb',
      senderIp: '10.0.0.2',
      targetMac: '00:00:00:00:00:00',
      targetIp: '10.0.0.1',
      summary: 'who-has 10.0.0.1 tell 10.0.0.2',
    });
  });

  it('reply: is-at summary; cut ARP is truncated without ARP fields; other operations and layouts are not kept', () => {
    const reply = '0001 0800 06 04 0002 001122334455 0a000001 66778899aabb 0a000002';
    const decoded = decodeBytes(bytes(MAC_SRC, MAC_DST, '0806', reply), 1);
    expect(arpRow(decoded.batch, decoded.row)?.summary).toBe('10.0.0.1 is-at 00:11:22:33:44:55');
    const cut = decodeBytes(bytes(MAC_SRC, MAC_DST, '0806', reply).subarray(0, 14 + 20), 1);
    expect(cut.batch.decodeStatus[cut.row]).toBe(DecodeStatus.truncated);
    expect(cut.batch.arpOperation[cut.row]).toBe(0);
    const inArp = decodeBytes(bytes(MAC_SRC, MAC_DST, '0806', reply.replace('0002', '0008')), 1); // InARP request
    expect(inArp.batch.decodeStatus[inArp.row]).toBe(DecodeStatus.nonIp);
    expect(inArp.batch.arpOperation[inArp.row]).toBe(0);
    const ipv6 = '0001 86dd 06 10 0001 001122334455' + ' 00'.repeat(16) + ' 66778899aabb' + ' 00'.repeat(16);
    const notIpv4 = decodeBytes(bytes(MAC_SRC, MAC_DST, '0806', ipv6), 1);
    expect(notIpv4.batch.decodeStatus[notIpv4.row]).toBe(DecodeStatus.nonIp);
    expect(notIpv4.batch.arpOperation[notIpv4.row]).toBe(0);
  });
});

describe('Linux cooked captures', () => {
  it('SLL (113): 16-byte header, sender address as source MAC', () => {
    // packet type 0 (to us), ARPHRD_ETHER, address length 6, address + 2 pad, protocol 0x0800.
    const decoded = decodeBytes(bytes('0000 0001 0006 66778899aabb 0000 0800', IP_PACKET), 113);
    expectTcpSyn(decoded);
    expect(decoded.srcMac).toEqual(SRC_WORDS);
    expect(decoded.dstMac).toEqual([0, 0, 0]);
    const llc = decodeBytes(bytes('0000 0001 0006 66778899aabb 0000 0004 424203'), 113);
    expect(llc.batch.decodeStatus[llc.row]).toBe(DecodeStatus.nonIp);
  });

  it('SLL (113) carries ARP too', () => {
    const arp = '0001 0800 06 04 0001 66778899aabb 0a000002 000000000000 0a000001';
    const { batch, row } = decodeBytes(bytes('0004 0001 0006 66778899aabb 0000 0806', arp), 113);
    expect(arpRow(batch, row)?.summary).toBe('who-has 10.0.0.1 tell 10.0.0.2');
  });

  it('SLL2 (276): protocol first, 20-byte header', () => {
    // protocol 0x86dd, reserved, interface 2, ARPHRD_ETHER, packet type 0, address length 6, address + pad.
    const decoded = decodeBytes(bytes('86dd 0000 00000002 0001 00 06 66778899aabb 0000', IPV6_PACKET), 276);
    expect(decoded.batch.ipVersion[decoded.row]).toBe(6);
    expect(decoded.srcAddr).toEqual([0x20010db8, 0, 0, 1]);
    expect(decoded.srcMac).toEqual(SRC_WORDS);
  });
});

describe('BSD loopback', () => {
  it('NULL (0): AF_INET in either byte order, AF_INET6 24/28/30', () => {
    expectTcpSyn(decodeBytes(bytes('02000000', IP_PACKET), 0));
    expectTcpSyn(decodeBytes(bytes('00000002', IP_PACKET), 0));
    for (const family of ['18000000', '0000001c', '1e000000']) {
      const decoded = decodeBytes(bytes(family, IPV6_PACKET), 0);
      expect(decoded.batch.ipVersion[decoded.row], family).toBe(6);
    }
    const other = decodeBytes(bytes('07000000', IP_PACKET), 0);
    expect(other.batch.decodeStatus[other.row]).toBe(DecodeStatus.nonIp);
  });

  it('NULL (0): old Linux 2 bytes + ethertype, and PPP in HDLC framing', () => {
    expectTcpSyn(decodeBytes(bytes('0f00 0800', IP_PACKET), 0));
    expectTcpSyn(decodeBytes(bytes('ff03 0021', IP_PACKET), 0));
  });

  it('LOOP (108): network byte order only', () => {
    expectTcpSyn(decodeBytes(bytes('00000002', IP_PACKET), 108));
    const swapped = decodeBytes(bytes('02000000', IP_PACKET), 108);
    expect(swapped.batch.decodeStatus[swapped.row]).toBe(DecodeStatus.nonIp);
  });
});

describe('NFLOG (239)', () => {
  it('finds NFULA_PAYLOAD after other TLVs (little-endian lengths, 4-byte padding)', () => {
    // nfgenmsg AF_INET v0 resource 0; NFULA_PREFIX (10) length 7 "ab\0" + 1 pad; NFULA_PAYLOAD (9) length 44.
    expectTcpSyn(decodeBytes(bytes('02 00 0000', '0700 0a00 616200 00', '2c00 0900', IP_PACKET), 239));
  });

  it('no payload TLV: non-IP; TLV cut: truncated', () => {
    const none = decodeBytes(bytes('02 00 0000', '0800 0a00 61626300'), 239);
    expect(none.batch.decodeStatus[none.row]).toBe(DecodeStatus.nonIp);
    const cut = decodeBytes(bytes('02 00 0000', '0800 0a00 6162'), 239);
    expect(cut.batch.decodeStatus[cut.row]).toBe(DecodeStatus.truncated);
  });
});

describe('PPP and Cisco HDLC', () => {
  it('PPP (9): with or without ff 03, compressed protocol field, IPv6; LCP is non-IP', () => {
    expectTcpSyn(decodeBytes(bytes('ff03 0021', IP_PACKET), 9));
    expectTcpSyn(decodeBytes(bytes('0021', IP_PACKET), 9));
    expectTcpSyn(decodeBytes(bytes('21', IP_PACKET), 9));
    const v6 = decodeBytes(bytes('ff03 0057', IPV6_PACKET), 9);
    expect(v6.batch.ipVersion[v6.row]).toBe(6);
    const lcp = decodeBytes(bytes('ff03 c021 01010004'), 9);
    expect(lcp.batch.decodeStatus[lcp.row]).toBe(DecodeStatus.nonIp);
  });

  it('PPP_HDLC (50): PPP, or Cisco HDLC framing', () => {
    expectTcpSyn(decodeBytes(bytes('ff03 0021', IP_PACKET), 50));
    expectTcpSyn(decodeBytes(bytes('0f00 0800', IP_PACKET), 50));
  });

  it('Cisco HDLC (104): address, control, ethertype; SLARP is non-IP', () => {
    expectTcpSyn(decodeBytes(bytes('0f00 0800', IP_PACKET), 104));
    // SLARP request: type 0, addresses, 2 bytes of reliability.
    const slarp = decodeBytes(bytes('8f00 8035 00000000 0a000001 ffffff00 ffff'), 104);
    expect(slarp.batch.decodeStatus[slarp.row]).toBe(DecodeStatus.nonIp);
  });
});

describe('raw IP link types', () => {
  it('RAW 101, 12 and 14 by version nibble; IPV4 228; IPV6 229', () => {
    for (const linkType of [101, 12, 14, 228]) expectTcpSyn(decodeBytes(IP_PACKET, linkType));
    for (const linkType of [101, 12, 14, 229]) {
      const decoded = decodeBytes(IPV6_PACKET, linkType);
      expect(decoded.batch.ipVersion[decoded.row], String(linkType)).toBe(6);
    }
  });
});

describe('unsupported link types', () => {
  it('sets unsupportedLinkType and nothing else', () => {
    const packet = bytes(MAC_DST, MAC_SRC, '0800', IP_PACKET);
    const decoded = decodeBytes(packet, 160);
    const empty = decodeBytes(new Uint8Array(0), 160);
    expect(decoded.batch.decodeStatus[decoded.row]).toBe(DecodeStatus.unsupportedLinkType);
    const snapshot = rowSnapshot(decoded.batch, decoded.row);
    const reference = rowSnapshot(empty.batch, empty.row);
    for (const name of ['frameLength', 'capturedLength']) {
      delete snapshot[name];
      delete reference[name];
    }
    expect(snapshot).toEqual(reference);
    expect(decoded.batch.meta).toEqual([]);
  });

  it('isDecodedLinkType lists exactly the decoded link types (FCS bits of the pcap header ignored)', () => {
    const decoded = [0, 1, 9, 12, 14, 50, 101, 104, 105, 108, 113, 127, 228, 229, 239, 276];
    for (let linkType = 0; linkType < 300; linkType++)
      expect(isDecodedLinkType(linkType), String(linkType)).toBe(decoded.includes(linkType));
    expect(isDecodedLinkType(0x30000001)).toBe(true);
  });
});
