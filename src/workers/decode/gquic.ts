/**
 * Google QUIC (versions Q0xx before Q050, unencrypted handshake): the SNI tag of the client's
 * CHLO message (QUIC Crypto, "Handshake message format": tag 'CHLO', entry count, padding, then
 * (tag, end offset) pairs in little-endian and the concatenated values).
 */
import type { PacketBatch } from '../../shared/packet-batch';
import { readUint16, readUint32, readUint32BE } from './byte-reader';
import { utf8Text } from './text';

const CHLO = 0x43484c4f; // 'CHLO'
const SNI = 0x534e4900; // 'SNI\0'
/** Bytes of the payload searched for the CHLO tag. */
const SEARCH_LIMIT = 256;
const MAX_ENTRIES = 128;

/**
 * True for a gQUIC public header (before Q046): the two high flag bits are unused (0), unlike
 * IETF QUIC's form and fixed bits; a version, when flagged (0x01), is 'Q0dd' below Q050. It
 * follows the 8-byte connection ID when that is flagged (0x08).
 */
export function isLegacyGquic(bytes: Uint8Array, offset: number, end: number): boolean {
  const flags = bytes[offset]!;
  if ((flags & 0xc0) !== 0 || end - offset < 14) return false;
  if ((flags & 0x01) === 0) return (flags & 0x08) !== 0; // no version after negotiation: CID only
  const version = offset + ((flags & 0x08) !== 0 ? 9 : 1);
  const tens = bytes[version + 2]! - 0x30;
  return bytes[version] === 0x51 && bytes[version + 1] === 0x30 && tens >= 0 && tens <= 4;
}

/** Parses the CHLO of a gQUIC client packet at `offset` into a meta entry with its SNI. */
export function parseGquicHello(
  bytes: Uint8Array,
  offset: number,
  end: number,
  batch: PacketBatch,
  row: number,
): void {
  const last = Math.min(end, offset + SEARCH_LIMIT) - 8;
  for (let position = offset + 1; position <= last; position++) {
    if (bytes[position] !== 0x43 || readUint32BE(bytes, position) !== CHLO) continue;
    const entries = readUint16(bytes, position + 4, true);
    const table = position + 8;
    const values = table + entries * 8;
    if (entries === 0 || entries > MAX_ENTRIES || values > end) return;
    let valueStart = 0;
    for (let entry = 0; entry < entries; entry++) {
      const tag = readUint32BE(bytes, table + entry * 8);
      const valueEnd = readUint32(bytes, table + entry * 8 + 4, true);
      if (valueEnd < valueStart || values + valueEnd > end) return;
      if (tag === SNI) {
        batch.metaIndex[row] = batch.meta.length;
        batch.meta.push({ tlsSni: utf8Text(bytes, values + valueStart, values + valueEnd) });
        return;
      }
      valueStart = valueEnd;
    }
    return;
  }
}
