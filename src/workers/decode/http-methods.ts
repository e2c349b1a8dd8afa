/**
 * Request-method tables for HTTP/1.x (RFC 9110 9, WebDAV RFC 4918, RFC 5789 PATCH, SSDP/UPnP)
 * and SIP (RFC 3261 7.1 and extensions), indexed by first byte at module load so a payload is
 * matched with a few byte compares and no string.
 */

/** HTTP/1.x methods recognised at the start of a TCP payload. */
export const HTTP_METHODS: readonly string[] = (
  'GET POST HEAD PUT DELETE OPTIONS CONNECT TRACE PATCH PROPFIND PROPPATCH MKCOL COPY MOVE LOCK UNLOCK ' +
  'SEARCH REPORT MKACTIVITY CHECKOUT MERGE M-SEARCH NOTIFY SUBSCRIBE UNSUBSCRIBE PURGE'
).split(' ');

/** SIP request methods. */
export const SIP_METHODS: readonly string[] =
  'INVITE ACK BYE CANCEL REGISTER OPTIONS PRACK SUBSCRIBE NOTIFY PUBLISH INFO REFER MESSAGE UPDATE'.split(
    ' ',
  );

/** One method list as byte arrays grouped by first byte. */
interface MethodTable {
  names: readonly string[];
  bytes: Uint8Array[];
  byFirstByte: number[][];
}

function buildTable(names: readonly string[]): MethodTable {
  const byFirstByte: number[][] = Array.from({ length: 256 }, () => []);
  const bytes = names.map((name) => Uint8Array.from(name, (character) => character.charCodeAt(0)));
  bytes.forEach((encoded, index) => byFirstByte[encoded[0]!]!.push(index));
  return { names, bytes, byFirstByte };
}

const HTTP_TABLE = buildTable(HTTP_METHODS);
const SIP_TABLE = buildTable(SIP_METHODS);

function matchMethod(table: MethodTable, bytes: Uint8Array, offset: number, end: number): number {
  // issue #7 (fuzzing): an empty payload at the very end of the buffer read bytes[end] (undefined).
  if (offset >= end) return -1;
  const candidates = table.byFirstByte[bytes[offset]!]!;
  for (let index = 0; index < candidates.length; index++) {
    const method = table.bytes[candidates[index]!]!;
    const length = method.length;
    if (offset + length >= end || bytes[offset + length] !== 0x20) continue;
    let position = 1;
    while (position < length && bytes[offset + position] === method[position]) position++;
    if (position === length) return candidates[index]!;
  }
  return -1;
}

/** Index in HTTP_METHODS of the method followed by a space at `offset`, or -1. */
export function matchHttpMethod(bytes: Uint8Array, offset: number, end: number): number {
  return matchMethod(HTTP_TABLE, bytes, offset, end);
}

/** Index in SIP_METHODS of the method followed by a space at `offset`, or -1. */
export function matchSipMethod(bytes: Uint8Array, offset: number, end: number): number {
  return matchMethod(SIP_TABLE, bytes, offset, end);
}

/** Bytes of a request line scanned for its HTTP-version. */
const REQUEST_LINE_LIMIT = 4096;

/**
 * RFC 9112 3: request-line = method SP request-target SP HTTP-version. True when the line at
 * `offset` ends with 'HTTP/<digit>.<digit>', or is cut before its end (long targets span segments).
 */
export function isHttpRequestLine(bytes: Uint8Array, offset: number, end: number): boolean {
  const limit = Math.min(end, offset + REQUEST_LINE_LIMIT);
  let feed = offset;
  while (feed < limit && bytes[feed] !== 0x0a) feed++;
  if (feed === limit) return true;
  const lineEnd = feed > offset && bytes[feed - 1] === 0x0d ? feed - 1 : feed;
  const version = lineEnd - 8;
  return (
    version > offset &&
    bytes[version - 1] === 0x20 &&
    bytes[version] === 0x48 && // H
    bytes[version + 1] === 0x54 && // T
    bytes[version + 2] === 0x54 && // T
    bytes[version + 3] === 0x50 && // P
    bytes[version + 4] === 0x2f && // /
    bytes[version + 6] === 0x2e // .
  );
}
