/**
 * DNS messages (RFC 1035 4.1) on the DNS, mDNS (RFC 6762) and LLMNR (RFC 4795) ports: the first
 * question, flags, rcode and answer data into a PacketMeta entry.
 */
import type { PacketBatch, PacketMeta } from '../../shared/packet-batch';
import { readUint16BE } from './byte-reader';
import { dnsRcodeName, dnsTypeName } from './dns-names';
import { escapedText, formatIpv4, formatIpv6 } from './text';

/** RFC 1035 2.3.4: names are at most 255 octets; longer text is cut there (as Wireshark's MAX_DNAME_LEN). */
const MAX_NAME_BYTES = 255;
/** Reused buffer for the presentation bytes of a name (labels joined by '.'). */
const nameBytes = new Uint8Array(MAX_NAME_BYTES);
/** Compression pointers followed per name before it is declared a loop. */
const MAX_POINTERS = 64;
/** Answers rendered into dnsAnswers. */
const MAX_ANSWERS = 20;

const TYPE_A = 1;
const TYPE_NS = 2;
const TYPE_CNAME = 5;
const TYPE_PTR = 12;
const TYPE_AAAA = 28;

/** Offset just past the name at its original position, set by `readName`. */
let nameEnd = 0;

/**
 * Reads the name at `offset` of the message starting at `message` (RFC 1035 4.1.4 compression
 * pointers are relative to it) into `nameBytes`, labels joined by '.', no trailing dot.
 * Returns its length in bytes, or -1 when malformed, cut short or looping; sets `nameEnd`.
 */
function readName(bytes: Uint8Array, message: number, offset: number, end: number): number {
  let position = offset;
  let length = 0;
  let pointers = 0;
  nameEnd = -1;
  for (;;) {
    if (position >= end) return -1;
    const labelLength = bytes[position]!;
    if (labelLength === 0) {
      if (nameEnd < 0) nameEnd = position + 1;
      return length;
    }
    if ((labelLength & 0xc0) === 0xc0) {
      if (position + 1 >= end || ++pointers > MAX_POINTERS) return -1;
      if (nameEnd < 0) nameEnd = position + 2;
      position = message + (((labelLength & 0x3f) << 8) | bytes[position + 1]!);
      continue;
    }
    if ((labelLength & 0xc0) !== 0) return -1; // RFC 6891 5: extended label types are obsolete
    const labelEnd = position + 1 + labelLength;
    if (labelEnd > end) return -1;
    if (length > 0 && length < MAX_NAME_BYTES) nameBytes[length++] = 0x2e;
    for (let index = position + 1; index < labelEnd && length < MAX_NAME_BYTES; index++)
      nameBytes[length++] = bytes[index]!;
    position = labelEnd;
  }
}

/**
 * The name at `offset` as text, or undefined. Label bytes are shown as escaped UTF-8 (mDNS
 * names are UTF-8, RFC 6762 16; controls as \\ooo) and the root as '<Root>', both as Wireshark
 * shows dns.qry.name.
 */
function nameText(bytes: Uint8Array, message: number, offset: number, end: number): string | undefined {
  const length = readName(bytes, message, offset, end);
  if (length < 0) return undefined;
  return length === 0 ? '<Root>' : escapedText(nameBytes, 0, length);
}

/**
 * RFC 1035 4.2.2: over TCP a 2-byte length precedes each message. A segment is parsed only when
 * it plausibly starts one (sane length, opcode and counts), since a message may span segments.
 */
function tcpMessageStart(bytes: Uint8Array, offset: number, end: number): number {
  if (end - offset < 14 || readUint16BE(bytes, offset) < 12) return -1;
  const message = offset + 2;
  const opcode = (bytes[message + 2]! >> 3) & 0x0f;
  if (opcode > 6 || opcode === 3 || readUint16BE(bytes, message + 4) > 8) return -1;
  return message;
}

/** Parses the DNS message in the payload `bytes[offset, end)` into a meta entry. */
export function parseDns(
  bytes: Uint8Array,
  offset: number,
  end: number,
  isTcp: boolean,
  batch: PacketBatch,
  row: number,
): void {
  const message = isTcp ? tcpMessageStart(bytes, offset, end) : offset;
  if (message < 0 || end - message < 12) return;
  const messageEnd = isTcp ? Math.min(end, message + readUint16BE(bytes, offset)) : end;
  const flags = readUint16BE(bytes, message + 2);
  const questions = readUint16BE(bytes, message + 4);
  const answers = readUint16BE(bytes, message + 6);
  const isResponse = (flags & 0x8000) !== 0;
  const meta: PacketMeta = { dnsTransactionId: readUint16BE(bytes, message), dnsIsResponse: isResponse };
  if (isResponse) meta.dnsRcode = dnsRcodeName(flags & 0x0f);
  let position = message + 12;
  if (questions > 0) {
    const query = nameText(bytes, message, position, messageEnd);
    if (query === undefined && isTcp) return; // not a message start after all
    if (query !== undefined) {
      meta.dnsQuery = query;
      position = nameEnd;
      if (position + 4 <= messageEnd) meta.dnsQtype = dnsTypeName(readUint16BE(bytes, position));
      position += 4;
    } else {
      position = messageEnd;
    }
  }
  if (isResponse && answers > 0) {
    for (let question = 1; question < questions && position < messageEnd; question++) {
      position = readName(bytes, message, position, messageEnd) < 0 ? messageEnd : nameEnd + 4;
    }
    const answerText = readAnswers(bytes, message, position, messageEnd, answers);
    if (answerText !== '') meta.dnsAnswers = answerText;
  }
  batch.metaIndex[row] = batch.meta.length;
  batch.meta.push(meta);
}

/** RFC 1035 4.1.3: A/AAAA addresses and CNAME/PTR/NS names of the answer section, joined by ','. */
function readAnswers(bytes: Uint8Array, message: number, offset: number, end: number, count: number): string {
  let text = '';
  let position = offset;
  const limit = count < MAX_ANSWERS ? count : MAX_ANSWERS;
  for (let answer = 0; answer < limit; answer++) {
    if (readName(bytes, message, position, end) < 0) break;
    const fixed = nameEnd; // type(2) class(2) TTL(4) rdlength(2)
    if (fixed + 10 > end) break;
    const type = readUint16BE(bytes, fixed);
    const dataLength = readUint16BE(bytes, fixed + 8);
    const data = fixed + 10;
    if (data + dataLength > end) break;
    let value: string | undefined;
    if (type === TYPE_A && dataLength === 4) value = formatIpv4(bytes, data);
    else if (type === TYPE_AAAA && dataLength === 16) value = formatIpv6(bytes, data);
    else if (type === TYPE_CNAME || type === TYPE_PTR || type === TYPE_NS)
      value = nameText(bytes, message, data, end);
    if (value !== undefined) text = text === '' ? value : `${text},${value}`;
    position = data + dataLength;
  }
  return text;
}
