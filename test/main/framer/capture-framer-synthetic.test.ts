/**
 * Hand-built captures for what the fixtures lack: 2^-n and millisecond if_tsresol, if_tsoffset,
 * obsolete Packet Blocks, an IDB after packets, SPB snap lengths, and one damaged record of each
 * kind. Expected values are computed by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, FlowlabError } from '../../../src/shared/errors';
import { CaptureFramer } from '../../../src/main/ingest/framer/capture-framer';
import * as build from './build-capture';
import { frameBytes } from './frame-capture';

/** 64-bit time stamp -> [high, low] 32-bit halves (test input only). */
function halves(units: bigint): [number, number] {
  return [Number(units >> 32n), Number(units & 0xffffffffn)];
}

const DATA = build.payload(40);

describe('pcapng interface options, block kinds and sections', () => {
  // Section 1 (little-endian): IDB0 Ethernet, if_tsresol 0x94 = 2^-20 s, if_tsoffset 1000 s;
  // IDB1 RAW (101), snaplen 64, if_tsresol 3 = ms.
  const section1 = [
    build.sectionHeader(true),
    build.interfaceDescription(1, 0, true, { tsresol: 0x94, tsoffset: [0, 1000] }),
    build.interfaceDescription(101, 64, true, { tsresol: 3 }),
    // 1700000000 s + 2^19 units (0.5 s) -> 1700000000 + 1000 offset = 1700001000 s, 500000000 ns.
    build.enhancedPacket(0, ...halves(1700000000n * 2n ** 20n + 2n ** 19n), DATA),
    // 1700000000123 ms -> 1700000000 s, 123000000 ns.
    build.enhancedPacket(1, ...halves(1700000000123n), DATA, true, { originalLength: 1500 }),
    // PB: 5 * 2^20 + 1 units -> 5 + 1000 s, floor(10^9 / 2^20) = 953 ns.
    build.obsoletePacket(0, ...halves(5n * 2n ** 20n + 1n), DATA),
    // SPB: original 100, 100 bytes; interface 0 snaplen 0 -> captured 100; no time stamp.
    build.simplePacket(100, build.payload(100)),
    build.pcapngBlock(0xbad, build.payload(8)), // custom block: a frame of 4 bytes (after its PEN), like tshark
    build.pcapngBlock(5, new Uint8Array(16)), // ISB: skipped
    // IDB2 after packets: NULL link type, default microseconds.
    build.interfaceDescription(0, 0),
    build.enhancedPacket(2, 0, 2500001, DATA), // 2.500001 s
  ];
  // Section 2 (big-endian): one Ethernet interface, snaplen 60, default 10^-6.
  const section2 = [
    build.sectionHeader(false),
    build.interfaceDescription(1, 60, false),
    // SPB original 200, 60 bytes in the block, snaplen 60 -> captured min(200, 60, 60) = 60.
    build.simplePacket(200, build.payload(60), false),
    // SPB original 30, 30 bytes + 2 padding -> captured min(30, 32, 60) = 30.
    build.simplePacket(30, build.payload(30), false),
    // EPB with an opt_comment option, which the reader ignores: 1 us -> 0 s, 1000 ns.
    build.enhancedPacket(0, 0, 1, DATA, false, {
      options: build.concat(build.option(1, [104, 105], false), new Uint8Array(4)),
    }),
  ];
  const parts = [...section1, ...section2];
  const file = build.concat(...parts);
  const offsetOf = (index: number): number =>
    parts.slice(0, index).reduce((sum, part) => sum + part.length, 0);

  // tshark 4.0 shows the same times and lengths for this file (checked when the test was written).
  it('reads every column as computed by hand, at every chunk size', () => {
    const expected = {
      tsSec: [1700001000, 1700000000, 1005, 0, 0, 2, 0, 0, 0],
      tsNsec: [500000000, 123000000, 953, 0, 0, 500001000, 0, 0, 1000],
      interfaceId: [0, 1, 0, 0, 0, 2, 0, 0, 0],
      linkType: [1, 101, 1, 1, 0, 0, 1, 1, 1],
      frameLength: [40, 1500, 40, 100, 4, 40, 200, 30, 40],
      capturedLength: [40, 40, 40, 100, 4, 40, 60, 30, 40],
      dataOffset: [28, 28, 28, 12, 12, 28, 12, 12, 28],
      fileOffset: [3, 4, 5, 6, 7, 10, 13, 14, 15].map(offsetOf),
      recordLength: [3, 4, 5, 6, 7, 10, 13, 14, 15].map((index) => parts[index]!.length),
    };
    for (let chunkBytes = 1; chunkBytes <= 13; chunkBytes++) {
      const capture = frameBytes(file, { chunkBytes, targetBlockBytes: 1 << 20 });
      expect(capture.warnings).toEqual([]);
      expect(capture.rows).toEqual(expected);
      expect(capture.linkTypes).toEqual([1, 101, 0]);
    }
  });

  it('cuts at the section boundary; each block carries its section byte order and interface table', () => {
    const { blocks } = frameBytes(file, { chunkBytes: 4096, targetBlockBytes: 1 << 20 });
    expect(
      blocks.map((block) => [
        block.littleEndian,
        block.packetCount,
        block.interfaces!.length,
        block.firstPacketNumber,
      ]),
    ).toEqual([
      [true, 6, 3, 1],
      [false, 3, 1, 7],
    ]);
    expect(blocks[0]!.interfaces![0]).toEqual({
      linkType: 1,
      snapLength: 0,
      unitsPerSecond: 2 ** 20,
      offsetSeconds: 1000,
    });
    expect(blocks[0]!.interfaces![1]!.unitsPerSecond).toBe(1000);
    // A block starts at its first packet record: the SHB and IDBs before it are not in it.
    expect(blocks[0]!.baseOffset).toBe(offsetOf(3));
    expect(blocks[1]!.baseOffset).toBe(offsetOf(13));
  });

  it('copies blocks into the buffers `allocate` gives, with the same records', () => {
    const plain = frameBytes(file, { chunkBytes: 7, targetBlockBytes: 100 });
    const given: ArrayBuffer[] = [];
    const pooled = frameBytes(file, {
      chunkBytes: 7,
      targetBlockBytes: 100,
      allocate: (byteLength) => {
        // A larger, dirty buffer, as a reused one would be: only the view's bytes may count.
        const buffer = new ArrayBuffer(byteLength + 64);
        given.push(buffer);
        return new Uint8Array(buffer, 0, byteLength).fill(0xee);
      },
    });
    expect(pooled.blocks.map((block) => block.bytes.buffer)).toEqual(given);
    expect(pooled.blocks.map((block) => block.bytes.length)).toEqual(
      plain.blocks.map((block) => block.bytes.length),
    );
    expect(pooled.rows).toEqual(plain.rows);
  });

  it('gives a record bigger than the target a block of its own', () => {
    const { blocks } = frameBytes(file, { chunkBytes: 7, targetBlockBytes: 100 });
    // Packet blocks are EPB 72, EPB 72, PB 72, SPB 116, EPB 72 | SPB 76, SPB 44, EPB 80 bytes; 72 + 72 > 100.
    expect(blocks.map((block) => block.packetCount)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    // The SPB alone reaches the target; the custom block (a frame record) starts the next block
    // and the ISB after it joins that block.
    expect(blocks[3]!.bytes.length).toBe(116);
    expect(blocks[4]!.baseOffset).toBe(offsetOf(7));
    expect(blocks[5]!.baseOffset).toBe(offsetOf(10));
  });
});

describe('damage after the header: stop, keep what came before, say where', () => {
  const good = build.enhancedPacket(0, 0, 0, DATA);
  const head = build.concat(build.sectionHeader(), build.interfaceDescription(1, 0));
  const at = head.length + good.length; // offset of the damaged block
  const hex = '0x' + at.toString(16);
  const cases: Array<[string, Uint8Array, string]> = [
    [
      'an unknown interface id',
      build.enhancedPacket(5, 0, 0, DATA),
      `packet #2 at offset ${hex}: packet refers to interface 5, but the section has 1 interface(s)`,
    ],
    [
      'a length that is not a multiple of 4',
      build.pcapngBlock(6, build.payload(40), true, { totalLength: 30 }),
      `packet #2 at offset ${hex}: block of type 0x6 claims total length 30, not a multiple of 4`,
    ],
    [
      'a trailing length that differs',
      build.pcapngBlock(6, build.concat(new Uint8Array(20), DATA), true, { trailingLength: 8 }),
      `packet #2 at offset ${hex}: block total length 72 does not match its trailing copy 8`,
    ],
    [
      'a huge captured length',
      build.enhancedPacket(0, 0, 0, DATA, true, { capturedLength: 300000 }),
      `packet #2 at offset ${hex}: block claims 300000 captured bytes (max 262144)`,
    ],
    [
      'a captured length past the block',
      build.enhancedPacket(0, 0, 0, DATA, true, { capturedLength: 41 }),
      `packet #2 at offset ${hex}: block total length 72 is too small for 41 captured bytes`,
    ],
    [
      'a block length of 4 GiB',
      build.pcapngBlock(4, build.payload(8), true, { totalLength: 0xfffffffc }),
      `offset ${hex} (a block of type 0x4 after packet #1): block of type 0x4 claims total length 4294967292 (max 134348832)`,
    ],
    [
      'a section of version 2.0',
      build.sectionHeader(true, [2, 0]),
      `offset ${hex} (a block of type 0xa0d0d0a after packet #1): unsupported pcapng version 2.0 at offset 0x84: expected 1.0`,
    ],
  ];
  it.each(cases)('%s', (_, damaged, where) => {
    const file = build.concat(head, good, damaged, good);
    for (const chunkBytes of [1, 3, 64, 4096]) {
      const capture = frameBytes(file, { chunkBytes, targetBlockBytes: 64 });
      expect(capture.packetCount).toBe(1);
      expect(capture.rows.frameLength).toEqual([40]);
      expect(capture.warnings).toEqual([`Stopped at ${where}; 1 packet before it was kept`]);
    }
  });

  it('an SPB before any IDB', () => {
    const capture = frameBytes(build.concat(build.sectionHeader(), build.simplePacket(40, DATA)), {
      chunkBytes: 5,
      targetBlockBytes: 64,
    });
    expect(capture.warnings).toEqual([
      'Stopped at packet #1 at offset 0x1c: Simple Packet Block before any Interface Description Block (pcapng 4.4 needs interface 0); 0 packets before it were kept',
    ]);
  });

  it('pcap: a record claiming 4294967295 bytes at packet #3', () => {
    const record = build.pcapRecord(1, 2, DATA); // 56 bytes
    const bad = build.pcapRecord(1, 2, DATA, true, { first: 0xffffffff });
    const file = build.concat(build.pcapHeader(), record, record, bad, record);
    const capture = frameBytes(file, { chunkBytes: 10, targetBlockBytes: 64 });
    expect(capture.packetCount).toBe(2);
    // 24 + 2 * 56 = 136 = 0x88
    expect(capture.warnings).toEqual([
      'Stopped at packet #3 at offset 0x88: record claims 4294967295 captured bytes (max 262144); 2 packets before it were kept',
    ]);
    expect(capture.streamBytes).toBe(136);
  });

  it('a pcapng file cut inside an EPB', () => {
    const file = build.concat(head, good, good.subarray(0, 30));
    const capture = frameBytes(file, { chunkBytes: 16, targetBlockBytes: 64 });
    expect(capture.packetCount).toBe(1);
    expect(capture.warnings).toEqual([
      `File is truncated: it ends inside the record at packet #2 at offset ${hex} (30 of 72 bytes present); 1 packet before it was kept`,
    ]);
  });

  it('a hostile block length is only buffered as far as the file goes', () => {
    const hostile = build.pcapngBlock(4, build.payload(100), true, { totalLength: 100_000_000 });
    const capture = frameBytes(build.concat(head, good, hostile), { chunkBytes: 7, targetBlockBytes: 64 });
    expect(capture.packetCount).toBe(1);
    expect(capture.warnings).toEqual([
      `File is truncated: it ends inside the record at offset ${hex} (a block of type 0x4 after packet #1) (112 of 100000000 bytes present); 1 packet before it was kept`,
    ]);
  });

  it('more than 65536 interfaces in a section (interface ids are 16-bit)', () => {
    const interfaces = Array.from({ length: 65537 }, () => build.interfaceDescription(1, 0));
    const capture = frameBytes(build.concat(build.sectionHeader(), ...interfaces, good), {
      chunkBytes: 1 << 20,
      targetBlockBytes: 64,
    });
    // 28 + 65536 * 20 = 1310748 = 0x14001c
    expect(capture.warnings).toEqual([
      'Stopped at offset 0x14001c (a block of type 0x1 after packet #0): the section declares more than 65536 interfaces; 0 packets before it were kept',
    ]);
  });

  it('ignores input after a stop and reports done', () => {
    const framer = new CaptureFramer({ targetBlockBytes: 64 });
    framer.push(build.concat(build.pcapHeader(), build.pcapRecord(1, 2, DATA, true, { first: 300000 })));
    expect(framer.done).toBe(true);
    expect(framer.push(build.pcapRecord(1, 2, DATA))).toEqual([]);
    expect(framer.end()).toEqual([]);
    expect(framer.packetCount).toBe(0);
  });
});

describe('option problems are warnings, not damage', () => {
  it('an SHB option running past the block, an IDB option running past the block, an unsupported if_tsresol', () => {
    // SHB: 16 fixed bytes + option (code 1, claims 100 bytes, 4 present) -> 36 bytes; options span 8.
    const shbBody = new build.ByteWriter().u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff);
    const shb = build.pcapngBlock(0x0a0d0d0a, shbBody.u16(1).u16(100).u32(0).toBytes());
    // IDB #0 at 0x24: if_tsresol 0x14 (10^-20 s: no 64-bit time stamp can use it).
    const idb0 = build.interfaceDescription(1, 0, true, { tsresol: 0x14 });
    // IDB #1 at 0x24 + 32 = 0x44 (IDB #0: 12 + 8 fixed + 8 if_tsresol + 4 end): an option claiming 64 bytes, 4 present.
    const idb1 = build.pcapngBlock(
      1,
      new build.ByteWriter().u16(1).u16(0).u32(0).u16(9).u16(64).u32(6).toBytes(),
    );
    const file = build.concat(
      shb,
      idb0,
      idb1,
      build.enhancedPacket(1, 0, 7, DATA),
      build.enhancedPacket(0, 0, 7, DATA),
    );
    const capture = frameBytes(file, { chunkBytes: 3, targetBlockBytes: 64 });
    expect(capture.warnings).toEqual([
      'pcapng Section Header Block at offset 0x0: option 1 claims 100 bytes, only 4 remain in the block; its options are ignored',
      'pcapng Interface Description Block #0 at offset 0x24: if_tsresol 0x14 is unsupported; using microseconds',
      'pcapng Interface Description Block #1 at offset 0x44: option 9 claims 64 bytes, only 4 remain in the block; the remaining options are ignored',
    ]);
    expect(capture.rows.tsNsec).toEqual([7000, 7000]); // both interfaces keep the default 10^-6
  });
});

describe('header errors throw one FlowlabError', () => {
  const pcapngHeader = build.sectionHeader();
  const badOrder = pcapngHeader.slice();
  badOrder.set([1, 2, 3, 4], 8);
  const shortSection = build.pcapngBlock(
    0x0a0d0d0a,
    build.concat(Uint8Array.of(0x4d, 0x3c, 0x2b, 0x1a), new Uint8Array(4)),
  );
  const cases: Array<[string, Uint8Array, string, string]> = [
    [
      'an empty file',
      new Uint8Array(0),
      ErrorCode.unknownFormat,
      'Not a pcap or pcapng file: the file is empty',
    ],
    [
      'three bytes',
      Uint8Array.of(0xd4, 0xc3, 0xb2),
      ErrorCode.unknownFormat,
      'Not a pcap or pcapng file: expected magic a1b2c3d4/a1b23c4d/0a0d0d0a at offset 0x0, found only 3 bytes (d4 c3 b2)',
    ],
    [
      'a cut pcap header',
      build.pcapHeader().subarray(0, 10),
      ErrorCode.badRecord,
      'Truncated pcap file header at offset 0x0: expected 24 bytes, found 10',
    ],
    [
      'a cut SHB',
      pcapngHeader.subarray(0, 20),
      ErrorCode.badRecord,
      'Truncated pcapng Section Header Block at offset 0x0: expected 28 bytes, found 20',
    ],
    [
      'a bad byte-order magic',
      badOrder,
      ErrorCode.unknownFormat,
      'Not a pcapng file: expected byte-order magic 1a2b3c4d at offset 0x8, found 01 02 03 04',
    ],
    [
      'an SHB of 20 bytes',
      shortSection,
      ErrorCode.badRecord,
      'Unreadable pcapng Section Header Block at offset 0x0: block of type 0xa0d0d0a claims total length 20 (min 28)',
    ],
    [
      'pcap version 3.0',
      build.pcapHeader({ version: [3, 0] }),
      ErrorCode.unknownFormat,
      'Unsupported pcap version 3.0 at offset 0x4: expected major version 2',
    ],
  ];
  it.each(cases)('%s', (_, file, code, message) => {
    for (const chunkBytes of [1, 4096]) {
      expect(() => frameBytes(file, { chunkBytes, targetBlockBytes: 64 })).toThrow(
        new FlowlabError(code as ErrorCode, message),
      );
      try {
        frameBytes(file, { chunkBytes, targetBlockBytes: 64 });
      } catch (error) {
        expect((error as FlowlabError).code).toBe(code);
      }
    }
  });
});

describe('classic pcap variants', () => {
  it('big-endian nanosecond pcap 2.4', () => {
    const file = build.concat(
      build.pcapHeader({ littleEndian: false, nanoseconds: true, linkType: 101 }),
      build.pcapRecord(1600000000, 999999999, DATA, false),
    );
    const capture = frameBytes(file, { chunkBytes: 3, targetBlockBytes: 64 });
    expect(capture.rows.tsSec).toEqual([1600000000]);
    expect(capture.rows.tsNsec).toEqual([999999999]);
    expect(capture.rows.linkType).toEqual([101]);
  });

  it('pcap 2.2 stores orig_len first; 2.3 swaps only when incl_len > orig_len', () => {
    // 2.2: fields (100, 40) mean orig_len 100, incl_len 40.
    const v22 = frameBytes(
      build.concat(
        build.pcapHeader({ version: [2, 2] }),
        build.pcapRecord(1, 0, DATA, true, { first: 100, second: 40 }),
      ),
      { chunkBytes: 5, targetBlockBytes: 64 },
    );
    expect([v22.rows.frameLength, v22.rows.capturedLength]).toEqual([[100], [40]]);
    // 2.3: (100, 40) is swapped to incl 40 / orig 100; (40, 100) is already incl 40 / orig 100.
    const v23 = frameBytes(
      build.concat(
        build.pcapHeader({ version: [2, 3] }),
        build.pcapRecord(1, 0, DATA, true, { first: 100, second: 40 }),
        build.pcapRecord(1, 0, DATA, true, { first: 40, second: 100 }),
      ),
      { chunkBytes: 5, targetBlockBytes: 64 },
    );
    expect([v23.rows.frameLength, v23.rows.capturedLength]).toEqual([
      [100, 100],
      [40, 40],
    ]);
  });
});
