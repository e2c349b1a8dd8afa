/** Tunnels decode to the innermost IP header: IP-in-IP, 6in4, GRE (+ERSPAN, PPTP), VXLAN, GENEVE, Teredo. */
import { describe, expect, it } from 'vitest';
import { DecodeStatus } from '../../../src/shared/packet-batch';
import {
  ADDRESS_1,
  ADDRESS_2,
  bytes,
  decodeBytes,
  IPV4_TCP,
  MAC_DST,
  MAC_SRC,
  TCP_SYN,
} from './packet-bytes';

const INNER = bytes(IPV4_TCP, TCP_SYN);
const INNER_V6 = bytes(
  '6000 0000 0014 06 40',
  '20010db8 00000000 00000000 00000001',
  '20010db8 00000000 00000000 00000002',
  TCP_SYN,
);
const INNER_ETHERNET = bytes('aaaaaaaaaaaa bbbbbbbbbbbb 0800', INNER);
const OUTER_SRC = [0xc0a80001, 0, 0, 0];

/** IPv4 header 192.168.0.1 -> 192.168.0.2 (TTL 99, id 0x0001) around `payload`, total length computed. */
function outerIpv4(protocol: number, payload: Uint8Array, flagsAndOffset = '0000'): Uint8Array {
  const total = (20 + payload.length).toString(16).padStart(4, '0');
  return bytes(
    `45 00 ${total} 0001 ${flagsAndOffset} 63 ${protocol.toString(16).padStart(2, '0')} 0000 c0a80001 c0a80002`,
    payload,
  );
}

/** UDP header src -> dst around `payload`, length computed. */
function udp(src: number, dst: number, payload: Uint8Array): Uint8Array {
  const word = (value: number): string => value.toString(16).padStart(4, '0');
  return bytes(`${word(src)} ${word(dst)} ${word(8 + payload.length)} 0000`, payload);
}

/** Outer Ethernet with VLAN 7 around an IPv4 packet. */
function outerEthernet(ipPacket: Uint8Array): Uint8Array {
  return bytes(MAC_DST, MAC_SRC, '8100 0007 0800', ipPacket);
}

function expectInnerTcp(decoded: ReturnType<typeof decodeBytes>): void {
  const { batch, row } = decoded;
  expect(batch.decodeStatus[row]).toBe(DecodeStatus.ip);
  expect([decoded.srcAddr, decoded.dstAddr]).toEqual([ADDRESS_1, ADDRESS_2]);
  expect([batch.protocol[row], batch.ttl[row], batch.ipId[row], batch.ipFlags[row]]).toEqual([
    6, 64, 0x1234, 2,
  ]);
  expect([batch.srcPort[row], batch.dstPort[row], batch.tcpFlags[row], batch.ipLength[row]]).toEqual([
    12345, 80, 2, 40,
  ]);
}

describe('IP in IP', () => {
  it('IPv4 in IPv4 (protocol 4): inner header, outer link columns kept', () => {
    const decoded = decodeBytes(outerEthernet(outerIpv4(4, INNER)), 1);
    expectInnerTcp(decoded);
    expect(decoded.batch.vlanId[decoded.row]).toBe(7);
    expect(decoded.srcMac).toEqual([0x6677, 0x8899, 0xaabb]);
  });

  it('IPv6 in IPv4 (6in4, protocol 41)', () => {
    const { batch, row, srcAddr } = decodeBytes(outerIpv4(41, INNER_V6), 101);
    expect([batch.ipVersion[row], batch.protocol[row], batch.dstPort[row], batch.ipId[row]]).toEqual([
      6, 6, 80, 0,
    ]);
    expect(srcAddr).toEqual([0x20010db8, 0, 0, 1]);
  });

  it('an outer fragment is not entered, and a cut inner header keeps the outer one', () => {
    const fragment = decodeBytes(outerIpv4(4, INNER, '2000'), 101);
    expect([fragment.srcAddr, fragment.batch.protocol[fragment.row]]).toEqual([OUTER_SRC, 4]);
    const cut = decodeBytes(outerIpv4(4, INNER).subarray(0, 20 + 12), 101);
    expect([cut.srcAddr, cut.batch.protocol[cut.row]]).toEqual([OUTER_SRC, 4]);
  });

  it('nesting is followed to a bounded depth (4 tunnels)', () => {
    // Six IPv4 headers 10.0.k.1 -> 10.0.k.2 (k = 0 outermost), each protocol 4, then TCP.
    let packet = bytes(TCP_SYN);
    for (let level = 5; level >= 0; level--) {
      const total = (20 + packet.length).toString(16).padStart(4, '0');
      const protocol = level === 5 ? '06' : '04';
      packet = bytes(
        `45 00 ${total} 0000 0000 40 ${protocol} 0000 0a00${level.toString(16).padStart(2, '0')}01 0a00${level.toString(16).padStart(2, '0')}02`,
        packet,
      );
    }
    const { batch, row, srcAddr } = decodeBytes(packet, 101);
    expect(srcAddr).toEqual([0x0a000401, 0, 0, 0]);
    expect(batch.protocol[row]).toBe(4);
  });
});

describe('GRE', () => {
  it('RFC 2784 basic header, IPv4 payload', () => {
    expectInnerTcp(decodeBytes(outerEthernet(outerIpv4(47, bytes('0000 0800', INNER))), 1));
  });

  it('RFC 2890 checksum, key and sequence present', () => {
    // C|K|S = 0xb000: checksum+reserved, key 42, sequence 7.
    expectInnerTcp(decodeBytes(outerIpv4(47, bytes('b000 0800 ffff0000 0000002a 00000007', INNER)), 101));
  });

  it('transparent Ethernet bridging (0x6558): outer MACs and VLAN stay', () => {
    const decoded = decodeBytes(outerEthernet(outerIpv4(47, bytes('2000 6558 0000002a', INNER_ETHERNET))), 1);
    expectInnerTcp(decoded);
    expect([decoded.batch.vlanId[decoded.row], ...decoded.dstMac]).toEqual([7, 0x0011, 0x2233, 0x4455]);
  });

  it('ERSPAN type II and PPTP enhanced GRE (version 1, PPP)', () => {
    // S bit + sequence, then the 8-byte ERSPAN II header (version 1, VLAN 0, session 100).
    expectInnerTcp(
      decodeBytes(outerIpv4(47, bytes('1000 88be 00000001 10000064 00000000', INNER_ETHERNET)), 101),
    );
    // K|S, version 1: payload length 44, call id 1, sequence 1; PPP ff 03 0021.
    expectInnerTcp(decodeBytes(outerIpv4(47, bytes('3001 880b 002c 0001 00000001 ff03 0021', INNER)), 101));
  });

  it('unknown payload type (keepalive, LLDP): the outer packet is described', () => {
    const { batch, row, srcAddr } = decodeBytes(outerIpv4(47, bytes('0000 88cc 0102030405060708')), 101);
    expect([srcAddr, batch.protocol[row], batch.payloadLength[row], batch.srcPort[row]]).toEqual([
      OUTER_SRC,
      47,
      12,
      0,
    ]);
  });
});

describe('UDP tunnels', () => {
  it('VXLAN on UDP 4789 (I flag set): inner Ethernet, then IP', () => {
    expectInnerTcp(
      decodeBytes(
        outerEthernet(outerIpv4(17, udp(49152, 4789, bytes('08 000000 000064 00', INNER_ETHERNET)))),
        1,
      ),
    );
  });

  it('VXLAN header without the I flag is left as UDP', () => {
    const { batch, row, srcAddr } = decodeBytes(
      outerIpv4(17, udp(49152, 4789, bytes('00 000000 000064 00', INNER_ETHERNET))),
      101,
    );
    expect([srcAddr, batch.protocol[row], batch.srcPort[row], batch.dstPort[row]]).toEqual([
      OUTER_SRC,
      17,
      49152,
      4789,
    ]);
  });

  it('GENEVE on UDP 6081 (one 4-byte option, Ethernet payload)', () => {
    expectInnerTcp(
      decodeBytes(
        outerIpv4(17, udp(49152, 6081, bytes('01 00 6558 000064 00 01020304', INNER_ETHERNET))),
        101,
      ),
    );
  });

  it('Teredo on UDP 3544 with an origin indication', () => {
    const { batch, row, srcAddr } = decodeBytes(
      outerIpv4(17, udp(3544, 50000, bytes('0000 fd99 3fffffff', INNER_V6))),
      101,
    );
    expect([batch.ipVersion[row], batch.dstPort[row]]).toEqual([6, 80]);
    expect(srcAddr).toEqual([0x20010db8, 0, 0, 1]);
  });
});
