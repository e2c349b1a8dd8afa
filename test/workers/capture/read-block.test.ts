/**
 * readBlockRecords on hand-built blocks: record-level columns, the arguments handed to the
 * decoder, skipped non-packet blocks, pcap length-field orders.
 */
import { describe, expect, it } from 'vitest';
import type { CaptureBlock, InterfaceInfo } from '../../../src/shared/capture-block';
import { createPacketBatch, type PacketBatch } from '../../../src/shared/packet-batch';
import { readBlockRecords } from '../../../src/workers/capture/read-block';
import * as build from '../../main/framer/build-capture';

interface DecodeCall {
  start: number;
  length: number;
  linkType: number;
  row: number;
  firstByte: number | undefined;
}

function read(
  block: CaptureBlock,
  capacity = block.packetCount,
): { batch: PacketBatch; calls: DecodeCall[] } {
  const batch = createPacketBatch(capacity, block.firstPacketNumber);
  const calls: DecodeCall[] = [];
  readBlockRecords(block, batch, (bytes, start, length, linkType, target, row) => {
    expect(target).toBe(batch);
    expect(bytes).toBe(block.bytes);
    calls.push({ start, length, linkType, row, firstByte: length > 0 ? bytes[start] : undefined });
  });
  return { batch, calls };
}

function column(
  batch: PacketBatch,
  name:
    | 'tsSec'
    | 'tsNsec'
    | 'fileOffset'
    | 'recordLength'
    | 'interfaceId'
    | 'linkType'
    | 'frameLength'
    | 'capturedLength'
    | 'dataOffset',
): number[] {
  return Array.from(batch[name].subarray(0, batch.count));
}

function pcapBlock(
  bytes: Uint8Array,
  packetCount: number,
  pcap: CaptureBlock['pcap'],
  littleEndian = true,
): CaptureBlock {
  return {
    sequence: 0,
    format: 'pcap',
    littleEndian,
    bytes,
    baseOffset: 24,
    firstPacketNumber: 1,
    packetCount,
    pcap,
  };
}

describe('pcap blocks', () => {
  it('fills the columns and decodes the data of each record', () => {
    const first = build.pcapRecord(1700000000, 999999, build.payload(60), false, { first: 60, second: 1514 });
    const second = build.pcapRecord(1700000001, 5, Uint8Array.of(9, 8, 7), false);
    const block = pcapBlock(
      build.concat(first, second),
      2,
      { linkType: 1, nanoseconds: false, snapLength: 60 },
      false,
    );
    const { batch, calls } = read(block);
    expect(batch.count).toBe(2);
    expect(column(batch, 'tsSec')).toEqual([1700000000, 1700000001]);
    expect(column(batch, 'tsNsec')).toEqual([999999000, 5000]);
    expect(column(batch, 'fileOffset')).toEqual([24, 24 + 76]);
    expect(column(batch, 'recordLength')).toEqual([76, 19]);
    expect(column(batch, 'frameLength')).toEqual([1514, 3]);
    expect(column(batch, 'capturedLength')).toEqual([60, 3]);
    expect(column(batch, 'dataOffset')).toEqual([16, 16]);
    expect(column(batch, 'linkType')).toEqual([1, 1]);
    expect(calls).toEqual([
      { start: 16, length: 60, linkType: 1, row: 0, firstByte: 0 },
      { start: 92, length: 3, linkType: 1, row: 1, firstByte: 9 },
    ]);
  });

  it('nanosecond fields and a sub-second field past one second', () => {
    const bytes = build.concat(
      build.pcapRecord(10, 999999999, build.payload(4)),
      build.pcapRecord(10, 2500000000, build.payload(4)),
    );
    const { batch } = read(pcapBlock(bytes, 2, { linkType: 101, nanoseconds: true, snapLength: 0 }));
    expect(column(batch, 'tsSec')).toEqual([10, 12]); // 2.5e9 ns carried: 12 s + 500000000 ns
    expect(column(batch, 'tsNsec')).toEqual([999999999, 500000000]);
  });

  it('swapped and ambiguous length-field orders (pcap 2.2 / 2.3)', () => {
    const record = build.pcapRecord(1, 0, build.payload(40), true, { first: 100, second: 40 });
    const swapped = read(
      pcapBlock(record, 1, { linkType: 1, nanoseconds: false, snapLength: 0, lengthFieldOrder: 'swapped' }),
    ).batch;
    expect([column(swapped, 'frameLength'), column(swapped, 'capturedLength')]).toEqual([[100], [40]]);
    const ambiguous = read(
      pcapBlock(record, 1, { linkType: 1, nanoseconds: false, snapLength: 0, lengthFieldOrder: 'ambiguous' }),
    ).batch;
    expect([column(ambiguous, 'frameLength'), column(ambiguous, 'capturedLength')]).toEqual([[100], [40]]);
  });

  it('writes no row past the batch capacity', () => {
    const bytes = build.concat(
      build.pcapRecord(1, 0, build.payload(4)),
      build.pcapRecord(2, 0, build.payload(4)),
    );
    const { batch, calls } = read(pcapBlock(bytes, 2, { linkType: 1, nanoseconds: false, snapLength: 0 }), 1);
    expect(batch.count).toBe(1);
    expect(calls).toHaveLength(1);
  });
});

describe('pcapng blocks', () => {
  const interfaces: InterfaceInfo[] = [
    { linkType: 1, snapLength: 50, unitsPerSecond: 1e6, offsetSeconds: 0 },
    { linkType: 113, snapLength: 0, unitsPerSecond: 1e9, offsetSeconds: -3600 },
  ];
  const parts = [
    // EPB on interface 1 (ns, offset -3600 s), empty data: 1700003600000000042 ns =
    // 0x1797a04466e2a02a -> 1700003600 s + 42 ns, minus 3600 s.
    build.enhancedPacket(1, 0x1797a044, 0x66e2a02a, build.payload(0), false),
    build.interfaceDescription(1, 0, false), // an IDB inside the block: skipped
    build.pcapngBlock(4, new Uint8Array(8), false), // NRB: skipped
    // SPB: original 80, 64 bytes in the block, interface 0 snaplen 50 -> captured min(80, 64, 50) = 50.
    build.simplePacket(80, build.payload(64), false),
    build.obsoletePacket(0, 0, 3000001, Uint8Array.of(7, 7, 7), false), // 3.000001 s
    build.enhancedPacket(0, 0, 1, Uint8Array.of(5), false, {
      originalLength: 60,
      options: build.concat(build.option(1, [120, 121, 122], false), new Uint8Array(4)),
    }),
  ];
  const bytes = build.concat(...parts);
  const offsets = parts.map((_, i) => 1000 + parts.slice(0, i).reduce((sum, part) => sum + part.length, 0));
  const block: CaptureBlock = {
    sequence: 3,
    format: 'pcapng',
    littleEndian: false,
    bytes,
    baseOffset: 1000,
    firstPacketNumber: 41,
    packetCount: 4,
    interfaces,
  };

  it('reads EPB, SPB and PB, skips the rest, ignores EPB options', () => {
    const { batch, calls } = read(block);
    expect(batch.count).toBe(4);
    expect(column(batch, 'tsSec')).toEqual([1700000000, 0, 3, 0]);
    expect(column(batch, 'tsNsec')).toEqual([42, 0, 1000, 1000]);
    expect(column(batch, 'interfaceId')).toEqual([1, 0, 0, 0]);
    expect(column(batch, 'linkType')).toEqual([113, 1, 1, 1]);
    expect(column(batch, 'frameLength')).toEqual([0, 80, 3, 60]);
    expect(column(batch, 'capturedLength')).toEqual([0, 50, 3, 1]);
    expect(column(batch, 'dataOffset')).toEqual([28, 12, 28, 28]);
    expect(column(batch, 'fileOffset')).toEqual([offsets[0], offsets[3], offsets[4], offsets[5]]);
    expect(column(batch, 'recordLength')).toEqual([32, 80, 36, 48]); // PB: 12 + 20 + 3 data padded to 4
    expect(calls.map((call) => [call.start, call.length, call.linkType, call.row, call.firstByte])).toEqual([
      [28, 0, 113, 0, undefined],
      [offsets[3]! - 1000 + 12, 50, 1, 1, 0],
      [offsets[4]! - 1000 + 28, 3, 1, 2, 7],
      [offsets[5]! - 1000 + 28, 1, 1, 3, 5],
    ]);
  });
});
