/**
 * Record-level columns of a pcapng block (draft-ietf-opsawg-pcapng). Packet records:
 *   EPB (4.3)  type 6: interface(4) ts_high(4) ts_low(4) captured(4) original(4) data options
 *   PB  (A)    type 2: interface(2) drops(2) ts_high(4) ts_low(4) captured(4) original(4) data options
 *   SPB (4.4)  type 3: original(4) data, interface 0, no time stamp
 *   custom (4.8) types 0x0BAD/0x40000BAD: PEN(4) data; indexed as a frame of the data's length, not decoded
 * Every other block (IDB, NRB, ISB, DSB, unknown) is skipped; EPB/PB options are ignored.
 */
import type { CaptureBlock, InterfaceInfo } from '../../shared/capture-block';
import { DecodeStatus } from '../../shared/packet-batch';
import type { PacketBatch } from '../../shared/packet-batch';
import type { DecodePacketFn } from '../decode-packet-fn';
import { splitTimestamp, timestampResolutionOf } from './split-timestamp';
import type { TimestampParts } from './split-timestamp';

const ENHANCED_PACKET = 6;
const SIMPLE_PACKET = 3;
const OBSOLETE_PACKET = 2;
/** pcapng 4.8 custom blocks, indexed as frame records as Wireshark lists them. */
const CUSTOM_COPIABLE = 0x00000bad;
const CUSTOM_NON_COPIABLE = 0x40000bad;
const PACKET_DATA_OFFSET = 28;
const SIMPLE_PACKET_DATA_OFFSET = 12;
/** SPB: type, length, original length, trailing length. */
const SIMPLE_PACKET_OVERHEAD = 16;
const TWO_32 = 4294967296;

/** Reused for every packet: the split writes here. */
const parts: TimestampParts = { seconds: 0, nanoseconds: 0 };

/** Per-interface constants of one block, looked up by interface id in the loop. */
interface InterfaceClocks {
  exponent: Int32Array;
  /** 1 = 2^-n units, 0 = 10^-n units, 2 = neither (float fallback). */
  kind: Uint8Array;
  unitsPerSecond: Float64Array;
  offsetSeconds: Float64Array;
}

function interfaceClocks(interfaces: readonly InterfaceInfo[]): InterfaceClocks {
  const count = interfaces.length;
  const clocks: InterfaceClocks = {
    exponent: new Int32Array(count),
    kind: new Uint8Array(count),
    unitsPerSecond: new Float64Array(count),
    offsetSeconds: new Float64Array(count),
  };
  for (let i = 0; i < count; i++) {
    const info = interfaces[i]!;
    const resolution = timestampResolutionOf(info.unitsPerSecond);
    clocks.exponent[i] = resolution?.exponent ?? 0;
    clocks.kind[i] = resolution === undefined ? 2 : resolution.binary ? 1 : 0;
    clocks.unitsPerSecond[i] = info.unitsPerSecond;
    clocks.offsetSeconds[i] = info.offsetSeconds;
  }
  return clocks;
}

/** Splits into `parts`; approximate only for a resolution no IDB option can express. */
function splitWithClock(high: number, low: number, clocks: InterfaceClocks, interfaceId: number): void {
  const kind = clocks.kind[interfaceId]!;
  if (kind !== 2) {
    splitTimestamp(high, low, clocks.exponent[interfaceId]!, kind === 1, parts);
  } else {
    const units = clocks.unitsPerSecond[interfaceId]!;
    const total = high * TWO_32 + low;
    parts.seconds = Math.floor(total / units);
    parts.nanoseconds = Math.min(
      999999999,
      Math.max(0, Math.floor(((total - parts.seconds * units) * 1e9) / units)),
    );
  }
  parts.seconds += clocks.offsetSeconds[interfaceId]!;
}

/** Fills one batch row per packet block of `block` (a pcapng block) and decodes each packet. */
export function readPcapngRecords(block: CaptureBlock, batch: PacketBatch, decode: DecodePacketFn): void {
  const { bytes, littleEndian } = block;
  const interfaces = block.interfaces ?? [];
  const clocks = interfaceClocks(interfaces);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Columns in locals: one property lookup per block, not per packet.
  const { tsSec, tsNsec, fileOffset, recordLength, interfaceId: interfaceIds, linkType: linkTypes } = batch;
  const { frameLength: frameLengths, capturedLength: capturedLengths, dataOffset: dataOffsets } = batch;
  const baseOffset = block.baseOffset;
  const capacity = tsSec.length;
  let row = batch.count;
  let pos = 0;
  while (pos + 12 <= bytes.length && row < capacity) {
    const type = view.getUint32(pos, littleEndian);
    const blockLength = view.getUint32(pos + 4, littleEndian);
    if (blockLength < 12 || pos + blockLength > bytes.length) break; // the framer validated; defensive only
    let interfaceId: number;
    let capturedLength: number;
    let frameLength: number;
    let dataOffset: number;
    if (type === ENHANCED_PACKET || type === OBSOLETE_PACKET) {
      interfaceId =
        type === ENHANCED_PACKET
          ? view.getUint32(pos + 8, littleEndian)
          : view.getUint16(pos + 8, littleEndian);
      capturedLength = view.getUint32(pos + 20, littleEndian);
      frameLength = view.getUint32(pos + 24, littleEndian);
      dataOffset = PACKET_DATA_OFFSET;
      if (interfaceId >= interfaces.length || dataOffset + capturedLength + 4 > blockLength) break;
      splitWithClock(
        view.getUint32(pos + 12, littleEndian),
        view.getUint32(pos + 16, littleEndian),
        clocks,
        interfaceId,
      );
    } else if (type === SIMPLE_PACKET) {
      if (interfaces.length === 0 || blockLength < SIMPLE_PACKET_OVERHEAD) break;
      interfaceId = 0;
      frameLength = view.getUint32(pos + 8, littleEndian);
      // pcapng 4.4: captured = min(original length, room in the block, interface 0 snaplen if set).
      const snapLength = interfaces[0]!.snapLength;
      capturedLength = Math.min(frameLength, blockLength - SIMPLE_PACKET_OVERHEAD);
      if (snapLength > 0 && capturedLength > snapLength) capturedLength = snapLength;
      dataOffset = SIMPLE_PACKET_DATA_OFFSET;
      // An SPB has no time stamp; 0 stands for "none" (Wireshark shows none either), and a
      // block cannot borrow its predecessor's, which may sit in another block.
      parts.seconds = 0;
      parts.nanoseconds = 0;
    } else if (type === CUSTOM_COPIABLE || type === CUSTOM_NON_COPIABLE) {
      // Wireshark shows a custom block as a frame, without time, of its length after the
      // 4-byte Private Enterprise Number (pcapng 4.8: type, length, PEN, data, trailing length).
      const customLength = Math.max(0, blockLength - 16);
      tsSec[row] = 0;
      tsNsec[row] = 0;
      fileOffset[row] = baseOffset + pos;
      recordLength[row] = blockLength;
      interfaceIds[row] = 0;
      linkTypes[row] = 0;
      frameLengths[row] = customLength;
      capturedLengths[row] = customLength;
      dataOffsets[row] = 12;
      batch.decodeStatus[row] = DecodeStatus.customBlock;
      row++;
      batch.count = row;
      pos += blockLength;
      continue;
    } else {
      pos += blockLength;
      continue;
    }
    const linkType = interfaces[interfaceId]!.linkType;
    tsSec[row] = parts.seconds;
    tsNsec[row] = parts.nanoseconds;
    fileOffset[row] = baseOffset + pos;
    recordLength[row] = blockLength;
    interfaceIds[row] = interfaceId;
    linkTypes[row] = linkType;
    frameLengths[row] = frameLength;
    capturedLengths[row] = capturedLength;
    dataOffsets[row] = dataOffset;
    decode(bytes, pos + dataOffset, capturedLength, linkType, batch, row);
    row++;
    batch.count = row;
    pos += blockLength;
  }
}
