/** QUIC client Initial decryption (RFC 9001 5, Appendix A) and gQUIC CHLO SNI. */
import { describe, expect, it } from 'vitest';
import { AppSignature } from '../../../src/shared/packet-batch';
import { clientInitialKeys, quicInitialSalt } from '../../../src/workers/decode/quic-initial';
import { ascii, bytes, decodeBytes, hex, udpPacket } from './packet-bytes';
import { RFC9001_CLIENT_INITIAL } from './rfc9001-client-initial';

const RAW = 101;
const toHex = (value: Uint8Array): string => Buffer.from(value).toString('hex');

describe('QUIC Initial (RFC 9001)', () => {
  it('A.1: client Initial keys derived from DCID 8394c8f03e515708', () => {
    const keys = clientInitialKeys(1, quicInitialSalt(1)!, hex('8394c8f03e515708'));
    expect([toHex(keys.key), toHex(keys.iv), toHex(keys.hp)]).toEqual([
      '1f369613dd76d5467730efcbe3b1a22d',
      'fa044b2f42a3fd3b46fb255c',
      '9f50449e04a0e810283a1e9933adedd2',
    ]);
  });

  it('A.2: the protected client Initial decrypts to a ClientHello for example.com', () => {
    const { batch, row, meta } = decodeBytes(udpPacket(50000, 443, hex(RFC9001_CLIENT_INITIAL)), RAW);
    expect(batch.appSignature[row]).toBe(AppSignature.quic);
    expect(meta).toEqual({ tlsSni: 'example.com', tlsVersion: 'TLS 1.3' });
  });

  it('a QUIC long header is recognised on any UDP port', () => {
    const { batch, row, meta } = decodeBytes(udpPacket(50000, 4433, hex(RFC9001_CLIENT_INITIAL)), RAW);
    expect([batch.appSignature[row], meta?.tlsSni]).toEqual([AppSignature.quic, 'example.com']);
  });

  it('a flipped ciphertext byte fails authentication: signature only, no metadata', () => {
    const tampered = hex(RFC9001_CLIENT_INITIAL);
    tampered[100] = tampered[100]! ^ 0xff;
    const { batch, row, meta } = decodeBytes(udpPacket(50000, 443, tampered), RAW);
    expect([batch.appSignature[row], meta]).toEqual([AppSignature.quic, undefined]);
  });

  it('a truncated Initial gives no metadata', () => {
    const { meta } = decodeBytes(udpPacket(50000, 443, hex(RFC9001_CLIENT_INITIAL).subarray(0, 600)), RAW);
    expect(meta).toBeUndefined();
  });

  it('an unknown version is not QUIC', () => {
    const unknown = hex(RFC9001_CLIENT_INITIAL);
    unknown.set([0x12, 0x34, 0x56, 0x78], 1);
    const { batch, row } = decodeBytes(udpPacket(50000, 4433, unknown), RAW);
    expect(batch.appSignature[row]).toBe(AppSignature.none);
  });
});

describe('gQUIC CHLO', () => {
  it('SNI tag of a Q043 client hello', () => {
    // Public flags 0x09 (version + 8-byte CID), CID, "Q043", packet number, 12-byte hash, stream frame header,
    // then CHLO with 2 entries: SNI ends at 11, VER at 15 (little-endian offsets).
    const packet = bytes(
      '09 0102030405060708',
      ascii('Q043'),
      '01',
      '00'.repeat(12),
      'a0 01 0400',
      ascii('CHLO'),
      '0200 0000',
      ascii('SNI\0'),
      '0b000000',
      ascii('VER\0'),
      '0f000000',
      ascii('example.comQ043'),
    );
    const { batch, row, meta } = decodeBytes(udpPacket(50000, 443, packet), RAW);
    expect([batch.appSignature[row], meta]).toEqual([AppSignature.quic, { tlsSni: 'example.com' }]);
  });

  it('after version negotiation (flags 0x0c: CID, no version) the CHLO is still found on port 443', () => {
    const packet = bytes(
      '0c 0102030405060708 01',
      '00'.repeat(12),
      'a0 01 0400',
      ascii('CHLO'),
      '0100 0000',
      ascii('SNI\0'),
      '05000000',
      ascii('a.com'),
    );
    const { batch, row, meta } = decodeBytes(udpPacket(50000, 443, packet), RAW);
    expect([batch.appSignature[row], meta]).toEqual([AppSignature.quic, { tlsSni: 'a.com' }]);
  });
});
