/**
 * pcapng blocks the framer reads itself (draft-ietf-opsawg-pcapng): section headers (4.1) for
 * byte order and version, interface descriptions (4.2) for the interface table, and the length
 * rules every block obeys (3.1).
 */
import type { InterfaceInfo } from '../../../shared/capture-block';
import { MAX_BLOCK_LENGTH, maxCapturedLength } from './max-captured-length';

/** pcapng 3.2 block types. */
export const BlockType = {
  sectionHeader: 0x0a0d0d0a,
  interfaceDescription: 0x00000001,
  /** Appendix A: obsolete Packet Block. */
  packet: 0x00000002,
  simplePacket: 0x00000003,
  enhancedPacket: 0x00000006,
  /** 4.8 Custom Block that may be copied / must not be copied. */
  customCopiable: 0x00000bad,
  customNonCopiable: 0x40000bad,
} as const;

/** pcapng 4.1: byte-order magic, read big-endian. */
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;

/** Fixed part of each block, type + length + body + trailing length (pcapng 4.1-4.4, A). */
export function minimumBlockLength(type: number): number {
  switch (type) {
    case BlockType.sectionHeader:
      return 28;
    case BlockType.interfaceDescription:
      return 20;
    case BlockType.enhancedPacket:
    case BlockType.packet:
      return 32;
    case BlockType.simplePacket:
      return 16;
    default:
      return 12;
  }
}

/** True for blocks that carry a packet (EPB, SPB, obsolete PB). */
export function isPacketBlock(type: number): boolean {
  return type === BlockType.enhancedPacket || type === BlockType.simplePacket || type === BlockType.packet;
}

/**
 * True for blocks indexed as frame records: packet blocks, and custom blocks, which Wireshark
 * lists as frames (so packet counts and byte totals match tshark's).
 */
export function isFrameRecordBlock(type: number): boolean {
  return isPacketBlock(type) || type === BlockType.customCopiable || type === BlockType.customNonCopiable;
}

/**
 * pcapng 4.1: the byte order of a section from its SHB byte-order magic at `pos + 8`;
 * undefined when the magic is neither order.
 */
export function sectionByteOrder(view: DataView, pos: number): boolean | undefined {
  const magic = view.getUint32(pos + 8, false);
  if (magic === BYTE_ORDER_MAGIC) return false;
  if (magic === BYTE_ORDER_MAGIC_SWAPPED) return true;
  return undefined;
}

/**
 * pcapng 3.1: Block Total Length is at least 12, a multiple of 4, at least the block type's
 * fixed part; plus our sanity cap. Returns what is wrong, or undefined.
 */
export function blockLengthProblem(type: number, length: number): string | undefined {
  const name = `block of type 0x${type.toString(16)}`;
  if (length % 4 !== 0) return `${name} claims total length ${length}, not a multiple of 4`;
  const minimum = minimumBlockLength(type);
  if (length < minimum) return `${name} claims total length ${length} (min ${minimum})`;
  if (length > MAX_BLOCK_LENGTH) return `${name} claims total length ${length} (max ${MAX_BLOCK_LENGTH})`;
  return undefined;
}

/** pcapng 4.3 / appendix A: EPB and PB fixed fields up to the packet data. */
const PACKET_BLOCK_HEADER_LENGTH = 28;

/** Damage found by measureBlock; `blockType` is set for blocks that are not packets. */
export interface BlockProblem {
  reason: string;
  blockType: number | undefined;
}

/**
 * Bytes the block at `pos` needs: 12 or 28 while the header fields are incomplete, else its
 * total length, validated per pcapng 3.1 plus the EPB/PB/SPB fields the reader relies on
 * (4.3, 4.4, A). A new section's SHB is read in its own byte order (4.1).
 */
export function measureBlock(
  view: DataView,
  pos: number,
  available: number,
  sectionLittleEndian: boolean,
  interfaces: readonly InterfaceInfo[],
): number | BlockProblem {
  if (available < 12) return 12;
  let littleEndian = sectionLittleEndian;
  const type = view.getUint32(pos, littleEndian);
  const packetBlock = isPacketBlock(type);
  if (type === BlockType.sectionHeader) {
    const order = sectionByteOrder(view, pos);
    if (order === undefined)
      return { reason: 'Section Header Block without the byte-order magic 1a2b3c4d', blockType: type };
    littleEndian = order;
  }
  const length = view.getUint32(pos + 4, littleEndian);
  const problem = blockLengthProblem(type, length);
  if (problem) return { reason: problem, blockType: packetBlock ? undefined : type };
  if (!packetBlock) return length;
  if (type !== BlockType.simplePacket && available < PACKET_BLOCK_HEADER_LENGTH)
    return PACKET_BLOCK_HEADER_LENGTH;
  const packetProblem = packetBlockProblem(view, pos, type, length, littleEndian, interfaces);
  return packetProblem ? { reason: packetProblem, blockType: undefined } : length;
}

/**
 * What is wrong with a packet block's fields the reader relies on, or undefined (the block
 * header is validated). EPB (4.3) and PB (appendix A) need 28 bytes at `pos`: the interface
 * must exist, the captured length must be sane and fit the block. An SPB (4.4) needs interface 0.
 */
export function packetBlockProblem(
  view: DataView,
  pos: number,
  type: number,
  length: number,
  littleEndian: boolean,
  interfaces: readonly InterfaceInfo[],
): string | undefined {
  if (type === BlockType.simplePacket) {
    return interfaces.length === 0
      ? 'Simple Packet Block before any Interface Description Block (pcapng 4.4 needs interface 0)'
      : undefined;
  }
  const interfaceId =
    type === BlockType.enhancedPacket
      ? view.getUint32(pos + 8, littleEndian)
      : view.getUint16(pos + 8, littleEndian);
  if (interfaceId >= interfaces.length) {
    return `packet refers to interface ${interfaceId}, but the section has ${interfaces.length} interface(s)`;
  }
  const captured = view.getUint32(pos + 20, littleEndian);
  const max = maxCapturedLength(interfaces[interfaceId]!.linkType);
  if (captured > max) return `block claims ${captured} captured bytes (max ${max})`;
  if (captured > length - 32)
    return `block total length ${length} is too small for ${captured} captured bytes`;
  return undefined;
}

/**
 * pcapng 4.1: "version X.Y" when the section's version is not one we read (1.0 is current;
 * 1.2 was written by old tools and Wireshark reads it), else undefined.
 */
export function unsupportedSectionVersion(
  view: DataView,
  pos: number,
  littleEndian: boolean,
): string | undefined {
  const major = view.getUint16(pos + 12, littleEndian);
  const minor = view.getUint16(pos + 14, littleEndian);
  if (major === 1 && (minor === 0 || minor === 2)) return undefined;
  return `version ${major}.${minor}`;
}

/**
 * pcapng 3.5: walks the options between `start` and `end` (the trailing length), calling `visit`
 * for each until opt_endofopt. Returns a description of an option that overruns the block.
 */
export function walkOptions(
  view: DataView,
  start: number,
  end: number,
  littleEndian: boolean,
  visit: (code: number, valueStart: number, valueLength: number) => void,
): string | undefined {
  let pos = start;
  while (pos + 4 <= end) {
    const code = view.getUint16(pos, littleEndian);
    const length = view.getUint16(pos + 2, littleEndian);
    if (code === 0) return undefined;
    if (pos + 4 + length > end) {
      return `option ${code} claims ${length} bytes, only ${end - pos - 4} remain in the block`;
    }
    visit(code, pos + 4, length);
    pos += 4 + ((length + 3) & ~3);
  }
  return undefined;
}

/** pcapng 4.2 IDB options. */
const IF_NAME = 2;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

const utf8 = new TextDecoder('utf-8');

/**
 * pcapng 4.2 Interface Description Block at `pos` (whole block present, length validated):
 * LinkType(2) Reserved(2) SnapLen(4) options. `if_tsresol`: high bit clear = 10^-n seconds,
 * set = 2^-n (default 10^-6); `if_tsoffset`: signed seconds added to every time stamp.
 */
export function readInterfaceDescription(
  bytes: Uint8Array,
  view: DataView,
  pos: number,
  length: number,
  littleEndian: boolean,
): { info: InterfaceInfo; problems: string[] } {
  const info: InterfaceInfo = {
    linkType: view.getUint16(pos + 8, littleEndian),
    snapLength: view.getUint32(pos + 12, littleEndian),
    unitsPerSecond: 1e6,
    offsetSeconds: 0,
  };
  const problems: string[] = [];
  const overrun = walkOptions(
    view,
    pos + 16,
    pos + length - 4,
    littleEndian,
    (code, valueStart, valueLength) => {
      if (code === IF_NAME) {
        info.name = utf8.decode(bytes.subarray(valueStart, valueStart + valueLength)).replace(/\0+$/, '');
      } else if (code === IF_TSRESOL && valueLength >= 1) {
        const resolution = bytes[valueStart]!;
        const units = unitsPerSecondOf(resolution);
        if (units === undefined)
          problems.push(`if_tsresol 0x${resolution.toString(16)} is unsupported; using microseconds`);
        else info.unitsPerSecond = units;
      } else if (code === IF_TSOFFSET && valueLength >= 8) {
        // Signed 64-bit integer in the section's byte order, as two 32-bit halves (exact below 2^53).
        const high = view.getInt32(valueStart + (littleEndian ? 4 : 0), littleEndian);
        const low = view.getUint32(valueStart + (littleEndian ? 0 : 4), littleEndian);
        info.offsetSeconds = high * 4294967296 + low;
      }
    },
  );
  if (overrun) problems.push(`${overrun}; the remaining options are ignored`);
  return { info, problems };
}

/**
 * pcapng 4.2 if_tsresol: units per second, or undefined beyond what a 64-bit time stamp can
 * mean (Wireshark likewise accepts 10^-0..10^-19 and 2^-0..2^-63).
 */
export function unitsPerSecondOf(resolution: number): number | undefined {
  const exponent = resolution & 0x7f;
  const base = resolution & 0x80 ? 2 : 10;
  if (exponent > (base === 2 ? 63 : 19)) return undefined;
  // Repeated multiplication stays exact (every power here is a representable double).
  let units = 1;
  for (let i = 0; i < exponent; i++) units *= base;
  return units;
}
