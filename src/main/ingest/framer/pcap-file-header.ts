/**
 * Classic pcap file header (pcap-savefile(5); draft-ietf-opsawg-pcap section 4):
 *   magic(4) version_major(2) version_minor(2) thiszone(4) sigfigs(4) snaplen(4) linktype(4)
 * followed by records of a 16-byte header (ts_sec, ts_usec|ts_nsec, incl_len, orig_len) + data.
 */
import type { CaptureBlock } from '../../../shared/capture-block';
import { ErrorCode, FlowlabError, hexOffset } from '../../../shared/errors';
import { PcapMagic } from './capture-magic';

export const PCAP_FILE_HEADER_LENGTH = 24;
export const PCAP_RECORD_HEADER_LENGTH = 16;

/** What the framer keeps from the file header: the block context plus the byte order. */
export interface PcapFileHeader {
  littleEndian: boolean;
  context: NonNullable<CaptureBlock['pcap']>;
  /** Link-type field bits the spec reserves (must be zero), as a warning; undefined when clean. */
  warning?: string;
}

/**
 * draft-ietf-opsawg-pcap 4: LinkType and additional information. Bits 0-15 link type,
 * bits 16-25 reserved (must be zero), bit 26 "FCS length present", bits 28-31 FCS length.
 */
const LINK_TYPE_MASK = 0x0000ffff;
const LINK_TYPE_RESERVED_MASK = 0x03ff0000;

/**
 * Reads the 24-byte header at `pos` (the caller checked the magic is a pcap magic and that 24
 * bytes are there). Throws UNKNOWN_FORMAT for a major version other than 2.
 */
export function readPcapFileHeader(view: DataView, pos: number): PcapFileHeader {
  const magic = view.getUint32(pos, false);
  const littleEndian = magic === PcapMagic.microsecondsSwapped || magic === PcapMagic.nanosecondsSwapped;
  const nanoseconds = magic === PcapMagic.nanoseconds || magic === PcapMagic.nanosecondsSwapped;
  const major = view.getUint16(pos + 4, littleEndian);
  const minor = view.getUint16(pos + 6, littleEndian);
  if (major !== 2) {
    throw new FlowlabError(
      ErrorCode.unknownFormat,
      `Unsupported pcap version ${major}.${minor} at offset ${hexOffset(pos + 4)}: expected major version 2`,
    );
  }
  const snapLength = view.getUint32(pos + 16, littleEndian);
  const linkTypeField = view.getUint32(pos + 20, littleEndian);
  const context: PcapFileHeader['context'] = {
    linkType: linkTypeField & LINK_TYPE_MASK,
    nanoseconds,
    snapLength,
  };
  // libpcap sf-pcap.c: before 2.3 the record header held orig_len before incl_len; 2.3 files
  // were written both ways, so swap only when incl_len > orig_len.
  if (minor < 3) context.lengthFieldOrder = 'swapped';
  else if (minor === 3) context.lengthFieldOrder = 'ambiguous';
  const header: PcapFileHeader = { littleEndian, context };
  const reserved = (linkTypeField & LINK_TYPE_RESERVED_MASK) >>> 0;
  if (reserved !== 0) {
    header.warning =
      `pcap header at offset ${hexOffset(pos + 20)}: link-type field 0x${hex8(linkTypeField)} has reserved bits ` +
      `0x${hex8(reserved)} set (must be zero); using link type ${context.linkType}`;
  }
  return header;
}

function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/**
 * incl_len of the record header at `pos`, honouring the file's length-field order
 * (pcap-savefile(5): incl_len at +8, orig_len at +12).
 */
export function pcapCapturedLength(
  view: DataView,
  pos: number,
  littleEndian: boolean,
  order: PcapFileHeader['context']['lengthFieldOrder'],
): number {
  const first = view.getUint32(pos + 8, littleEndian);
  if (order === undefined) return first;
  const second = view.getUint32(pos + 12, littleEndian);
  if (order === 'swapped' || first > second) return second;
  return first;
}
