/**
 * A small independent reader of pcap/pcapng files for the carving tests: every packet with its
 * raw record bytes, timestamp (in its own units) and packet bytes. pcapng SHB/IDB are parsed for
 * byte order and if_tsresol so timestamps from different writers compare in nanoseconds.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface ReadPacket {
  /** The whole record (pcap: header + data; pcapng: the block). */
  record: Buffer;
  timestampNs: bigint;
  capturedLength: number;
  originalLength: number;
  data: Buffer;
  linkType: number;
}

export function fileBytes(file: string): Buffer {
  const bytes = readFileSync(file);
  return file.endsWith('.gz') ? gunzipSync(bytes) : bytes;
}

export function readCaptureRecords(bytes: Buffer): ReadPacket[] {
  return bytes.readUInt32BE(0) === 0x0a0d0d0a ? readPcapng(bytes) : readPcap(bytes);
}

function readPcap(bytes: Buffer): ReadPacket[] {
  const little = bytes.readUInt32LE(0) === 0xa1b2c3d4 || bytes.readUInt32LE(0) === 0xa1b23c4d;
  const magic = little ? bytes.readUInt32LE(0) : bytes.readUInt32BE(0);
  const nano = magic === 0xa1b23c4d;
  const u32 = (at: number) => (little ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const linkType = u32(20) & 0xffff;
  const packets: ReadPacket[] = [];
  for (let pos = 24; pos + 16 <= bytes.length; ) {
    const captured = u32(pos + 8);
    packets.push({
      record: bytes.subarray(pos, pos + 16 + captured),
      timestampNs: BigInt(u32(pos)) * 1_000_000_000n + BigInt(u32(pos + 4)) * (nano ? 1n : 1000n),
      capturedLength: captured,
      originalLength: u32(pos + 12),
      data: bytes.subarray(pos + 16, pos + 16 + captured),
      linkType,
    });
    pos += 16 + captured;
  }
  return packets;
}

function readPcapng(bytes: Buffer): ReadPacket[] {
  let little = true;
  let interfaces: { linkType: number; unitsPerSecond: bigint }[] = [];
  const packets: ReadPacket[] = [];
  for (let pos = 0; pos + 12 <= bytes.length; ) {
    if (bytes.readUInt32LE(pos) === 0x0a0d0d0a) {
      little = bytes.readUInt32LE(pos + 8) === 0x1a2b3c4d;
      interfaces = [];
    }
    const u32 = (at: number) => (little ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
    const u16 = (at: number) => (little ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
    const type = u32(pos);
    const length = u32(pos + 4);
    if (type === 1) {
      let unitsPerSecond = 1_000_000n;
      for (let at = pos + 16; at + 4 <= pos + length - 4; ) {
        const code = u16(at);
        const optionLength = u16(at + 2);
        if (code === 0) break;
        if (code === 9) {
          const value = bytes[at + 4]!;
          unitsPerSecond = value & 0x80 ? 2n ** BigInt(value & 0x7f) : 10n ** BigInt(value);
        }
        at += 4 + ((optionLength + 3) & ~3);
      }
      interfaces.push({ linkType: u16(pos + 8), unitsPerSecond });
    } else if (type === 6) {
      const iface = interfaces[u32(pos + 8)]!;
      const units = (BigInt(u32(pos + 12)) << 32n) | BigInt(u32(pos + 16));
      const captured = u32(pos + 20);
      packets.push({
        record: bytes.subarray(pos, pos + length),
        timestampNs: (units * 1_000_000_000n) / iface.unitsPerSecond,
        capturedLength: captured,
        originalLength: u32(pos + 24),
        data: bytes.subarray(pos + 28, pos + 28 + captured),
        linkType: iface.linkType,
      });
    } else if (type === 3) {
      const original = u32(pos + 8);
      const captured = Math.min(original, length - 16);
      packets.push({
        record: bytes.subarray(pos, pos + length),
        timestampNs: 0n,
        capturedLength: captured,
        originalLength: original,
        data: bytes.subarray(pos + 12, pos + 12 + captured),
        linkType: interfaces[0]?.linkType ?? -1,
      });
    }
    pos += length;
  }
  return packets;
}
