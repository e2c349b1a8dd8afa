/**
 * TLS/DTLS ClientHello and ServerHello (RFC 8446 4.1.2/4.1.3, RFC 5246 7.4.1, RFC 9147 5.3):
 * server_name (RFC 6066 3) and the offered/selected version (supported_versions, RFC 8446 4.2.1).
 * Parses what this packet holds; a hello spanning segments yields what precedes the cut.
 */
import type { PacketBatch, PacketMeta } from '../../shared/packet-batch';
import { readUint16BE, readUint24BE } from './byte-reader';
import { utf8Text } from './text';

const CLIENT_HELLO = 1;
const SERVER_HELLO = 2;
const EXTENSION_SERVER_NAME = 0;
const EXTENSION_SUPPORTED_VERSIONS = 43;
/** RFC 6066 3: NameType host_name. */
const HOST_NAME = 0;

/** Display name of a protocol version number. */
export function tlsVersionName(version: number): string {
  switch (version) {
    case 0x0304:
      return 'TLS 1.3';
    case 0x0303:
      return 'TLS 1.2';
    case 0x0302:
      return 'TLS 1.1';
    case 0x0301:
      return 'TLS 1.0';
    case 0x0300:
      return 'SSL 3.0';
    case 0x0200:
      return 'SSL 2.0';
    case 0xfeff:
      return 'DTLS 1.0';
    case 0xfefd:
      return 'DTLS 1.2';
    case 0xfefc:
      return 'DTLS 1.3';
    default:
      // draft-ietf-tls-tls13 versions 0x7fNN; anything else shown raw.
      if (version >> 8 === 0x7f) return 'TLS 1.3';
      return `0x${version.toString(16).padStart(4, '0')}`;
  }
}

/** RFC 8701: GREASE values 0x?a?a are never real versions. */
function isGrease(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff);
}

/** Rank for "highest version": DTLS numbers count down (0xfeff 1.0 > 0xfefd 1.2 > 0xfefc 1.3). */
function versionRank(version: number): number {
  return version >= 0xfe00 ? 0x10000 - version : version >> 8 === 0x7f ? 0x0304 : version;
}

/** Records examined per packet when looking for a hello (an alert or CCS may come first). */
const MAX_RECORDS = 16;
const CONTENT_CHANGE_CIPHER_SPEC = 20;
const CONTENT_HANDSHAKE = 22;

/**
 * Offset of the first record in the payload `bytes[offset, end)` that is a handshake record
 * starting with a ClientHello or ServerHello (RFC 8446 5.1 records, 5-byte header; DTLS 13), or -1.
 * Records complete in this packet are skipped over; the search stops at a ChangeCipherSpec,
 * after which handshake records are encrypted (RFC 5246 7.1), and a hello must carry a
 * plausible legacy_version (3.x, or DTLS 254.x) so encrypted bytes are not taken for one.
 */
export function findHelloRecord(bytes: Uint8Array, offset: number, end: number, dtls: boolean): number {
  const recordHeader = dtls ? 13 : 5;
  // Handshake header: type(1) length(3), DTLS adds 8 bytes; then legacy_version(2).
  const versionAt = recordHeader + (dtls ? 12 : 4);
  let position = offset;
  for (let record = 0; record < MAX_RECORDS && position + recordHeader < end; record++) {
    const contentType = bytes[position];
    if (contentType === CONTENT_CHANGE_CIPHER_SPEC) return -1;
    if (contentType === CONTENT_HANDSHAKE) {
      const type = bytes[position + recordHeader];
      if (type !== CLIENT_HELLO && type !== SERVER_HELLO) return -1;
      if (position + versionAt + 2 > end) return position; // version cut off: judge by the type alone
      const major = bytes[position + versionAt];
      return (dtls ? major === 0xfe : major === 3 && bytes[position + versionAt + 1]! <= 4) ? position : -1;
    }
    position += recordHeader + readUint16BE(bytes, position + recordHeader - 2);
  }
  return -1;
}

/**
 * Parses the first ClientHello/ServerHello record of the TLS (or DTLS) payload at `payload`
 * into a meta entry.
 */
export function parseTlsHello(
  bytes: Uint8Array,
  payload: number,
  end: number,
  dtls: boolean,
  batch: PacketBatch,
  row: number,
): void {
  const offset = findHelloRecord(bytes, payload, end, dtls);
  if (offset < 0) return;
  const recordHeader = dtls ? 13 : 5;
  const recordEnd = offset + recordHeader + readUint16BE(bytes, offset + recordHeader - 2);
  const meta = readHello(bytes, offset + recordHeader, Math.min(end, recordEnd), dtls);
  if (meta === undefined) return;
  batch.metaIndex[row] = batch.meta.length;
  batch.meta.push(meta);
}

/**
 * Reads the ClientHello/ServerHello handshake message at `handshake` (type, 24-bit length, body;
 * DTLS adds message_seq, fragment_offset, fragment_length) up to `end`: SNI and version. Also
 * used for the ClientHello carried in QUIC CRYPTO frames (RFC 9001 4.1).
 */
export function readHello(
  bytes: Uint8Array,
  handshake: number,
  end: number,
  dtls: boolean,
): PacketMeta | undefined {
  if (handshake + 4 > end) return undefined;
  const type = bytes[handshake]!;
  if (type !== CLIENT_HELLO && type !== SERVER_HELLO) return undefined;
  const bodyStart = handshake + (dtls ? 12 : 4);
  const bodyEnd = Math.min(end, bodyStart + readUint24BE(bytes, handshake + 1));
  if (bodyStart + 2 > bodyEnd) return undefined;
  const meta: PacketMeta = {};
  let version = readUint16BE(bytes, bodyStart);
  // legacy_version(2) random(32) legacy_session_id<0..32>
  let position = bodyStart + 34;
  if (position < bodyEnd) position += 1 + bytes[position]!;
  if (type === CLIENT_HELLO) {
    if (dtls && position < bodyEnd) position += 1 + bytes[position]!; // cookie<0..2^8-1>
    if (position + 2 <= bodyEnd) position += 2 + readUint16BE(bytes, position); // cipher_suites
    if (position < bodyEnd) position += 1 + bytes[position]!; // legacy_compression_methods
  } else {
    position += 3; // cipher_suite(2) legacy_compression_method(1)
  }
  if (position + 2 <= bodyEnd) {
    const extensionsEnd = Math.min(bodyEnd, position + 2 + readUint16BE(bytes, position));
    position += 2;
    while (position + 4 <= extensionsEnd) {
      const extensionType = readUint16BE(bytes, position);
      const data = position + 4;
      const dataEnd = Math.min(extensionsEnd, data + readUint16BE(bytes, position + 2));
      if (extensionType === EXTENSION_SERVER_NAME && type === CLIENT_HELLO) {
        const name = readServerName(bytes, data, dataEnd);
        if (name !== undefined) meta.tlsSni = name;
      } else if (extensionType === EXTENSION_SUPPORTED_VERSIONS) {
        if (type === SERVER_HELLO) {
          if (data + 2 <= dataEnd) version = readUint16BE(bytes, data);
        } else {
          version = highestVersion(bytes, data, dataEnd, version);
        }
      }
      position = data + readUint16BE(bytes, position + 2);
    }
  }
  meta.tlsVersion = tlsVersionName(version);
  return meta;
}

/** RFC 6066 3: ServerNameList<1..2^16-1> of {NameType, HostName<1..2^16-1>}; the first host_name. */
function readServerName(bytes: Uint8Array, offset: number, end: number): string | undefined {
  if (offset + 2 > end) return undefined;
  const listEnd = Math.min(end, offset + 2 + readUint16BE(bytes, offset));
  let position = offset + 2;
  while (position + 3 <= listEnd) {
    const nameLength = readUint16BE(bytes, position + 1);
    const nameEnd = position + 3 + nameLength;
    if (bytes[position] === HOST_NAME) {
      if (nameEnd > listEnd) return undefined;
      return utf8Text(bytes, position + 3, nameEnd);
    }
    position = nameEnd;
  }
  return undefined;
}

/** RFC 8446 4.2.1 ClientHello form: versions<2..254>; the highest non-GREASE entry, else `fallback`. */
function highestVersion(bytes: Uint8Array, offset: number, end: number, fallback: number): number {
  if (offset >= end) return fallback;
  const listEnd = Math.min(end, offset + 1 + bytes[offset]!);
  let best = -1;
  for (let position = offset + 1; position + 2 <= listEnd; position += 2) {
    const version = readUint16BE(bytes, position);
    if (!isGrease(version) && (best < 0 || versionRank(version) > versionRank(best))) best = version;
  }
  return best < 0 ? fallback : best;
}
