/** IPv4 (options, fragments, lengths) and IPv6 (extension headers, fragment header), decoded from raw IP (LINKTYPE_RAW 101). */
import { describe, expect, it } from 'vitest';
import { DecodeStatus, FragmentFlag } from '../../../src/shared/packet-batch';
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

const RAW = 101;
/** UDP 1234 -> 9999, length 16, checksum 0, then 8 payload bytes. */
const UDP_16 = '04d2 270f 0010 0000 deadbeef cafebabe';
const V6_SRC = '20010db8 00000000 00000000 00000001';
const V6_DST = '20010db8 00000000 00000000 00000002';

describe('IPv4 (RFC 791)', () => {
  it('header with options: IHL 6, router alert option', () => {
    // IHL 6 (24 bytes), total 40 = 24 + 16, id 0x1234, no flags, TTL 64, UDP; option 94 04 0000.
    const { batch, row, srcAddr, dstAddr } = decodeBytes(
      bytes('46 00 0028 1234 0000 40 11 0000 0a000001 0a000002 94040000', UDP_16),
      RAW,
    );
    expect(batch.decodeStatus[row]).toBe(DecodeStatus.ip);
    expect([batch.ipVersion[row], batch.protocol[row], batch.ttl[row], batch.ipId[row]]).toEqual([
      4, 17, 64, 0x1234,
    ]);
    expect([srcAddr, dstAddr]).toEqual([ADDRESS_1, ADDRESS_2]);
    expect([batch.ipHeaderLength[row], batch.ipLength[row], batch.ipFlags[row], batch.fragment[row]]).toEqual(
      [24, 40, 0, 0],
    );
    expect([
      batch.srcPort[row],
      batch.dstPort[row],
      batch.l4HeaderLength[row],
      batch.payloadLength[row],
    ]).toEqual([1234, 9999, 8, 8]);
  });

  it('DF is bit 1 of ipFlags and not a fragment', () => {
    const { batch, row } = decodeBytes(bytes(IPV4_TCP, TCP_SYN), RAW);
    expect([batch.ipFlags[row], batch.fragment[row], batch.fragmentOffset[row]]).toEqual([2, 0, 0]);
  });

  it('first fragment (MF, offset 0): ports valid, payload of the fragment itself', () => {
    // total 44 = 20 + 8 (UDP header claiming 48) + 16; flags/offset 0x2000 = MF.
    const first = bytes(
      '45 00 002c abcd 2000 40 11 0000 0a000001 0a000002',
      '04d2 270f 0030 0000',
      new Uint8Array(16),
    );
    const { batch, row } = decodeBytes(first, RAW);
    expect(batch.fragment[row]).toBe(FragmentFlag.isFragment | FragmentFlag.first);
    expect([batch.ipId[row], batch.ipFlags[row], batch.fragmentOffset[row]]).toEqual([0xabcd, 1, 0]);
    expect([batch.srcPort[row], batch.dstPort[row], batch.payloadLength[row]]).toEqual([1234, 9999, 16]);
  });

  it('middle and last fragments: no transport header, offset in bytes', () => {
    // 0x2003: MF, offset 3 * 8 = 24; total 36 = 20 + 16.
    const middle = decodeBytes(
      bytes('45 00 0024 abcd 2003 40 11 0000 0a000001 0a000002', new Uint8Array(16).fill(0x41)),
      RAW,
    );
    expect(middle.batch.fragment[middle.row]).toBe(FragmentFlag.isFragment);
    expect([middle.batch.fragmentOffset[middle.row], middle.batch.ipFlags[middle.row]]).toEqual([24, 1]);
    expect([
      middle.batch.srcPort[middle.row],
      middle.batch.dstPort[middle.row],
      middle.batch.l4HeaderLength[middle.row],
    ]).toEqual([0, 0, 0]);
    expect([middle.batch.payloadLength[middle.row], middle.batch.protocol[middle.row]]).toEqual([16, 17]);
    // 0x0005: last fragment at offset 40.
    const last = decodeBytes(
      bytes('45 00 0024 abcd 0005 40 11 0000 0a000001 0a000002', new Uint8Array(16)),
      RAW,
    );
    expect([
      last.batch.fragment[last.row],
      last.batch.fragmentOffset[last.row],
      last.batch.ipFlags[last.row],
    ]).toEqual([1, 40, 0]);
  });

  it('payloadLength comes from the headers when the snap length cut the payload', () => {
    // total 1500 = 20 + 20 + 1460; only the headers captured, 1514 bytes on the wire.
    const packet = bytes(
      MAC_DST,
      MAC_SRC,
      '0800',
      '45 00 05dc 1234 4000 40 06 0000 0a000001 0a000002',
      '3039 0050 00000001 00000000 50 18 7210 0000 0000',
    );
    const { batch, row } = decodeBytes(packet, 1, 1514);
    expect([batch.decodeStatus[row], batch.ipLength[row], batch.payloadLength[row]]).toEqual([
      DecodeStatus.ip,
      1500,
      1460,
    ]);
  });

  it('TSO total length 0: the rest of the frame on the wire; a total length beyond the frame is bounded by it', () => {
    const tso = bytes(
      MAC_DST,
      MAC_SRC,
      '0800',
      '45 00 0000 1234 4000 40 06 0000 0a000001 0a000002',
      '3039 0050 00000001 00000000 50 18 7210 0000 0000',
    );
    const zero = decodeBytes(tso, 1, 14 + 40 + 100);
    expect([zero.batch.ipLength[zero.row], zero.batch.payloadLength[zero.row]]).toEqual([0, 100]);
    // Header says 137 bytes but the frame on the wire is 14 + 40 + 6.
    const bogus = bytes(
      MAC_DST,
      MAC_SRC,
      '0800',
      '45 00 0089 1234 4000 40 06 0000 0a000001 0a000002',
      '3039 0050 00000001 00000000 50 18 7210 0000 0000',
      '010203040506',
    );
    const clamped = decodeBytes(bogus, 1);
    expect([
      clamped.batch.decodeStatus[clamped.row],
      clamped.batch.ipLength[clamped.row],
      clamped.batch.payloadLength[clamped.row],
    ]).toEqual([DecodeStatus.ip, 137, 6]);
  });

  it('Ethernet padding after the datagram is not payload', () => {
    const padded = bytes(MAC_DST, MAC_SRC, '0800', IPV4_TCP, TCP_SYN, '000000000000');
    const { batch, row } = decodeBytes(padded, 1);
    expect(batch.payloadLength[row]).toBe(0);
    expect(batch.appSignature[row]).toBe(0);
  });

  it('truncation keeps what was read', () => {
    // TCP header cut after 10 bytes: addresses and ports kept.
    const tcpCut = decodeBytes(bytes(IPV4_TCP, TCP_SYN).subarray(0, 30), RAW);
    expect(tcpCut.batch.decodeStatus[tcpCut.row]).toBe(DecodeStatus.truncated);
    expect([tcpCut.srcAddr, tcpCut.dstAddr]).toEqual([ADDRESS_1, ADDRESS_2]);
    expect([
      tcpCut.batch.srcPort[tcpCut.row],
      tcpCut.batch.dstPort[tcpCut.row],
      tcpCut.batch.protocol[tcpCut.row],
    ]).toEqual([12345, 80, 6]);
    // Options cut: IHL 15 (60 bytes) but 30 captured.
    const optionsCut = decodeBytes(
      bytes('4f 00 0050 1234 0000 40 06 0000 0a000001 0a000002 0101010101010101 0101'),
      RAW,
    );
    expect(optionsCut.batch.decodeStatus[optionsCut.row]).toBe(DecodeStatus.truncated);
    expect(optionsCut.srcAddr).toEqual(ADDRESS_1);
    // Fixed header cut.
    const headerCut = decodeBytes(bytes(IPV4_TCP).subarray(0, 15), RAW);
    expect(headerCut.batch.decodeStatus[headerCut.row]).toBe(DecodeStatus.truncated);
    // IHL 4 is bogus.
    const bogus = decodeBytes(bytes('44 00 0028 1234 4000 40 06 0000 0a000001 0a000002', TCP_SYN), RAW);
    expect(bogus.batch.decodeStatus[bogus.row]).toBe(DecodeStatus.truncated);
  });
});

describe('IPv6 (RFC 8200)', () => {
  it('hop-by-hop, destination options and routing headers count in ipHeaderLength', () => {
    // Payload length 56 = 8 (HBH) + 8 (DST) + 24 (routing) + 16 (UDP).
    const hopByHop = '3c 00 05020000 0100'; // next 60, router alert, PadN
    const destination = '2b 00 0104 00000000'; // next 43, PadN(4)
    const routing = '11 02 04 00 00000000 20010db8000000000000000000000003'; // next UDP, 3 * 8 bytes
    const { batch, row, srcAddr, dstAddr } = decodeBytes(
      bytes('6000 0000 0038 00 40', V6_SRC, V6_DST, hopByHop, destination, routing, UDP_16),
      RAW,
    );
    expect(batch.decodeStatus[row]).toBe(DecodeStatus.ip);
    expect([batch.ipVersion[row], batch.protocol[row], batch.ttl[row]]).toEqual([6, 17, 64]);
    expect(srcAddr).toEqual([0x20010db8, 0, 0, 1]);
    expect(dstAddr).toEqual([0x20010db8, 0, 0, 2]);
    expect([batch.ipHeaderLength[row], batch.ipLength[row]]).toEqual([80, 96]);
    expect([batch.srcPort[row], batch.dstPort[row], batch.payloadLength[row], batch.fragment[row]]).toEqual([
      1234, 9999, 8, 0,
    ]);
  });

  it('fragment header: identification, M flag, byte offset; first fragment keeps ports', () => {
    // next UDP, offset 0, M = 1, identification 0x12345678; payload length 8 + 16.
    const first = decodeBytes(
      bytes('6000 0000 0018 2c 40', V6_SRC, V6_DST, '11 00 0001 12345678', UDP_16),
      RAW,
    );
    const { batch, row } = first;
    expect([batch.protocol[row], batch.ipId[row], batch.ipFlags[row], batch.fragmentOffset[row]]).toEqual([
      17, 0x12345678, 1, 0,
    ]);
    expect(batch.fragment[row]).toBe(FragmentFlag.isFragment | FragmentFlag.first);
    expect([batch.ipHeaderLength[row], batch.srcPort[row], batch.dstPort[row]]).toEqual([48, 1234, 9999]);
    // 0x0019: offset 0x18 = 24 bytes, M = 1: no transport header.
    const later = decodeBytes(
      bytes('6000 0000 0018 2c 40', V6_SRC, V6_DST, '11 00 0019 12345678', new Uint8Array(16)),
      RAW,
    );
    expect([
      later.batch.fragment[later.row],
      later.batch.fragmentOffset[later.row],
      later.batch.ipFlags[later.row],
    ]).toEqual([1, 24, 1]);
    expect([
      later.batch.srcPort[later.row],
      later.batch.payloadLength[later.row],
      later.batch.protocol[later.row],
    ]).toEqual([0, 16, 17]);
  });

  it('AH is skipped to the transport; ESP stops the chain with protocol 50', () => {
    // AH: next TCP, payload length 4 -> (4 + 2) * 4 = 24 bytes.
    const ah = '06 04 0000 00000100 00000001 000000000000000000000000';
    const withAh = decodeBytes(bytes('6000 0000 002c 33 40', V6_SRC, V6_DST, ah, TCP_SYN), RAW);
    expect([
      withAh.batch.protocol[withAh.row],
      withAh.batch.ipHeaderLength[withAh.row],
      withAh.batch.dstPort[withAh.row],
    ]).toEqual([6, 64, 80]);
    const esp = decodeBytes(
      bytes('6000 0000 0010 32 40', V6_SRC, V6_DST, '00000100 00000001 0102030405060708'),
      RAW,
    );
    expect([
      esp.batch.protocol[esp.row],
      esp.batch.ipHeaderLength[esp.row],
      esp.batch.payloadLength[esp.row],
    ]).toEqual([50, 40, 16]);
  });

  it('an extension header cut by the capture is truncated, addresses kept', () => {
    const cut = decodeBytes(bytes('6000 0000 0038 00 40', V6_SRC, V6_DST, '3c 00 0502'), RAW);
    expect(cut.batch.decodeStatus[cut.row]).toBe(DecodeStatus.truncated);
    expect(cut.srcAddr).toEqual([0x20010db8, 0, 0, 1]);
  });
});
