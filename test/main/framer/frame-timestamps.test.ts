/**
 * Per-frame comparison with tshark's frame.time_epoch, frame.len, frame.cap_len and
 * frame.interface_id (frames-*.tsv, generated once by scripts/make-frame-reference.sh) for the
 * format fixtures: nanosecond and big-endian pcap, pcap 2.1, pcapng with several sections of
 * different byte order, if_tsresol 10^-9 interfaces, SPBs without time stamps.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { frameBytes } from './frame-capture';
import { PCAPS, framesReferenceCaptures, loadFrames } from './tshark-reference';

/** Wireshark's encapsulation (wtap.h WTAP_ENCAP_*) for the pcap link types in these fixtures. */
const LINK_TYPE_OF_ENCAPSULATION = new Map([
  [1, 1], // WTAP_ENCAP_ETHERNET: LINKTYPE_ETHERNET
  [15, 0], // WTAP_ENCAP_NULL: LINKTYPE_NULL
  [25, 113], // WTAP_ENCAP_SLL: LINKTYPE_LINUX_SLL
]);

describe('time stamps, lengths, interfaces and link types match tshark frame by frame', () => {
  for (const capture of framesReferenceCaptures()) {
    it(capture, () => {
      // pcapng custom blocks are listed by tshark 4.0 as frames without encapsulation; Flowlab
      // indexes them as records of link type 0 (never decoded).
      const expected = loadFrames(capture);
      const stream = new Uint8Array(readFileSync(PCAPS + capture));
      for (const options of [
        { chunkBytes: 5, targetBlockBytes: 64 },
        { chunkBytes: 1 << 20, targetBlockBytes: 1 << 20 },
      ]) {
        const { rows } = frameBytes(stream, options);
        expect(rows.tsSec.length).toBe(expected.length);
        expected.forEach((frame, i) => {
          const where = `${capture} frame ${frame.number}`;
          // tshark shows no time for an SPB (pcapng 4.4 has none); Flowlab stores 0.
          expect(rows.tsSec[i], where).toBe(frame.seconds ?? 0);
          expect(rows.tsNsec[i], where).toBe(frame.nanoseconds ?? 0);
          expect(rows.frameLength[i], where).toBe(frame.length);
          expect(rows.capturedLength[i], where).toBe(frame.capturedLength);
          expect(rows.interfaceId[i], where).toBe(frame.interfaceId ?? 0);
          expect(rows.linkType[i], where).toBe(
            frame.encapsulation === undefined ? 0 : LINK_TYPE_OF_ENCAPSULATION.get(frame.encapsulation),
          );
        });
      }
    });
  }
});

describe('link types from the file header and interface descriptions', () => {
  // Per the fixture README: 11 interfaces with NULL, RAW (12), Ethernet; SLL + Ethernet; ...
  it.each([
    ['fmt_pcapng_11ifaces_null_raw_ether.pcapng', [1, 0, 12]],
    ['fmt_pcapng_2ifaces_sll_ether.pcapng', [1, 113]],
    ['fmt_pcapng_be_3sections_5ifaces.pcapng', [1, 0]],
    ['fmt_pcap_le_nsec_sll_tcp_handshake.pcap', [113]],
    ['fmt_pcap_be_usec_dltnull_snmpv3.pcap', [0]],
    ['linktype_sll2_http_get.pcap', [276]],
    ['linktype_80211_radiotap_http.pcap', [127]],
  ])('%s', (capture, linkTypes) => {
    const framed = frameBytes(new Uint8Array(readFileSync(PCAPS + capture)), {
      chunkBytes: 4096,
      targetBlockBytes: 4096,
    });
    expect(framed.linkTypes).toEqual(linkTypes);
    for (const linkType of framed.rows.linkType) expect(linkTypes).toContain(linkType);
  });
});
