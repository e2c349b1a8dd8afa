/**
 * 802.11 over radiotap: every frame of the fixture decodes to the addresses tshark 4.0 shows
 * (`tshark -T fields -e wlan.sa -e wlan.da -e ip.src -e tcp.srcport`, values pasted below).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodeStatus } from '../../../src/shared/packet-batch';
import { decodeCaptureForTest } from './read-capture-for-test';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/pcaps/linktype_80211_radiotap_http.pcap');

/** wlan.sa, wlan.da, ip.src, tcp.srcport per frame, from tshark. */
const TSHARK: Array<[string, string, string, number]> = [
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
  ['88:25:93:40:6b:6f', 'f8:a9:d0:1e:90:a3', '14.17.32.211', 80],
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
  ['88:25:93:40:6b:6f', 'f8:a9:d0:1e:90:a3', '14.17.32.211', 80],
  ['88:25:93:40:6b:6f', 'f8:a9:d0:1e:90:a3', '14.17.32.211', 80],
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
  ['88:25:93:40:6b:6f', 'f8:a9:d0:1e:90:a3', '14.17.32.211', 80],
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
  ['88:25:93:40:6b:6f', 'f8:a9:d0:1e:90:a3', '14.17.32.211', 80],
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
  ['88:25:93:40:6b:6f', 'f8:a9:d0:1e:90:a3', '14.17.32.211', 80],
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
  ['88:25:93:40:6b:6f', 'f8:a9:d0:1e:90:a3', '14.17.32.211', 80],
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
  ['88:25:93:40:6b:6f', 'f8:a9:d0:1e:90:a3', '14.17.32.211', 80],
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
  ['88:25:93:40:6b:6f', 'f8:a9:d0:1e:90:a3', '14.17.32.211', 80],
  ['f8:a9:d0:1e:90:a3', '88:25:93:40:6b:6f', '172.5.5.113', 49417],
];

const mac = (words: Uint16Array, row: number): string =>
  Array.from(words.subarray(row * 3, row * 3 + 3))
    .map((word) => word.toString(16).padStart(4, '0'))
    .join('')
    .replace(/(..)(?!$)/g, '$1:');

const ipv4 = (words: Uint32Array, row: number): string => {
  const value = words[row * 4]!;
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
};

describe('IEEE 802.11 radiotap (LINKTYPE 127)', () => {
  it('decodes every data frame to the MACs, address and port tshark shows', () => {
    const batch = decodeCaptureForTest(FIXTURE);
    expect(batch.count).toBe(TSHARK.length);
    TSHARK.forEach(([source, destination, ip, port], row) => {
      expect(batch.decodeStatus[row], `frame ${row + 1}`).toBe(DecodeStatus.ip);
      expect(mac(batch.srcMac, row), `frame ${row + 1} wlan.sa`).toBe(source);
      expect(mac(batch.dstMac, row), `frame ${row + 1} wlan.da`).toBe(destination);
      expect(ipv4(batch.srcAddr, row), `frame ${row + 1} ip.src`).toBe(ip);
      expect(batch.srcPort[row], `frame ${row + 1} tcp.srcport`).toBe(port);
    });
  });
});
