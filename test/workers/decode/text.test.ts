/** Metadata text as Wireshark/tshark 4.0 shows it (expectations checked against tshark output). */
import { describe, expect, it } from 'vitest';
import { escapedText, formatIpv6, utf8Text } from '../../../src/workers/decode/text';
import { hex } from './packet-bytes';

const escaped = (text: string): string => {
  const value = hex(text);
  return escapedText(value, 0, value.length);
};
const utf8 = (text: string): string => {
  const value = hex(text);
  return utf8Text(value, 0, value.length);
};

describe('escapedText (DNS names, Wireshark format_text)', () => {
  it.each([
    ['61 01 62 7f', 'a\\001b\\177'],
    ['61 00 62', 'a\\000b'],
    ['09 0a 0d', '\\t\\n\\r'],
    ['61 5c 62 20 63', 'a\\b c'],
    ['c0 80', '\\u0000'],
    ['c1 bf', '\\u007F'],
    ['e0 80 80', '\\u0000'],
    ['ed a0 80', '\ufffd'],
    ['f4 90 80 80', '\ufffd'],
    ['f5 80 80 80', '\ufffd'],
    ['ff', '\ufffd'],
    ['80 80', '\ufffd\ufffd'],
    ['e2 82', '\ufffd'],
    ['e2 82 41', '\ufffdA'],
    ['ed bf 64', '\ufffdd'],
    ['f0 9f 98 80', '\u{1f600}'],
    ['c3 a9', '\u00e9'],
    ['e2 80 8b', '\\u200B'],
  ])('%s', (bytes, text) => {
    expect(escaped(bytes)).toBe(text);
  });
});

describe('utf8Text (HTTP fields, SNI: one U+FFFD per ill-formed byte)', () => {
  it.each([
    ['61 01 62', 'a\u0001b'],
    ['ff', '\ufffd'],
    ['ed bf 3a', '\ufffd\ufffd:'],
    ['e2 82 79', '\ufffd\ufffdy'],
    ['c0 80', '\ufffd\ufffd'],
    ['c3 a9', '\u00e9'],
    ['f0 9f 98 80', '\u{1f600}'],
  ])('%s', (bytes, text) => {
    expect(utf8(bytes)).toBe(text);
  });
});

describe('formatIpv6 (RFC 5952)', () => {
  it.each([
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['20010db8000000010000000000000001', '2001:db8:0:1::1'],
    ['00010000000000020000000000000003', '1:0:0:2::3'],
    ['00010000000200030004000500060007', '1:0:2:3:4:5:6:7'],
    ['fe800000000000000000000000000000', 'fe80::'],
  ])('%s', (address, text) => {
    const value = hex(address);
    expect(formatIpv6(value, 0)).toBe(text);
  });
});
