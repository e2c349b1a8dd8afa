/**
 * QUIC Initial packets (RFC 9000 17.2.2) sent by clients: remove header protection and decrypt
 * with the keys every observer can derive from the Destination Connection ID (RFC 9001 5.2,
 * 5.4; RFC 9369 3 for QUIC v2), then read the ClientHello from the CRYPTO frames for its SNI.
 * Runs only for UDP payloads that start with a long header of a known version; the keys of the
 * last few connection IDs are cached. Server Initials use keys from the client's original DCID,
 * which a single packet does not carry, so they are not decrypted.
 */
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { PacketBatch } from '../../shared/packet-batch';
import { readUint32BE } from './byte-reader';
import { readHello } from './tls';

const QUIC_V1 = 0x00000001;
const QUIC_V2 = 0x6b3343cf;
/** Initial salts: RFC 9001 5.2 (v1, drafts 33-34), RFC 9369 3.3.1 (v2), draft-29..32, draft-23..28. */
const SALT_V1 = hexBytes('38762cf7f55934b34d179ae6a4c80cadccbb7f0a');
const SALT_V2 = hexBytes('0dede3def700a6db819381be6e269dcbf9bd2ed9');
const SALT_DRAFT_29 = hexBytes('afbfec289993d24c9e9786f19c6111e04390a899');
const SALT_DRAFT_23 = hexBytes('c3eef712c72ebb5a11a7d2432bb46365bef9f502');
/** Largest CRYPTO stream prefix assembled from one packet. */
const MAX_CRYPTO_BYTES = 16384;
const KEY_CACHE_SIZE = 64;

function hexBytes(text: string): Uint8Array {
  return Uint8Array.from(text.match(/../g)!, (pair) => parseInt(pair, 16));
}

/** Initial salt of an IETF QUIC version, or undefined when unknown. */
export function quicInitialSalt(version: number): Uint8Array | undefined {
  if (version === QUIC_V1 || version === 0xff000021 || version === 0xff000022) return SALT_V1;
  if (version === QUIC_V2) return SALT_V2;
  if (version >= 0xff00001d && version <= 0xff000020) return SALT_DRAFT_29;
  if (version >= 0xff000017 && version <= 0xff00001c) return SALT_DRAFT_23;
  return undefined;
}

/** RFC 8446 7.1 HKDF-Expand-Label with an empty context, for outputs of at most 32 bytes. */
function expandLabel(secret: Uint8Array, label: string, length: number): Uint8Array {
  const fullLabel = `tls13 ${label}`;
  const info = new Uint8Array(4 + fullLabel.length);
  info[0] = length >> 8;
  info[1] = length & 0xff;
  info[2] = fullLabel.length;
  for (let index = 0; index < fullLabel.length; index++) info[3 + index] = fullLabel.charCodeAt(index);
  // HKDF-Expand (RFC 5869 2.3): one block T(1) = HMAC(PRK, info | 0x01) suffices for <= 32 bytes.
  return createHmac('sha256', secret).update(info).update(Uint8Array.of(1)).digest().subarray(0, length);
}

/** Client Initial AEAD key, IV and header-protection key for a version and DCID (RFC 9001 5.2). */
export interface InitialKeys {
  key: Uint8Array;
  iv: Uint8Array;
  hp: Uint8Array;
}

const keyCache = new Map<string, InitialKeys>();

/** The client Initial keys for `version` and `dcid` (cached for the last few connection IDs). */
export function clientInitialKeys(version: number, salt: Uint8Array, dcid: Uint8Array): InitialKeys {
  const cacheKey = `${version}:${Buffer.from(dcid).toString('hex')}`;
  const cached = keyCache.get(cacheKey);
  if (cached) return cached;
  const initialSecret = createHmac('sha256', salt).update(dcid).digest(); // HKDF-Extract
  const clientSecret = expandLabel(initialSecret, 'client in', 32);
  const prefix = version === QUIC_V2 ? 'quicv2 ' : 'quic ';
  const keys = {
    key: expandLabel(clientSecret, `${prefix}key`, 16),
    iv: expandLabel(clientSecret, `${prefix}iv`, 12),
    hp: expandLabel(clientSecret, `${prefix}hp`, 16),
  };
  if (keyCache.size >= KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value!);
  keyCache.set(cacheKey, keys);
  return keys;
}

/** End offset of the last variable-length integer read (RFC 9000 16). */
let varintEnd = 0;

/** Variable-length integer at `offset`, or -1 when cut short; sets `varintEnd`. */
function readVarint(bytes: Uint8Array, offset: number, end: number): number {
  if (offset >= end) return -1;
  const length = 1 << (bytes[offset]! >> 6);
  if (offset + length > end) return -1;
  let value = bytes[offset]! & 0x3f;
  for (let index = 1; index < length; index++) value = value * 256 + bytes[offset + index]!;
  varintEnd = offset + length;
  return value;
}

/**
 * Decrypts the client Initial packet at `offset` and returns its plaintext payload (frames), or
 * undefined when it is not a decryptable client Initial.
 */
function decryptInitial(bytes: Uint8Array, offset: number, end: number): Uint8Array | undefined {
  const first = bytes[offset]!;
  if ((first & 0x80) === 0 || end - offset < 7) return undefined; // long header (fixed bit may be greased, RFC 9287)
  const version = readUint32BE(bytes, offset + 1);
  const salt = quicInitialSalt(version);
  // Long packet type Initial: 0b00 (v1, drafts), 0b01 (v2, RFC 9369 3.2).
  if (salt === undefined || ((first >> 4) & 0x03) !== (version === QUIC_V2 ? 1 : 0)) return undefined;
  let position = offset + 5;
  const dcidLength = bytes[position]!;
  if (dcidLength > 20 || position + 1 + dcidLength >= end) return undefined;
  const dcid = bytes.subarray(position + 1, position + 1 + dcidLength);
  position += 1 + dcidLength;
  position += 1 + bytes[position]!; // Source Connection ID
  const tokenLength = readVarint(bytes, position, end);
  if (tokenLength < 0) return undefined;
  const length = readVarint(bytes, varintEnd + tokenLength, end);
  if (length < 0) return undefined;
  const packetNumberOffset = varintEnd;
  const packetEnd = packetNumberOffset + length;
  // The header-protection sample is 16 bytes starting 4 bytes into the packet number (RFC 9001 5.4.2).
  if (packetEnd > end || length < 20 + 16) return undefined;
  const keys = clientInitialKeys(version, salt, dcid);
  const mask = createCipheriv('aes-128-ecb', keys.hp, null).update(
    bytes.subarray(packetNumberOffset + 4, packetNumberOffset + 20),
  );
  const header = bytes.slice(offset, packetNumberOffset + 4);
  header[0] = first ^ (mask[0]! & 0x0f);
  const packetNumberLength = (header[0]! & 0x03) + 1;
  const nonce = Uint8Array.from(keys.iv);
  for (let index = 0; index < packetNumberLength; index++) {
    const at = packetNumberOffset - offset + index;
    header[at] = header[at]! ^ mask[1 + index]!;
    nonce[12 - packetNumberLength + index] = nonce[12 - packetNumberLength + index]! ^ header[at]!;
  }
  try {
    const decipher = createDecipheriv('aes-128-gcm', keys.key, nonce);
    decipher.setAAD(header.subarray(0, packetNumberOffset - offset + packetNumberLength));
    decipher.setAuthTag(bytes.subarray(packetEnd - 16, packetEnd));
    const body = decipher.update(bytes.subarray(packetNumberOffset + packetNumberLength, packetEnd - 16));
    decipher.final();
    return body;
  } catch {
    return undefined; // not a client Initial of this DCID (server Initial, corrupted, ...)
  }
}

/**
 * Walks the frames of an Initial payload (RFC 9000 19: PADDING, PING, ACK, CRYPTO,
 * CONNECTION_CLOSE) and returns the contiguous CRYPTO stream from offset 0.
 */
function cryptoStream(frames: Uint8Array): Uint8Array {
  const stream = new Uint8Array(MAX_CRYPTO_BYTES);
  const pieces: number[] = [];
  let position = 0;
  const end = frames.length;
  while (position < end) {
    const type = frames[position]!;
    position++;
    if (type === 0x00 || type === 0x01) continue;
    if (type === 0x02 || type === 0x03) {
      // Largest Acknowledged, ACK Delay, ACK Range Count, First ACK Range, ranges, ECN counts.
      let count = 0;
      for (let field = 0; field < 4 && position >= 0; field++) {
        const value = readVarint(frames, position, end);
        if (field === 2) count = value;
        position = value < 0 ? -1 : varintEnd;
      }
      for (let field = 0; field < count * 2 + (type === 0x03 ? 3 : 0) && position >= 0; field++) {
        position = readVarint(frames, position, end) < 0 ? -1 : varintEnd;
      }
      if (position < 0) break;
    } else if (type === 0x06) {
      const streamOffset = readVarint(frames, position, end);
      const length = streamOffset < 0 ? -1 : readVarint(frames, varintEnd, end);
      if (length < 0 || varintEnd + length > end) break;
      pieces.push(streamOffset, varintEnd, length);
      position = varintEnd + length;
    } else if (type === 0x1c) {
      const code = readVarint(frames, position, end);
      const frameType = code < 0 ? -1 : readVarint(frames, varintEnd, end);
      const reason = frameType < 0 ? -1 : readVarint(frames, varintEnd, end);
      if (reason < 0) break;
      position = varintEnd + reason;
    } else {
      break;
    }
  }
  // Copy every piece, then measure the prefix covered from offset 0 (pieces may come out of order).
  let covered = 0;
  for (let pass = 0; pass < pieces.length / 3; pass++) {
    let grown = false;
    for (let piece = 0; piece < pieces.length; piece += 3) {
      const streamOffset = pieces[piece]!;
      const pieceEnd = Math.min(MAX_CRYPTO_BYTES, streamOffset + pieces[piece + 2]!);
      if (pass === 0 && streamOffset < MAX_CRYPTO_BYTES)
        stream.set(
          frames.subarray(pieces[piece + 1]!, pieces[piece + 1]! + pieceEnd - streamOffset),
          streamOffset,
        );
      if (streamOffset <= covered && pieceEnd > covered) {
        covered = pieceEnd;
        grown = true;
      }
    }
    if (!grown) break;
  }
  return stream.subarray(0, covered);
}

/** Parses a client Initial at the start of the UDP payload into a meta entry with its SNI. */
export function parseQuicInitial(
  bytes: Uint8Array,
  offset: number,
  end: number,
  batch: PacketBatch,
  row: number,
): boolean {
  const frames = decryptInitial(bytes, offset, end);
  if (frames === undefined) return false;
  const stream = cryptoStream(frames);
  const meta = readHello(stream, 0, stream.length, false);
  if (meta === undefined) return false;
  // A ClientHello continued in the next Initial: its version is not known yet, only the SNI if present.
  const complete = stream.length >= 4 + ((stream[1]! << 16) | (stream[2]! << 8) | stream[3]!);
  if (!complete) {
    if (meta.tlsSni === undefined) return false;
    delete meta.tlsVersion;
  }
  batch.metaIndex[row] = batch.meta.length;
  batch.meta.push(meta);
  return true;
}
