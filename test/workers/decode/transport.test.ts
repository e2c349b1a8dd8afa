/** TCP (RFC 9293), UDP (RFC 768), ICMP (RFC 792) and ICMPv6 (RFC 4443) columns. */
import { describe, expect, it } from 'vitest';
import { DecodeStatus, TcpFlag } from '../../../src/shared/packet-batch';
import { bytes, decodeBytes } from './packet-bytes';

const RAW = 101;
const V6_ADDRESSES = '20010db8 00000000 00000000 00000001 20010db8 00000000 00000000 00000002';

/** IPv4 10.0.0.1 -> 10.0.0.2 with the given protocol around `payload` (total length computed). */
function ipv4(protocol: number, payload: Uint8Array): Uint8Array {
  const total = (20 + payload.length).toString(16).padStart(4, '0');
  return bytes(
    `45 00 ${total} 0001 4000 40 ${protocol.toString(16).padStart(2, '0')} 0000 0a000001 0a000002`,
    payload,
  );
}

describe('TCP', () => {
  it('SYN with options: data offset 10, MSS 1460 after other options', () => {
    // MSS 1460, SACK permitted, timestamps, NOP, window scale 7.
    const options = '020405b4 0402 080a 00000001 00000000 01 030307';
    const { batch, row } = decodeBytes(
      ipv4(6, bytes('c350 01bb 0a0b0c0d 00000000 a0 02 faf0 0000 0000', options)),
      RAW,
    );
    expect([batch.srcPort[row], batch.dstPort[row], batch.tcpSeq[row], batch.tcpAck[row]]).toEqual([
      50000, 443, 0x0a0b0c0d, 0,
    ]);
    expect([batch.tcpFlags[row], batch.tcpWindow[row], batch.l4HeaderLength[row], batch.tcpMss[row]]).toEqual(
      [TcpFlag.syn, 64240, 40, 1460],
    );
    expect(batch.payloadLength[row]).toBe(0);
  });

  it('MSS behind NOPs; a zero option length stops option parsing', () => {
    const nops = decodeBytes(
      ipv4(6, bytes('c350 01bb 00000001 00000000 70 12 ffff 0000 0000', '0101 020405dc 00000000')),
      RAW,
    );
    expect([nops.batch.tcpMss[nops.row], nops.batch.tcpFlags[nops.row]]).toEqual([
      1500,
      TcpFlag.syn | TcpFlag.ack,
    ]);
    const broken = decodeBytes(
      ipv4(6, bytes('c350 01bb 00000001 00000000 70 02 ffff 0000 0000', '0800 020405dc 00000000')),
      RAW,
    );
    expect([broken.batch.tcpMss[broken.row], broken.batch.decodeStatus[broken.row]]).toEqual([
      0,
      DecodeStatus.ip,
    ]);
  });

  it('segment with payload: all flag bits, sequence and acknowledgment numbers, payload length', () => {
    const { batch, row } = decodeBytes(
      ipv4(6, bytes('0050 d431 01020304 a0b0c0d0 50 ff 0100 0000 0000', '68656c6c6f')),
      RAW,
    );
    expect([batch.tcpFlags[row], batch.tcpSeq[row], batch.tcpAck[row], batch.tcpWindow[row]]).toEqual([
      0xff, 0x01020304, 0xa0b0c0d0, 256,
    ]);
    expect([batch.l4HeaderLength[row], batch.payloadLength[row]]).toEqual([20, 5]);
  });

  it('data offset below 5 is bogus: truncated, ports kept', () => {
    const { batch, row } = decodeBytes(
      ipv4(6, bytes('0050 d431 01020304 a0b0c0d0 40 10 0100 0000 0000')),
      RAW,
    );
    expect([batch.decodeStatus[row], batch.srcPort[row], batch.l4HeaderLength[row]]).toEqual([
      DecodeStatus.truncated,
      80,
      0,
    ]);
  });

  it('options cut by the capture: truncated, fixed header kept', () => {
    const { batch, row } = decodeBytes(
      ipv4(6, bytes('c350 01bb 00000001 00000000 a0 02 faf0 0000 0000 020405b4')),
      RAW,
    );
    expect([batch.decodeStatus[row], batch.tcpMss[row], batch.tcpWindow[row]]).toEqual([
      DecodeStatus.truncated,
      1460,
      64240,
    ]);
  });
});

describe('UDP', () => {
  it('ports, 8-byte header, payload length from the IP header', () => {
    const { batch, row } = decodeBytes(ipv4(17, bytes('d431 3039 000d 0000 0102030405')), RAW);
    expect([
      batch.protocol[row],
      batch.srcPort[row],
      batch.dstPort[row],
      batch.l4HeaderLength[row],
      batch.payloadLength[row],
    ]).toEqual([17, 54321, 12345, 8, 5]);
  });

  it('header cut: truncated, ports kept', () => {
    const { batch, row } = decodeBytes(
      ipv4(17, bytes('d431 3039 000d 0000 0102030405')).subarray(0, 25),
      RAW,
    );
    expect([batch.decodeStatus[row], batch.srcPort[row], batch.dstPort[row]]).toEqual([
      DecodeStatus.truncated,
      54321,
      12345,
    ]);
  });
});

describe('ICMP and ICMPv6', () => {
  it('echo request: identifier in both ports', () => {
    // type 8 code 0, checksum, identifier 0x1f2e = 7982, sequence 1, 3 data bytes.
    const { batch, row } = decodeBytes(ipv4(1, bytes('08 00 0000 1f2e 0001 abcdef')), RAW);
    expect([batch.icmpType[row], batch.icmpCode[row], batch.srcPort[row], batch.dstPort[row]]).toEqual([
      8, 0, 7982, 7982,
    ]);
    expect([batch.l4HeaderLength[row], batch.payloadLength[row]]).toEqual([8, 3]);
  });

  it('timestamp, information and address-mask requests carry the identifier too', () => {
    for (const type of ['0d', '0f', '11']) {
      const { batch, row } = decodeBytes(
        ipv4(1, bytes(`${type} 00 0000 0102 0001 00000000 00000000 00000000`)),
        RAW,
      );
      expect([batch.srcPort[row], batch.dstPort[row]], type).toEqual([258, 258]);
    }
  });

  it('destination unreachable quoting IP/UDP: no ports, outer addresses', () => {
    const quoted = ipv4(17, bytes('d431 0035 0008 0000'));
    const { batch, row, srcAddr } = decodeBytes(ipv4(1, bytes('03 03 0000 00000000', quoted)), RAW);
    expect([
      batch.icmpType[row],
      batch.icmpCode[row],
      batch.srcPort[row],
      batch.dstPort[row],
      batch.protocol[row],
    ]).toEqual([3, 3, 0, 0, 1]);
    expect(srcAddr).toEqual([0x0a000001, 0, 0, 0]);
  });

  it('ICMPv6 echo reply carries the identifier; neighbor solicitation does not', () => {
    const reply = decodeBytes(bytes('6000 0000 000a 3a 40', V6_ADDRESSES, '81 00 0000 0102 0003 abcd'), RAW);
    expect([
      reply.batch.protocol[reply.row],
      reply.batch.icmpType[reply.row],
      reply.batch.srcPort[reply.row],
      reply.batch.dstPort[reply.row],
    ]).toEqual([58, 129, 258, 258]);
    const solicitation = decodeBytes(
      bytes('6000 0000 0018 3a ff', V6_ADDRESSES, '87 00 0000 00000000 20010db8000000000000000000000002'),
      RAW,
    );
    expect([
      solicitation.batch.icmpType[solicitation.row],
      solicitation.batch.srcPort[solicitation.row],
    ]).toEqual([135, 0]);
  });

  it('ICMP header cut before 8 bytes: truncated, type and code kept', () => {
    const { batch, row } = decodeBytes(ipv4(1, bytes('08 00 0000 1f2e')), RAW);
    expect([batch.decodeStatus[row], batch.icmpType[row], batch.srcPort[row]]).toEqual([
      DecodeStatus.truncated,
      8,
      0,
    ]);
  });
});
