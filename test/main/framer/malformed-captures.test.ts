/**
 * The broken files of test/fixtures/malformed (MANIFEST.tsv says what each is). Expected values
 * come from tshark 4.0 / capinfos on these files (quoted per case), not from Flowlab. Each file
 * is framed at several chunk and block sizes: same outcome every time, never a hang.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode, FlowlabError } from '../../../src/shared/errors';
import { frameBytes, type FramedCapture } from './frame-capture';
import { MALFORMED } from './tshark-reference';

const SIZES = [
  { chunkBytes: 1, targetBlockBytes: 64 },
  { chunkBytes: 5, targetBlockBytes: 1 },
  { chunkBytes: 1 << 20, targetBlockBytes: 1 << 20 },
];

interface Readable {
  format: 'pcap' | 'pcapng';
  linkTypes: number[];
  /** [seconds, nanoseconds, frame.len, frame.cap_len] per packet. */
  packets: Array<[number, number, number, number]>;
  /** Regular expressions every warning must match, in order. */
  warnings: RegExp[];
}

const READABLE: Record<string, Readable> = {
  // tshark: 1 frame, 1477654255.515816000, len 39 cap 39. caplen > snaplen is accepted (Wireshark too).
  'caplen_gt_snaplen_be_802154.pcap': {
    format: 'pcap',
    linkTypes: [195],
    packets: [[1477654255, 515816000, 39, 39]],
    warnings: [],
  },
  // tshark: 1 frame, 1404148886.981015000, len 78 cap 8 (snaplen 1).
  'caplen_gt_snaplen_trunc_hdr.pcap': {
    format: 'pcap',
    linkTypes: [1],
    packets: [[1404148886, 981015000, 78, 8]],
    warnings: [],
  },
  // capinfos: 0 packets.
  'empty_header_only.pcap': { format: 'pcap', linkTypes: [1], packets: [], warnings: [] },
  'empty_shb_idb_only.pcapng': { format: 'pcapng', linkTypes: [1], packets: [], warnings: [] },
  // capinfos: damaged ("File has 16711424-byte packet, bigger than maximum of 262144"); the
  // first record (len 188) is good, the second (offset 0xe4) claims 1409179648 bytes.
  'huge_caplen_fuzzed.pcap': {
    format: 'pcap',
    linkTypes: [1],
    packets: [[1508525002, 992213000, 188, 188]],
    warnings: [
      /^Stopped at packet #2 at offset 0xe4: record claims 1409179648 captured bytes \(max 262144\); 1 packet before it was kept$/,
    ],
  },
  'ipv4_invalid_total_length.pcap': {
    format: 'pcap',
    linkTypes: [1],
    packets: [[1692953864, 621711000, 98, 98]],
    warnings: [],
  },
  'ipv4_truncated_header.pcap': {
    format: 'pcap',
    linkTypes: [1],
    packets: [[1334160095, 895421000, 46, 20]],
    warnings: [],
  },
  // Link-type field 0x30000001: FCS bits on Ethernet; tshark: 808464432.999999000, len 262144 cap 46.
  'pcap_linktype_fcs_bits_tcp_header_trunc.pcap': {
    format: 'pcap',
    linkTypes: [1],
    packets: [[808464432, 999999000, 262144, 46]],
    warnings: [],
  },
  // tshark refuses it ("network type reserved field not zero (0x00300000)"); Flowlab reads the
  // header-only file and warns.
  'pcap_linktype_reserved_bits_set.pcap': {
    format: 'pcap',
    linkTypes: [0],
    packets: [],
    warnings: [/^pcap header at offset 0x14: link-type field 0x00300000 has reserved bits 0x00300000 set/],
  },
  // Version 2.0: orig_len comes first (libpcap swaps), so tshark shows len 524501 cap 197;
  // capinfos: "cut short in the middle of a packet" (2 bytes follow the record). ts_nsec is
  // 1882137472: tshark prints 980658802.1882137472, the same instant as 980658803.882137472.
  'pcap_v2.0_snaplen0_fuzzed.pcap': {
    format: 'pcap',
    linkTypes: [0],
    packets: [[980658803, 882137472, 524501, 197]],
    warnings: [
      /^File is truncated: it ends inside the record at packet #2 at offset 0xed \(2 of 16 bytes present\); 1 packet before it was kept$/,
      /^1 record has a sub-second time stamp field of one second or more \(first: packet #1 at offset 0x18\)/,
    ],
  },
  // capinfos: "cut short in the middle of a packet"; 2 sections, 27 packets, 1 byte left at 0x3070.
  'pcapng_truncated_last_block.pcapng': {
    format: 'pcapng',
    linkTypes: [1],
    packets: [], // checked below: 27 packets
    warnings: [
      /^File is truncated: it ends inside the record at packet #28 at offset 0x3070 \(1 of 12 bytes present\); 27 packets before it were kept$/,
    ],
  },
  // Only custom blocks 0xBAD / 0x40000BAD: capinfos counts 0 packets, but tshark lists each as
  // a frame of the block's length without a time stamp (24, 60, 36, 32), and so does Flowlab.
  'pcapng_unknown_block_types_no_idb.pcapng': {
    format: 'pcapng',
    linkTypes: [],
    packets: [
      [0, 0, 24, 24],
      [0, 0, 60, 60],
      [0, 0, 36, 36],
      [0, 0, 32, 32],
    ],
    warnings: [],
  },
  // tshark: 4294967296.000000000, len 98.
  'timestamp_after_2106.pcapng': {
    format: 'pcapng',
    linkTypes: [1],
    packets: [[4294967296, 0, 98, 98]],
    warnings: [],
  },
  // ts_usec 999999, 1000000 and 2^31. tshark prints ...370.1000000000 (= 1418145371.0) for the
  // second; for the third it prints 1418145370.000000000 because 2^31 * 1000 wraps to 0 in
  // 32 bits; Flowlab carries the 2147.483648 s into the seconds instead.
  'timestamp_invalid_usec.pcap': {
    format: 'pcap',
    linkTypes: [113],
    packets: [
      [1418145369, 999999000, 76, 76],
      [1418145371, 0, 76, 76],
      [1418147517, 483648000, 68, 68],
    ],
    warnings: [
      /^2 records have a sub-second time stamp field of one second or more \(first: packet #2 at offset 0x74\)/,
    ],
  },
  // capinfos: "cut short in the middle of a packet"; tshark: 1 frame, len 282 cap 200.
  'truncated_mid_packet_dns.pcap': {
    format: 'pcap',
    linkTypes: [1],
    packets: [[1598792366, 561863000, 282, 200]],
    warnings: [
      /^File is truncated: it ends inside the record at packet #2 at offset 0xf0 \(7 of 16 bytes present\); 1 packet before it was kept$/,
    ],
  },
  'unsupported_linktype_160.pcap': {
    format: 'pcap',
    linkTypes: [160],
    packets: [[0, 0, 23, 23]],
    warnings: [],
  },
};

const REFUSED: Record<string, { code: string; message: RegExp }> = {
  // tshark: "pcap: major version 1 unsupported".
  'pcap_invalid_major_version_1.pcap': {
    code: ErrorCode.unknownFormat,
    message: /^Unsupported pcap version 1\.4 at offset 0x4: expected major version 2$/,
  },
  // Wireshark reads this rare variant (24-byte record headers); Flowlab does not.
  'pcap_modified_kuznetzov_magic.pcap': {
    code: ErrorCode.unknownFormat,
    message: /found 34 cd b2 a1 \(a modified \(Kuznetzov\) pcap; convert it with editcap -F pcap\)$/,
  },
  // capinfos: damaged. Starts with an EPB (06 00 00 00), no SHB.
  'pcapng_fragment_no_shb.bin': {
    code: ErrorCode.unknownFormat,
    message: /found 06 00 00 00 \(looks like a pcapng block without a Section Header Block/,
  },
  // tshark: "pcapng: unknown SHB version 0.1".
  'pcapng_invalid_version_0.1.pcapng': {
    code: ErrorCode.unknownFormat,
    message: /unsupported pcapng version 0\.1 at offset 0xc: expected 1\.0$/,
  },
  // tshark: damaged (option of length 12336). The SHB's trailing length copy is "0000" too.
  'pcapng_shb_option_too_long.pcapng': {
    code: ErrorCode.badRecord,
    message:
      /^Unreadable pcapng Section Header Block at offset 0x0: total length 52 does not match its trailing copy 808464432$/,
  },
  // Another container format: Wireshark reads it, a pcap/pcapng-only reader refuses it.
  'solaris_snoop_format.snoop': {
    code: ErrorCode.unknownFormat,
    message: /found 73 6e 6f 6f \(a Solaris snoop capture; convert it with editcap -F pcap\)$/,
  },
  'zstd_compressed_pcapng.pcapng.zst': {
    code: ErrorCode.unknownFormat,
    message:
      /^Not a pcap or pcapng file: expected magic a1b2c3d4\/a1b23c4d\/0a0d0d0a at offset 0x0, found 28 b5 2f fd \(zstd-compressed; decompress it first\)$/,
  },
};

function load(file: string): Uint8Array {
  return new Uint8Array(readFileSync(MALFORMED + file));
}

function packetsOf(capture: FramedCapture): Array<[number, number, number, number]> {
  const { tsSec, tsNsec, frameLength, capturedLength } = capture.rows;
  return tsSec.map((seconds, i) => [seconds, tsNsec[i]!, frameLength[i]!, capturedLength[i]!]);
}

describe('malformed captures that are read (with warnings where damaged)', () => {
  for (const [file, expected] of Object.entries(READABLE)) {
    it(file, () => {
      let first: FramedCapture | undefined;
      for (const size of SIZES) {
        const capture = frameBytes(load(file), size);
        expect(capture.format).toBe(expected.format);
        expect(capture.linkTypes).toEqual(expected.linkTypes);
        expect(capture.warnings).toHaveLength(expected.warnings.length);
        expected.warnings.forEach((pattern, i) => expect(capture.warnings[i]).toMatch(pattern));
        if (file !== 'pcapng_truncated_last_block.pcapng')
          expect(packetsOf(capture)).toEqual(expected.packets);
        if (first === undefined) first = capture;
        else expect(capture.rows).toEqual(first.rows);
      }
    });
  }

  it('pcapng_truncated_last_block.pcapng keeps its 27 packets over 2 sections (tshark values)', () => {
    const capture = frameBytes(load('pcapng_truncated_last_block.pcapng'), {
      chunkBytes: 64,
      targetBlockBytes: 1 << 20,
    });
    expect(capture.packetCount).toBe(27);
    expect(capture.blocks).toHaveLength(2); // cut at the section boundary
    const packets = packetsOf(capture);
    expect(packets[0]).toEqual([1583768523, 826851000, 97, 97]);
    expect(packets[6]).toEqual([1583774873, 399273000, 78, 78]);
  });
});

describe('malformed captures refused with a one-line header error', () => {
  for (const [file, expected] of Object.entries(REFUSED)) {
    it(file, () => {
      for (const size of SIZES) {
        let caught: unknown;
        try {
          frameBytes(load(file), size);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(FlowlabError);
        expect((caught as FlowlabError).code).toBe(expected.code);
        expect((caught as FlowlabError).message).toMatch(expected.message);
        expect((caught as FlowlabError).message).not.toContain('\n');
      }
    });
  }
});

it('every malformed fixture is covered above', () => {
  const manifest = readFileSync(`${MALFORMED}MANIFEST.tsv`, 'utf8').trim().split('\n').slice(1);
  const files = manifest.map((line) => line.split('\t')[0]!).sort();
  expect([...Object.keys(READABLE), ...Object.keys(REFUSED)].sort()).toEqual(files);
});
