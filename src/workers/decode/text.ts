/**
 * Text for metadata only (DNS names, TLS SNI, HTTP heads, ARP summaries): the one place where
 * strings are made, and only for packets that carry such metadata. Both forms below are what
 * Wireshark shows for the same bytes, so values match tshark's and hostile bytes never form
 * surprising characters:
 * - `utf8Text` (HTTP fields, SNI): UTF-8 (RFC 3629); every byte that does not start a
 *   well-formed sequence becomes one U+FFFD (GLib g_utf8_make_valid).
 * - `escapedText` (DNS names): printable characters as themselves, ASCII controls as C escapes
 *   (\n, \001), other non-printables as \uXXXX (Wireshark's format_text).
 */

const REPLACEMENT_CHARACTER = 0xfffd;
/** Longest run turned into a string by one `fromCharCode` call. */
const CHUNK = 4096;
/** Reusable code-unit buffer for building metadata strings. */
const codeUnits = new Uint16Array(CHUNK + 2);

/**
 * Continuation bytes expected after each lead byte (0: ASCII or not a lead) and the range of
 * the first continuation byte that keeps the sequence well-formed (RFC 3629 4: no overlongs,
 * surrogates or code points above U+10FFFF).
 */
const CONTINUATIONS = new Uint8Array(256);
const SECOND_MIN = new Uint8Array(256);
const SECOND_MAX = new Uint8Array(256);
for (let lead = 0xc2; lead <= 0xf4; lead++) {
  CONTINUATIONS[lead] = lead < 0xe0 ? 1 : lead < 0xf0 ? 2 : 3;
  SECOND_MIN[lead] = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
  SECOND_MAX[lead] = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
}

/** Well-formed sequence at `position`: its code point, or -1. */
function wellFormedAt(bytes: Uint8Array, position: number, end: number): number {
  const lead = bytes[position]!;
  const continuations = CONTINUATIONS[lead]!;
  if (continuations === 0 || position + continuations >= end) return -1;
  const second = bytes[position + 1]!;
  if (second < SECOND_MIN[lead]! || second > SECOND_MAX[lead]!) return -1;
  let codePoint = ((lead & (0x3f >> continuations)) << 6) | (second & 0x3f);
  for (let index = 2; index <= continuations; index++) {
    const next = bytes[position + index]!;
    if ((next & 0xc0) !== 0x80) return -1;
    codePoint = (codePoint << 6) | (next & 0x3f);
  }
  return codePoint;
}

/** UTF-8 text of `bytes[start, end)`; each byte of an ill-formed sequence (and NUL) becomes U+FFFD. */
export function utf8Text(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  let length = 0;
  let position = start;
  while (position < end) {
    const byte = bytes[position]!;
    if (byte < 0x80) {
      codeUnits[length++] = byte === 0 ? REPLACEMENT_CHARACTER : byte;
      position++;
    } else {
      const codePoint = wellFormedAt(bytes, position, end);
      if (codePoint < 0) {
        codeUnits[length++] = REPLACEMENT_CHARACTER;
        position++;
      } else {
        if (codePoint > 0xffff) {
          codeUnits[length++] = 0xd800 + ((codePoint - 0x10000) >> 10);
          codeUnits[length++] = 0xdc00 + ((codePoint - 0x10000) & 0x3ff);
        } else {
          codeUnits[length++] = codePoint;
        }
        position += CONTINUATIONS[byte]! + 1;
      }
    }
    if (length >= CHUNK) {
      text += String.fromCharCode.apply(null, codeUnits.subarray(0, length) as unknown as number[]);
      length = 0;
    }
  }
  return text + String.fromCharCode.apply(null, codeUnits.subarray(0, length) as unknown as number[]);
}

/** C escapes of ASCII controls and DEL: \a \b \t \n \v \f \r, else 3-digit octal. */
const ESCAPE_LETTERS: Record<number, string> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r' };
const ASCII_ESCAPES: string[] = [];
for (let byte = 0; byte < 0x80; byte++) {
  const letter = ESCAPE_LETTERS[byte];
  ASCII_ESCAPES.push(letter ? `\\${letter}` : `\\${byte.toString(8).padStart(3, '0')}`);
}
/** GLib g_unichar_isprint is false for controls, format characters, unassigned code points and surrogates. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cn}\p{Cs}]/u;
const HEX_DIGITS = '0123456789ABCDEF';

/** Bytes after a lead byte in Wireshark's lenient decoding (old 5/6-byte forms included), -1 if none. */
function lenientContinuations(lead: number): number {
  if ((lead & 0xe0) === 0xc0) return 1;
  if ((lead & 0xf0) === 0xe0) return 2;
  if ((lead & 0xf8) === 0xf0) return 3;
  if ((lead & 0xfc) === 0xf8) return 4;
  if ((lead & 0xfe) === 0xfc) return 5;
  return -1;
}

/**
 * Display text of `bytes[start, end)` as Wireshark's format_text: printable ASCII as is, ASCII
 * controls as C escapes, multi-byte sequences decoded leniently (overlongs accepted) and shown
 * as themselves when printable, as \uXXXX/\UXXXXXXXX otherwise; broken sequences as U+FFFD.
 */
export function escapedText(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  let position = start;
  while (position < end) {
    const byte = bytes[position++]!;
    if (byte >= 0x20 && byte < 0x7f) {
      text += String.fromCharCode(byte);
      continue;
    }
    if (byte < 0x80) {
      text += ASCII_ESCAPES[byte]!;
      continue;
    }
    const continuations = lenientContinuations(byte);
    let codePoint = continuations < 0 ? REPLACEMENT_CHARACTER : byte & (0x7f >> (continuations + 1));
    for (let index = 0; index < continuations; index++) {
      const next = position < end ? bytes[position]! : 0;
      if (position >= end || (next & 0xc0) !== 0x80) {
        codePoint = REPLACEMENT_CHARACTER; // re-read `next` as the start of a new character
        break;
      }
      position++;
      codePoint = codePoint * 64 + (next & 0x3f);
    }
    if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff))
      codePoint = REPLACEMENT_CHARACTER;
    const character = String.fromCodePoint(codePoint);
    if (!NOT_PRINTABLE.test(character)) {
      text += character;
    } else {
      const digits = codePoint > 0xffff ? 8 : 4;
      text += codePoint > 0xffff ? '\\U' : '\\u';
      for (let shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        text += HEX_DIGITS[Math.floor(codePoint / 2 ** shift) & 0x0f];
    }
  }
  return text;
}

/** Dotted-quad text of the 4 bytes at `offset`. */
export function formatIpv4(bytes: Uint8Array, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

const HEX = '0123456789abcdef';

/** Lower-case colon-separated text of the 6-byte MAC at `offset`. */
export function formatMac(bytes: Uint8Array, offset: number): string {
  let text = '';
  for (let index = 0; index < 6; index++) {
    const byte = bytes[offset + index]!;
    if (index > 0) text += ':';
    text += HEX[byte >> 4]! + HEX[byte & 0x0f]!;
  }
  return text;
}

/**
 * RFC 5952 4 text of the 16-byte IPv6 address at `offset`: lower-case hex without leading
 * zeros, the longest run (first on ties) of two or more zero groups as '::'.
 */
export function formatIpv6(bytes: Uint8Array, offset: number): string {
  let bestStart = -1;
  let bestLength = 1;
  let runStart = -1;
  for (let group = 0; group <= 8; group++) {
    const isZero = group < 8 && bytes[offset + group * 2] === 0 && bytes[offset + group * 2 + 1] === 0;
    if (isZero) {
      if (runStart < 0) runStart = group;
    } else if (runStart >= 0) {
      if (group - runStart > bestLength) {
        bestStart = runStart;
        bestLength = group - runStart;
      }
      runStart = -1;
    }
  }
  let text = '';
  for (let group = 0; group < 8; group++) {
    if (group === bestStart) {
      text += '::';
      group += bestLength - 1;
      continue;
    }
    if (group > 0 && group !== bestStart + bestLength) text += ':';
    text += ((bytes[offset + group * 2]! << 8) | bytes[offset + group * 2 + 1]!).toString(16);
  }
  return text;
}
