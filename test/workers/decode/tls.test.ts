/** TLS/DTLS hellos (RFC 8446 4.1.2-4.1.3, RFC 6066 3 server_name, RFC 8446 4.2.1 supported_versions). */
import { describe, expect, it } from 'vitest';
import { AppSignature } from '../../../src/shared/packet-batch';
import { ascii, bytes, decodeBytes, tcpPacket, udpPacket } from './packet-bytes';

const RAW = 101;
const hex = (value: number, width: number): string => value.toString(16).padStart(width * 2, '0');

/** Handshake record `type` (1 ClientHello, 2 ServerHello) with `body`; TLS record version 0x0301. */
function handshakeRecord(type: number, body: Uint8Array): Uint8Array {
  const handshake = bytes(hex(type, 1), hex(body.length, 3), body);
  return bytes('16 0301', hex(handshake.length, 2), handshake);
}

/** Extension `type` with `data`. */
function extension(type: number, data: Uint8Array): Uint8Array {
  return bytes(hex(type, 2), hex(data.length, 2), data);
}

/** server_name with one host_name entry (RFC 6066 3). */
function serverName(name: string): Uint8Array {
  return extension(0, bytes(hex(name.length + 3, 2), '00', hex(name.length, 2), ascii(name)));
}

function clientHello(version: string, ...extensions: Uint8Array[]): Uint8Array {
  const list = bytes(...extensions);
  // legacy_version, random, session id (32 bytes), 2 cipher suites, 1 compression method, extensions.
  return bytes(
    version,
    '00'.repeat(32),
    '20',
    'ab'.repeat(32),
    '0004 1301 1302',
    '01 00',
    hex(list.length, 2),
    list,
  );
}

function serverHello(version: string, ...extensions: Uint8Array[]): Uint8Array {
  const list = bytes(...extensions);
  return bytes(version, '11'.repeat(32), '00', '1301', '00', hex(list.length, 2), list);
}

describe('TLS ClientHello', () => {
  it('SNI and the highest supported_versions entry (GREASE ignored)', () => {
    const hello = clientHello(
      '0303',
      extension(0x0a0a, new Uint8Array(0)),
      serverName('example.com'),
      extension(43, bytes('06 3a3a 0304 0303')),
    );
    const { batch, row, meta } = decodeBytes(tcpPacket(50000, 8443, handshakeRecord(1, hello)), RAW);
    expect(batch.appSignature[row]).toBe(AppSignature.tlsClientHello);
    expect(meta).toEqual({ tlsSni: 'example.com', tlsVersion: 'TLS 1.3' });
  });

  it('without supported_versions: the legacy client_version', () => {
    const { meta } = decodeBytes(
      tcpPacket(50000, 443, handshakeRecord(1, clientHello('0301', serverName('a.b')))),
      RAW,
    );
    expect(meta).toEqual({ tlsSni: 'a.b', tlsVersion: 'TLS 1.0' });
  });

  it('a hello spanning segments: the SNI in this packet is read; a cut name is not', () => {
    const record = handshakeRecord(
      1,
      clientHello('0303', serverName('example.com'), extension(21, new Uint8Array(400))),
    );
    const first = decodeBytes(tcpPacket(50000, 443, record.subarray(0, 200)), RAW);
    expect(first.meta).toEqual({ tlsSni: 'example.com', tlsVersion: 'TLS 1.2' });
    // Cut 3 bytes into the name (record header 5 + handshake header 4 + 2 + 32 + 33 + 6 + 2 + 2 + 9).
    const cut = decodeBytes(
      tcpPacket(50000, 443, record.subarray(0, 5 + 4 + 2 + 32 + 33 + 6 + 2 + 2 + 9 + 3)),
      RAW,
    );
    expect(cut.meta).toEqual({ tlsVersion: 'TLS 1.2' });
  });
});

describe('TLS ServerHello', () => {
  it('selected version from supported_versions, else server_version', () => {
    const tls13 = decodeBytes(
      tcpPacket(443, 50000, handshakeRecord(2, serverHello('0303', extension(43, bytes('0304'))))),
      RAW,
    );
    expect([tls13.batch.appSignature[tls13.row], tls13.meta]).toEqual([
      AppSignature.tlsServerHello,
      { tlsVersion: 'TLS 1.3' },
    ]);
    const tls12 = decodeBytes(tcpPacket(443, 50000, handshakeRecord(2, serverHello('0303'))), RAW);
    expect(tls12.meta).toEqual({ tlsVersion: 'TLS 1.2' });
  });

  it('found behind an alert record in the same segment', () => {
    const alert = bytes('15 0303 0002 0170');
    const { batch, row, meta } = decodeBytes(
      tcpPacket(443, 50000, bytes(alert, handshakeRecord(2, serverHello('0303')))),
      RAW,
    );
    expect([batch.appSignature[row], meta]).toEqual([AppSignature.tlsServerHello, { tlsVersion: 'TLS 1.2' }]);
  });
});

describe('encrypted handshake records are not hellos', () => {
  it('a Finished record after ChangeCipherSpec whose first byte is 1 is tls, not a ClientHello', () => {
    // ClientKeyExchange, ChangeCipherSpec, then an encrypted handshake record starting with 0x01.
    const payload = bytes(
      '16 0301 0006 10 000002 0000',
      '14 0301 0001 01',
      '16 0301 0010 01',
      'a5'.repeat(15),
    );
    const { batch, row, meta } = decodeBytes(tcpPacket(50000, 443, payload), RAW);
    expect([batch.appSignature[row], meta]).toEqual([AppSignature.tls, undefined]);
  });

  it('a hello type with an implausible legacy_version is not a hello', () => {
    const { batch, row, meta } = decodeBytes(
      tcpPacket(50000, 443, bytes('16 0303 0010 01 00000c 60a0', 'a5'.repeat(10))),
      RAW,
    );
    expect([batch.appSignature[row], meta]).toEqual([AppSignature.tls, undefined]);
  });
});

describe('other TLS records and DTLS', () => {
  it('application data is tls without metadata', () => {
    const { batch, row, meta } = decodeBytes(tcpPacket(443, 50000, bytes('17 0303 0005 0102030405')), RAW);
    expect([batch.appSignature[row], meta]).toEqual([AppSignature.tls, undefined]);
  });

  it('DTLS 1.2 ClientHello over UDP (13-byte record, 12-byte handshake header, cookie)', () => {
    const body = bytes(
      'fefd',
      '00'.repeat(32),
      '00',
      '00',
      '0002 c02b',
      '01 00',
      hex(serverName('dtls.example').length, 2),
      serverName('dtls.example'),
    );
    const handshake = bytes('01', hex(body.length, 3), '0000 000000', hex(body.length, 3), body);
    const record = bytes('16 feff 0000 000000000000', hex(handshake.length, 2), handshake);
    const { batch, row, meta } = decodeBytes(udpPacket(50000, 4433, record), RAW);
    expect([batch.appSignature[row], meta]).toEqual([
      AppSignature.tlsClientHello,
      { tlsSni: 'dtls.example', tlsVersion: 'DTLS 1.2' },
    ]);
  });
});
