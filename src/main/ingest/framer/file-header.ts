/**
 * The first unit of a capture: a 24-byte pcap file header (pcap-savefile(5)) or a pcapng
 * Section Header Block (pcapng 4.1). Anything wrong here is a header error: the file is refused
 * with a one-line FlowlabError instead of being framed.
 */
import { ErrorCode, FlowlabError } from '../../../shared/errors';
import {
  PcapMagic,
  SECTION_HEADER_TYPE,
  isCaptureMagic,
  readMagic,
  unknownFormatError,
} from './capture-magic';
import { PCAP_FILE_HEADER_LENGTH } from './pcap-file-header';
import { blockLengthProblem, sectionByteOrder } from './pcapng-blocks';

/** Bytes looked at before deciding the format (enough to name zstd, xz, snoop, ...). */
const MAGIC_PROBE_LENGTH = 8;
/** pcapng 4.1: smallest Section Header Block. */
const MIN_SECTION_HEADER_LENGTH = 28;

function isPcapMagic(magic: number): boolean {
  return (
    magic === PcapMagic.microseconds ||
    magic === PcapMagic.nanoseconds ||
    magic === PcapMagic.microsecondsSwapped ||
    magic === PcapMagic.nanosecondsSwapped
  );
}

function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (value) => value.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Bytes the file header at `pos` needs: a probe size while it cannot tell yet, else the header
 * length. Throws UNKNOWN_FORMAT for a foreign magic, BAD_RECORD for an impossible SHB length.
 */
export function measureFileHeader(bytes: Uint8Array, view: DataView, pos: number, available: number): number {
  if (available < MAGIC_PROBE_LENGTH) return MAGIC_PROBE_LENGTH;
  const magic = view.getUint32(pos, false);
  if (isPcapMagic(magic)) return PCAP_FILE_HEADER_LENGTH;
  if (magic !== SECTION_HEADER_TYPE) throw unknownFormatError(bytes.subarray(pos, pos + MAGIC_PROBE_LENGTH));
  if (available < 12) return 12;
  const littleEndian = sectionByteOrder(view, pos);
  if (littleEndian === undefined) {
    throw new FlowlabError(
      ErrorCode.unknownFormat,
      `Not a pcapng file: expected byte-order magic 1a2b3c4d at offset 0x8, found ${hexBytes(bytes.subarray(pos + 8, pos + 12))}`,
    );
  }
  const length = view.getUint32(pos + 4, littleEndian);
  const problem = blockLengthProblem(SECTION_HEADER_TYPE, length);
  if (problem)
    throw new FlowlabError(
      ErrorCode.badRecord,
      `Unreadable pcapng Section Header Block at offset 0x0: ${problem}`,
    );
  return length;
}

/** pcapng 3.1: the first SHB's trailing length must repeat its total length (BAD_RECORD if not). */
export function checkFirstSectionTrailer(view: DataView, pos: number, length: number): void {
  const trailing = view.getUint32(pos + length - 4, sectionByteOrder(view, pos)!);
  if (trailing === length) return;
  throw new FlowlabError(
    ErrorCode.badRecord,
    `Unreadable pcapng Section Header Block at offset 0x0: total length ${length} does not match its trailing copy ${trailing}`,
  );
}

/** The error for a stream that ended before its file header was complete (`head` = all its bytes). */
export function incompleteFileHeaderError(head: Uint8Array): FlowlabError {
  if (!isCaptureMagic(head)) return unknownFormatError(head);
  if (readMagic(head) !== SECTION_HEADER_TYPE) {
    return new FlowlabError(
      ErrorCode.badRecord,
      `Truncated pcap file header at offset 0x0: expected ${PCAP_FILE_HEADER_LENGTH} bytes, found ${head.length}`,
    );
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const needed =
    head.length >= 12 ? measureFileHeader(head, view, 0, head.length) : MIN_SECTION_HEADER_LENGTH;
  return new FlowlabError(
    ErrorCode.badRecord,
    `Truncated pcapng Section Header Block at offset 0x0: expected ${needed} bytes, found ${head.length}`,
  );
}
