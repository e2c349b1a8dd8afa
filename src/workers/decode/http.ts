/**
 * HTTP/1.x message heads (RFC 9112 3 request line, 4 status line, 5 field lines) in the first
 * 4 KB of a TCP payload: method, target, Host and User-Agent, or the status code.
 */
import type { PacketBatch, PacketMeta } from '../../shared/packet-batch';
import { HTTP_METHODS, matchHttpMethod } from './http-methods';
import { utf8Text } from './text';

/** Bytes of a payload scanned for the head. */
const SCAN_LIMIT = 4096;
const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;

/** Field names matched case-insensitively (RFC 9110 5.1), lower case. */
const HOST = bytesOf('host');
const USER_AGENT = bytesOf('user-agent');

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (character) => character.charCodeAt(0));
}

/** Offset of the LF ending the line that starts at `offset`, or -1 when the line is cut. */
function lineFeed(bytes: Uint8Array, offset: number, end: number): number {
  for (let position = offset; position < end; position++) if (bytes[position] === LF) return position;
  return -1;
}

/** True when the field name of the line at `offset` (up to `colon`) equals `name`, ignoring case. */
function fieldNameIs(bytes: Uint8Array, offset: number, colon: number, name: Uint8Array): boolean {
  if (colon - offset !== name.length) return false;
  for (let index = 0; index < name.length; index++) {
    const byte = bytes[offset + index]!;
    if ((byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte) !== name[index]) return false;
  }
  return true;
}

/**
 * Reads field lines from `offset` until the empty line, the scan limit or a cut line; Host and
 * User-Agent values (leading whitespace dropped, as Wireshark's http.host) go into `meta`.
 */
function readFields(bytes: Uint8Array, offset: number, end: number, meta: PacketMeta): void {
  let line = offset;
  while (line < end) {
    const feed = lineFeed(bytes, line, end);
    if (feed < 0) return;
    const lineEnd = feed > line && bytes[feed - 1] === CR ? feed - 1 : feed;
    if (lineEnd === line) return; // empty line: end of the head
    let colon = line;
    while (colon < lineEnd && bytes[colon] !== COLON) colon++;
    if (colon < lineEnd) {
      const isHost = meta.httpHost === undefined && fieldNameIs(bytes, line, colon, HOST);
      const isUserAgent =
        !isHost && meta.httpUserAgent === undefined && fieldNameIs(bytes, line, colon, USER_AGENT);
      if (isHost || isUserAgent) {
        let value = colon + 1;
        while (value < lineEnd && (bytes[value] === SPACE || bytes[value] === TAB)) value++;
        const text = utf8Text(bytes, value, lineEnd);
        if (isHost) meta.httpHost = text;
        else meta.httpUserAgent = text;
      }
    }
    line = feed + 1;
  }
}

/** Parses a request head at `offset` (the payload starts with a known method and a space). */
export function parseHttpRequest(
  bytes: Uint8Array,
  offset: number,
  end: number,
  batch: PacketBatch,
  row: number,
): void {
  const limit = Math.min(end, offset + SCAN_LIMIT);
  const method = matchHttpMethod(bytes, offset, limit);
  if (method < 0) return;
  const methodName = HTTP_METHODS[method]!;
  const target = offset + methodName.length + 1;
  const feed = lineFeed(bytes, target, limit);
  const lineEnd = feed < 0 ? limit : feed > target && bytes[feed - 1] === CR ? feed - 1 : feed;
  // request-line = method SP request-target SP HTTP-version: the target has no spaces and ends
  // at the next one (as Wireshark's http.request.uri, even when a client put spaces in it).
  let targetEnd = target;
  while (targetEnd < lineEnd && bytes[targetEnd] !== SPACE) targetEnd++;
  const meta: PacketMeta = { httpMethod: methodName, httpUri: utf8Text(bytes, target, targetEnd) };
  if (feed >= 0) readFields(bytes, feed + 1, limit, meta);
  batch.metaIndex[row] = batch.meta.length;
  batch.meta.push(meta);
}

/** Parses a status line at `offset` ('HTTP/1.1 200 OK'): the 3-digit status code. */
export function parseHttpResponse(
  bytes: Uint8Array,
  offset: number,
  end: number,
  batch: PacketBatch,
  row: number,
): void {
  // status-line = HTTP-version SP status-code SP [reason-phrase]; HTTP-version is 8 bytes.
  const code = offset + 9;
  if (code + 3 > end || bytes[code - 1] !== SPACE) return;
  let status = 0;
  for (let index = 0; index < 3; index++) {
    const digit = bytes[code + index]! - 0x30;
    if (digit < 0 || digit > 9) return;
    status = status * 10 + digit;
  }
  batch.metaIndex[row] = batch.meta.length;
  batch.meta.push({ httpStatus: status });
}
