import { describe, expect, it } from 'vitest';
import {
  EncodedStringsBuilder,
  decodeString,
  decodeStrings,
  encodeStringColumns,
  encodeStrings,
  encodedStringBuffers,
  writeUtf8,
} from '../../src/shared/encoded-strings';

const VALUES = ['10.0.0.1', null, '', 'ünïcödé ✓ 𝄞', undefined, 'x'.repeat(300), "it's <b>"];
const EXPECTED = VALUES.map((value) => value ?? null);

describe('encoded strings', () => {
  it('round-trips nulls, empty strings, non-ASCII and long values', () => {
    const encoded = encodeStrings(VALUES);
    expect(encoded.count).toBe(VALUES.length);
    expect(decodeStrings(encoded)).toEqual(EXPECTED);
    expect(decodeString(encoded, 2)).toBe('');
    expect(decodeString(encoded, 1)).toBeNull();
  });

  it('writes the same bytes as TextEncoder, ASCII fast path or not', () => {
    const samples = [
      '',
      '10.0.0.1',
      'abc\u007f',
      'abcé',
      'é',
      'a'.repeat(64),
      'a'.repeat(65) + 'ü',
      '\u{1d11e}x',
      'a\ud800b',
    ];
    for (const value of samples) {
      const target = new Uint8Array(3 + value.length * 3).fill(0xee);
      const end = writeUtf8(value, target, 3);
      const expected = new TextEncoder().encode(value);
      expect([...target.subarray(3, end)]).toEqual([...expected]);
      expect([...target.subarray(0, 3)]).toEqual([0xee, 0xee, 0xee]); // nothing before `position`
    }
  });

  it('encodes several columns into shared buffers, each column on its own', () => {
    const columns = [
      VALUES,
      VALUES.map((value) => (value === null ? 'filled' : null)),
      VALUES.map(() => 'same'),
    ];
    const encoded = encodeStringColumns(columns, 5); // only the first 5 rows
    expect(encoded.map(decodeStrings)).toEqual(
      columns.map((column) => column.slice(0, 5).map((value) => value ?? null)),
    );
    expect(encodedStringBuffers(encoded)).toHaveLength(3); // bytes, ends, present: shared by all columns
  });

  it('gathers JS strings and slices of encoded columns in order', () => {
    const builder = new EncodedStringsBuilder();
    const source = encodeStrings(VALUES);
    builder.appendStrings(['a', null], 0, 2);
    builder.appendEncoded(source, 2, 4); // '', unicode, null, long
    builder.appendEncoded(source, 0, 1);
    builder.appendStrings(VALUES, 6, 1);
    const taken = builder.take();
    expect(decodeStrings(taken)).toEqual(['a', null, ...EXPECTED.slice(2, 6), EXPECTED[0], EXPECTED[6]]);
    expect(builder.count).toBe(0);
    builder.appendStrings([null, 'after'], 0, 2);
    expect(decodeStrings(builder.take())).toEqual([null, 'after']); // present flags were reset
  });

  it('grows past its initial capacity', () => {
    const builder = new EncodedStringsBuilder();
    const many = Array.from({ length: 5000 }, (_unused, i) => (i % 7 === 0 ? null : `value-${i}`));
    for (let start = 0; start < many.length; start += 1000)
      builder.appendEncoded(encodeStrings(many.slice(start, start + 1000)), 0, 1000);
    expect(decodeStrings(builder.take())).toEqual(many);
  });
});
