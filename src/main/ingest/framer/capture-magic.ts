/**
 * File magic numbers of the capture containers Flowlab reads, and the one-line error for
 * anything else (compressed data, other capture formats, pcapng fragments).
 */
import { ErrorCode, FlowlabError, hexOffset } from '../../../shared/errors';

/** pcap-savefile(5): magic as read big-endian; the swapped forms mean a little-endian file. */
export const PcapMagic = {
  microseconds: 0xa1b2c3d4,
  nanoseconds: 0xa1b23c4d,
  microsecondsSwapped: 0xd4c3b2a1,
  nanosecondsSwapped: 0x4d3cb2a1,
} as const;

/** pcapng 4.1: Section Header Block type (a palindrome, so byte order does not matter). */
export const SECTION_HEADER_TYPE = 0x0a0d0d0a;

/** RFC 1952 2.3.1: gzip ID1 ID2. */
export function isGzipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** True when the first four bytes are a pcap or pcapng magic number. */
export function isCaptureMagic(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const magic = readMagic(bytes);
  return magic === SECTION_HEADER_TYPE || Object.values(PcapMagic).includes(magic as never);
}

/** The first four bytes as a big-endian number. */
export function readMagic(bytes: Uint8Array): number {
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

const KNOWN_OTHER_FORMATS: ReadonlyArray<{ prefix: number[]; what: string }> = [
  { prefix: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed; decompress it first' },
  { prefix: [0x1f, 0x8b], what: 'gzip-compressed; decompress it first' },
  { prefix: [0x42, 0x5a, 0x68], what: 'bzip2-compressed; decompress it first' },
  { prefix: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'xz-compressed; decompress it first' },
  { prefix: [0x04, 0x22, 0x4d, 0x18], what: 'lz4-compressed; decompress it first' },
  { prefix: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive; extract it first' },
  {
    prefix: [0x73, 0x6e, 0x6f, 0x6f, 0x70, 0x00],
    what: 'a Solaris snoop capture; convert it with editcap -F pcap',
  },
  // The "modified" (Kuznetzov) pcap variant has 24-byte record headers; not supported.
  { prefix: [0xa1, 0xb2, 0xcd, 0x34], what: 'a modified (Kuznetzov) pcap; convert it with editcap -F pcap' },
  { prefix: [0x34, 0xcd, 0xb2, 0xa1], what: 'a modified (Kuznetzov) pcap; convert it with editcap -F pcap' },
];

/** pcapng block types that may start a fragment cut out of a pcapng file (pcapng 4.2-4.6, appendix A). */
const PCAPNG_BLOCK_TYPES = new Set([1, 2, 3, 4, 5, 6]);

function describeOtherFormat(bytes: Uint8Array): string | undefined {
  for (const known of KNOWN_OTHER_FORMATS) {
    if (bytes.length >= known.prefix.length && known.prefix.every((value, index) => bytes[index] === value)) {
      return known.what;
    }
  }
  if (bytes.length >= 4) {
    const bigEndian = readMagic(bytes);
    const littleEndian = ((bytes[3]! << 24) | (bytes[2]! << 16) | (bytes[1]! << 8) | bytes[0]!) >>> 0;
    if (PCAPNG_BLOCK_TYPES.has(bigEndian) || PCAPNG_BLOCK_TYPES.has(littleEndian)) {
      return 'looks like a pcapng block without a Section Header Block: a fragment of a pcapng file';
    }
  }
  return undefined;
}

function formatBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (value) => value.toString(16).padStart(2, '0')).join(' ');
}

/**
 * The UNKNOWN_FORMAT error for a file that does not start with a capture magic, e.g.
 * "Not a pcap or pcapng file: expected magic a1b2c3d4/a1b23c4d/0a0d0d0a at offset 0x0, found
 * 28 b5 2f fd (zstd-compressed; decompress it first)". `head` holds the first bytes (up to 8 used).
 */
export function unknownFormatError(head: Uint8Array, offset = 0): FlowlabError {
  if (head.length === 0) {
    return new FlowlabError(ErrorCode.unknownFormat, 'Not a pcap or pcapng file: the file is empty');
  }
  const shown = head.subarray(0, 4);
  const found =
    head.length < 4
      ? `only ${head.length} byte${head.length === 1 ? '' : 's'} (${formatBytes(shown)})`
      : formatBytes(shown);
  const what = describeOtherFormat(head.subarray(0, 8));
  return new FlowlabError(
    ErrorCode.unknownFormat,
    `Not a pcap or pcapng file: expected magic a1b2c3d4/a1b23c4d/0a0d0d0a at offset ${hexOffset(offset)}, found ${found}` +
      (what ? ` (${what})` : ''),
  );
}
