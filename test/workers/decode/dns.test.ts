/** DNS (RFC 1035) metadata: first question, type, flags, rcode, answers; compression pointers and loops. */
import { describe, expect, it } from 'vitest';
import { AppSignature } from '../../../src/shared/packet-batch';
import { ascii, bytes, decodeBytes, tcpPacket, udpPacket } from './packet-bytes';

const RAW = 101;
/** www.example.com: 3 www 7 example 3 com 0 (17 bytes). */
const WWW_EXAMPLE_COM = '03 777777 07 6578616d706c65 03 636f6d 00';

describe('DNS over UDP', () => {
  it('query: name, type, transaction id', () => {
    const query = bytes('beef 0100 0001 0000 0000 0000', WWW_EXAMPLE_COM, '0001 0001');
    const { batch, row, meta } = decodeBytes(udpPacket(50000, 53, query), RAW);
    expect(batch.appSignature[row]).toBe(AppSignature.dns);
    expect(meta).toEqual({
      dnsTransactionId: 0xbeef,
      dnsIsResponse: false,
      dnsQuery: 'www.example.com',
      dnsQtype: 'A',
    });
  });

  it('response with compression pointers: CNAME, A and AAAA answers', () => {
    // Question name at offset 12; answer 1 starts at 12 + 17 + 4 = 33, its rdata at 45.
    const response = bytes(
      'beef 8180 0001 0003 0000 0000',
      WWW_EXAMPLE_COM,
      '0001 0001',
      'c00c 0005 0001 0000003c 0006 03 63646e c010', // CNAME cdn + pointer to "example.com" (offset 16)
      'c02d 0001 0001 0000003c 0004 5db8d822', // cdn.example.com A 93.184.216.34
      'c02d 001c 0001 0000003c 0010 20010db8000000000000000000000001', // AAAA 2001:db8::1
    );
    const { meta } = decodeBytes(udpPacket(53, 50000, response), RAW);
    expect(meta).toEqual({
      dnsTransactionId: 0xbeef,
      dnsIsResponse: true,
      dnsRcode: 'NOERROR',
      dnsQuery: 'www.example.com',
      dnsQtype: 'A',
      dnsAnswers: 'cdn.example.com,93.184.216.34,2001:db8::1',
    });
  });

  it('NXDOMAIN and other rcodes by name; unknown types as TYPE<n>', () => {
    const nx = decodeBytes(
      udpPacket(53, 50000, bytes('0001 8183 0001 0000 0000 0000', WWW_EXAMPLE_COM, 'ff00 0001')),
      RAW,
    );
    expect([nx.meta?.dnsRcode, nx.meta?.dnsQtype]).toEqual(['NXDOMAIN', 'TYPE65280']);
    const refused = decodeBytes(
      udpPacket(53, 50000, bytes('0001 8185 0001 0000 0000 0000', WWW_EXAMPLE_COM, '0041 0001')),
      RAW,
    );
    expect([refused.meta?.dnsRcode, refused.meta?.dnsQtype]).toEqual(['REFUSED', 'HTTPS']);
  });

  it('a pointer loop terminates with no name', () => {
    // Question name at 12 is a pointer to itself; a second message loops 12 -> 14 -> 12.
    for (const name of ['c00c', 'c00e c00c']) {
      const { meta } = decodeBytes(
        udpPacket(50000, 53, bytes('0007 0100 0001 0000 0000 0000', name, '0001 0001')),
        RAW,
      );
      expect(meta?.dnsTransactionId).toBe(7);
      expect(meta?.dnsQuery).toBeUndefined();
    }
  });

  it('a pointer loop inside an answer stops the answers, not the packet', () => {
    const response = bytes(
      '0008 8180 0001 0001 0000 0000',
      WWW_EXAMPLE_COM,
      '0001 0001',
      'c021 0005 0001 0000003c 0002 c02d',
    );
    const { meta } = decodeBytes(udpPacket(53, 50000, response), RAW);
    expect([meta?.dnsQuery, meta?.dnsAnswers]).toEqual(['www.example.com', undefined]);
  });

  it('names longer than 255 bytes are cut at 255; the root is <Root>', () => {
    const label = '3f' + '61'.repeat(63);
    const long = decodeBytes(
      udpPacket(50000, 53, bytes('0009 0100 0001 0000 0000 0000', label.repeat(5), '00 0001 0001')),
      RAW,
    );
    expect(long.meta?.dnsQuery).toBe(('a'.repeat(63) + '.').repeat(4).slice(0, 255));
    const root = decodeBytes(udpPacket(50000, 53, bytes('000a 0100 0001 0000 0000 0000 00 0002 0001')), RAW);
    expect([root.meta?.dnsQuery, root.meta?.dnsQtype]).toEqual(['<Root>', 'NS']);
  });

  it('label bytes are shown as Wireshark does: C escapes for controls, U+FFFD for broken UTF-8', () => {
    // Labels "a\x01b" and "\xc3\xa9\xff" (é then an invalid byte); expectation checked with tshark 4.0.
    const { meta } = decodeBytes(
      udpPacket(50000, 53, bytes('000b 0100 0001 0000 0000 0000 03 610162 03 c3a9ff 00 0001 0001')),
      RAW,
    );
    expect(meta?.dnsQuery).toBe('a\\001b.\u00e9\ufffd');
  });

  it('a message cut inside the question keeps the header fields', () => {
    const { meta } = decodeBytes(udpPacket(50000, 53, bytes('000c 0100 0001 0000 0000 0000 03 7777')), RAW);
    expect(meta).toEqual({ dnsTransactionId: 12, dnsIsResponse: false });
  });

  it('mDNS (5353) and LLMNR (5355) get their own signature', () => {
    // mDNS PTR question with the unicast-response bit in the class.
    const mdns = decodeBytes(
      udpPacket(
        5353,
        5353,
        bytes('0000 0000 0001 0000 0000 0000 05 5f68747470 04 5f746370 05 6c6f63616c 00 000c 8001'),
      ),
      RAW,
    );
    expect([mdns.batch.appSignature[mdns.row], mdns.meta?.dnsQuery, mdns.meta?.dnsQtype]).toEqual([
      AppSignature.mdns,
      '_http._tcp.local',
      'PTR',
    ]);
    const llmnr = decodeBytes(
      udpPacket(50000, 5355, bytes('0001 0000 0001 0000 0000 0000 04 686f7374 00 001c 0001')),
      RAW,
    );
    expect([llmnr.batch.appSignature[llmnr.row], llmnr.meta?.dnsQuery, llmnr.meta?.dnsQtype]).toEqual([
      AppSignature.llmnr,
      'host',
      'AAAA',
    ]);
  });
});

describe('DNS over TCP (RFC 1035 4.2.2)', () => {
  it('parses a segment that starts a message (2-byte length prefix)', () => {
    const message = bytes('1234 0100 0001 0000 0000 0000', WWW_EXAMPLE_COM, '0010 0001');
    const { batch, row, meta } = decodeBytes(tcpPacket(50000, 53, bytes('0021', message)), RAW);
    expect(batch.appSignature[row]).toBe(AppSignature.dns);
    expect([meta?.dnsTransactionId, meta?.dnsQuery, meta?.dnsQtype]).toEqual([
      0x1234,
      'www.example.com',
      'TXT',
    ]);
  });

  it('a segment from the middle of a message gets the signature but no metadata', () => {
    const { batch, row, meta } = decodeBytes(
      tcpPacket(53, 50000, ascii('x'.repeat(20) + '\u0003www\u0007example')),
      RAW,
    );
    expect(batch.appSignature[row]).toBe(AppSignature.dns);
    expect(meta).toBeUndefined();
  });
});
