/** AppSignature guesses from payload signatures and well-known ports. */
import { describe, expect, it } from 'vitest';
import { AppSignature } from '../../../src/shared/packet-batch';
import { ascii, bytes, decodeBytes, tcpPacket, udpPacket } from './packet-bytes';

const RAW = 101;
const tcp = (src: number, dst: number, payload: Uint8Array | string): number => {
  const { batch, row } = decodeBytes(
    tcpPacket(src, dst, typeof payload === 'string' ? ascii(payload) : payload),
    RAW,
  );
  return batch.appSignature[row]!;
};
const udp = (src: number, dst: number, payload: Uint8Array | string): number => {
  const { batch, row } = decodeBytes(
    udpPacket(src, dst, typeof payload === 'string' ? ascii(payload) : payload),
    RAW,
  );
  return batch.appSignature[row]!;
};

describe('TCP payload signatures (any port)', () => {
  it.each([
    ['SSH banner', 'SSH-2.0-OpenSSH_9.6\r\n', AppSignature.ssh],
    ['SMB2 after a NetBIOS session header', bytes('00 000040 fe534d42 40000000'), AppSignature.smb],
    ['SMB1', bytes('00 000040 ff534d42 72000000'), AppSignature.smb],
    ['BitTorrent handshake', '\u0013BitTorrent protocol', AppSignature.bittorrent],
    ['POP3 greeting', '+OK POP3 ready\r\n', AppSignature.pop3],
    ['IMAP greeting', '* OK IMAP4rev1 ready\r\n', AppSignature.imap],
    ['stratum JSON-RPC', '{"id":1,"method":"mining.subscribe","params":[]}\n', AppSignature.stratum],
    ['Telnet negotiation', bytes('fffd18 fffb1f'), AppSignature.telnet],
    ['TLS change cipher spec', bytes('14 0303 0001 01'), AppSignature.tls],
  ])('%s', (_name, payload, signature) => {
    expect(tcp(40000, 40001, payload)).toBe(signature);
  });
});

describe('TCP port signatures', () => {
  it.each([
    ['FTP banner on 21', 21, '220 ProFTPD Server\r\n', AppSignature.ftp],
    ['SMTP banner on 25', 25, '220 mail.example ESMTP\r\n', AppSignature.smtp],
    ['SMTP command on 587', 587, 'EHLO client\r\n', AppSignature.smtp],
    ['Telnet keystrokes on 23', 23, 'ls\r\n', AppSignature.telnet],
    ['Modbus/TCP on 502 (protocol id 0)', 502, bytes('0001 0000 0006 01 03 0000 000a'), AppSignature.modbus],
    ['not Modbus on 502 (protocol id 1)', 502, bytes('0001 0001 0006 01 03 0000 000a'), AppSignature.none],
    ['Kerberos on 88', 88, bytes('0000005a 6a58'), AppSignature.kerberos],
    ['RDP on 3389', 3389, bytes('0300 0013 0e e0 0000 0000 00 01 0008 00030000'), AppSignature.rdp],
    ['unknown port', 40002, 'hello', AppSignature.none],
  ])('%s', (_name, port, payload, signature) => {
    expect(tcp(40000, port, payload)).toBe(signature);
    expect(tcp(port, 40000, payload)).toBe(signature);
  });
});

describe('UDP signatures', () => {
  const bootp = (cookie: string): Uint8Array =>
    bytes('01 01 06 00', new Uint8Array(232), cookie, '350101 ff');
  it.each([
    ['DNS on 53', 53, bytes('0001 0100 0000 0000 0000 0000'), AppSignature.dns],
    ['DHCP with the magic cookie', 67, bootp('63825363'), AppSignature.dhcp],
    ['not DHCP without it', 67, bootp('00000000'), AppSignature.none],
    ['DHCPv6 on 547', 547, bytes('01 123456 0001000a'), AppSignature.dhcp],
    ['NTP v4 client on 123', 123, bytes('23', new Uint8Array(47)), AppSignature.ntp],
    ['QUIC long header on 443', 443, bytes('c0 00000001 08 0102030405060708 00 0000'), AppSignature.quic],
    ['gQUIC Q043 on 443', 443, bytes('0d 0102030405060708 51303433 01'), AppSignature.quic],
    ['QUIC short header on 443 is not guessed', 443, bytes('40 0102030405060708'), AppSignature.none],
    ['SNMP on 161', 161, bytes('3026 020101'), AppSignature.snmp],
    ['NetBIOS name service on 137', 137, bytes('8001 0010 0001'), AppSignature.netbios],
  ])('%s', (_name, port, payload, signature) => {
    expect(udp(40000, port, payload)).toBe(signature);
  });

  it('STUN magic cookie on any port; SIP by method or status line', () => {
    expect(udp(40000, 40001, bytes('0001 0000 2112a442 0102030405060708090a0b0c'))).toBe(AppSignature.stun);
    expect(udp(40000, 40001, 'INVITE sip:bob@example.com SIP/2.0\r\n')).toBe(AppSignature.sip);
    expect(udp(5060, 40001, 'SIP/2.0 200 OK\r\n')).toBe(AppSignature.sip);
  });
});
