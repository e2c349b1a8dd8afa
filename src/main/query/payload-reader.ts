/**
 * Reads the first payload bytes of a few packets straight from the capture file, at the record
 * offsets in the packet index (no schema change: the record header is read to find where the
 * packet data starts). Compressed captures cannot be read at an offset and get a note instead.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** What the index says about a packet whose payload is wanted. */
export interface PayloadPacket {
  packetNumber: number;
  direction: 0 | 1;
  fileOffset: number;
  capturedLength: number;
  frameLength: number;
  payloadLength: number;
  linkType: number;
  vlanId: number;
  ipLength: number;
}

export interface PayloadResult {
  payload: { packetNumber: number; direction: 0 | 1; bytes: number[] }[];
  note?: string;
}

const PCAPNG_SECTION_HEADER = 0x0a0d0d0a;
const LINKTYPE_ETHERNET = 1;
const ETHERNET_MINIMUM_FRAME = 60;

/**
 * The transport payload of each packet, at most `maxBytes` each. The payload is the
 * `payloadLength` bytes that end the IP datagram: at the end of the frame, except for Ethernet
 * frames padded to the 60-byte minimum, where it ends at link header + IP length.
 */
export async function readPayloads(
  capture: { path: string; compressed: boolean; sizeBytes: number },
  packets: readonly PayloadPacket[],
  maxBytes = 256,
): Promise<PayloadResult> {
  if (capture.compressed || /\.gz$/i.test(capture.path)) {
    return {
      payload: [],
      note: 'Payload bytes are not shown for compressed captures: a .gz file cannot be read at an offset',
    };
  }
  if (!packets.length) return { payload: [] };
  let file: FileHandle;
  try {
    file = await open(capture.path, 'r');
  } catch (error) {
    return {
      payload: [],
      note: `Capture file ${capture.path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    };
  }
  try {
    const { size } = await file.stat();
    if (size !== capture.sizeBytes) {
      return {
        payload: [],
        note: `Capture file ${capture.path} has changed since it was ingested (${size} bytes, was ${capture.sizeBytes})`,
      };
    }
    const magic = await readAt(file, 0, 4);
    if (magic.length < 4) return { payload: [], note: `Capture file ${capture.path} is too short` };
    const magicBigEndian = magic.readUInt32BE(0);
    const isPcapng = magicBigEndian === PCAPNG_SECTION_HEADER;
    // pcap-savefile(5): a1b2c3d4 / a1b23c4d read big-endian means a big-endian file.
    const pcapLittleEndian = magicBigEndian === 0xd4c3b2a1 || magicBigEndian === 0x4d3cb2a1;
    const payload: PayloadResult['payload'] = [];
    let skipped = 0;
    for (const packet of packets) {
      const dataStart = await dataOffset(file, packet, isPcapng, pcapLittleEndian);
      if (dataStart === undefined) {
        skipped++;
        continue;
      }
      const [start, end] = payloadRange(packet);
      const wanted = Math.min(end - start, maxBytes);
      const bytes = wanted > 0 ? await readAt(file, dataStart + start, wanted) : Buffer.alloc(0);
      payload.push({
        packetNumber: packet.packetNumber,
        direction: packet.direction,
        bytes: Array.from(bytes),
      });
    }
    return skipped
      ? { payload, note: `${skipped} record(s) did not match the packet index at their offset` }
      : { payload };
  } finally {
    await file.close();
  }
}

/** File offset of the packet data, checking the record header against the index. */
async function dataOffset(
  file: FileHandle,
  packet: PayloadPacket,
  isPcapng: boolean,
  pcapLittleEndian: boolean,
): Promise<number | undefined> {
  const header = await readAt(file, packet.fileOffset, 28);
  if (!isPcapng) {
    // pcap-savefile(5): ts_sec, ts_usec, incl_len, orig_len; data follows the 16-byte header.
    if (header.length < 16) return undefined;
    const included = pcapLittleEndian ? header.readUInt32LE(8) : header.readUInt32BE(8);
    return included === packet.capturedLength ? packet.fileOffset + 16 : undefined;
  }
  if (header.length < 12) return undefined;
  const littleEndian = [2, 3, 6].includes(header.readUInt32LE(0));
  const type = littleEndian ? header.readUInt32LE(0) : header.readUInt32BE(0);
  const u32 = (at: number) => (littleEndian ? header.readUInt32LE(at) : header.readUInt32BE(at));
  switch (type) {
    case 6: // pcapng 4.3 EPB: type, length, interface, ts high, ts low, captured, original, data
    case 2: // pcapng appendix A (obsolete PB): same layout with interface/drops as two 16-bit fields
      if (header.length < 28) return undefined;
      return u32(20) === packet.capturedLength ? packet.fileOffset + 28 : undefined;
    case 3: // pcapng 4.4 SPB: type, length, original length, data
      return packet.fileOffset + 12;
    default:
      return undefined;
  }
}

/** [start, end) of the transport payload within the captured frame bytes. */
function payloadRange(packet: PayloadPacket): [number, number] {
  let datagramEnd = packet.frameLength;
  if (
    packet.linkType === LINKTYPE_ETHERNET &&
    packet.frameLength <= ETHERNET_MINIMUM_FRAME &&
    packet.ipLength > 0
  ) {
    // IEEE 802.3 pads short frames: the datagram ends at the 14-byte header (+4 with an 802.1Q tag) + IP length.
    datagramEnd = Math.min(packet.frameLength, 14 + (packet.vlanId ? 4 : 0) + packet.ipLength);
  }
  const start = Math.max(0, datagramEnd - packet.payloadLength);
  return [start, Math.min(datagramEnd, packet.capturedLength)];
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
