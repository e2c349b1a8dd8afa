/**
 * Integer getters over a Uint8Array for the decode hot path. Network headers are big-endian
 * (RFC 1700 "network byte order"); a few link layers (NFLOG TLVs, BSD loopback family) are in
 * the capturing host's order, so the generic getters take the byte order as a flag. Callers
 * bound every offset by the packet end themselves: these getters do not check.
 */

/** Big-endian 16-bit value at `offset`. */
export function readUint16BE(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! << 8) | bytes[offset + 1]!;
}

/** Big-endian 32-bit value at `offset`, as an unsigned number. */
export function readUint32BE(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>>
    0
  );
}

/** 24-bit big-endian value at `offset` (TLS handshake lengths, RFC 8446 4). */
export function readUint24BE(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! << 16) | (bytes[offset + 1]! << 8) | bytes[offset + 2]!;
}

/** 16-bit value at `offset` in the given byte order. */
export function readUint16(bytes: Uint8Array, offset: number, littleEndian: boolean): number {
  return littleEndian
    ? bytes[offset]! | (bytes[offset + 1]! << 8)
    : (bytes[offset]! << 8) | bytes[offset + 1]!;
}

/** 32-bit value at `offset` in the given byte order, as an unsigned number. */
export function readUint32(bytes: Uint8Array, offset: number, littleEndian: boolean): number {
  return littleEndian
    ? (bytes[offset]! |
        (bytes[offset + 1]! << 8) |
        (bytes[offset + 2]! << 16) |
        (bytes[offset + 3]! << 24)) >>>
        0
    : readUint32BE(bytes, offset);
}
