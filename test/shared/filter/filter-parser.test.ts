import { describe, expect, it } from 'vitest';
import { parseFilter, validateFilterExpression } from '../../../src/shared/filter/filter-parser';
import { FilterSyntaxError } from '../../../src/shared/filter/filter-error';
import { isExternalAddress, normalizeIpText, parseCidr } from '../../../src/shared/filter/ip-address';
import { parseTimestampMicros } from '../../../src/shared/filter/timestamp-literal';

function errorOf(expression: string): { message: string; position: number } {
  try {
    parseFilter(expression);
  } catch (error) {
    expect(error).toBeInstanceOf(FilterSyntaxError);
    return { message: (error as Error).message, position: (error as FilterSyntaxError).position };
  }
  throw new Error(`expected ${expression} to be rejected`);
}

describe('filter parser', () => {
  it('parses comparisons joined by and/or with and binding tighter', () => {
    const tree = parseFilter('dst_port = 23 and src2dst_packets > 10 or protocol = 17');
    expect(tree?.kind).toBe('or');
    if (tree?.kind !== 'or') return;
    expect(tree.left.kind).toBe('and');
    expect(tree.right).toMatchObject({ kind: 'compare', column: { name: 'protocol' }, operator: '=', value: { kind: 'number', value: 17 } });
  });

  it('accepts keywords and column names in any case, symbols as aliases', () => {
    expect(parseFilter('DST_PORT == 443 && NOT src_port <> 1')).toMatchObject({ kind: 'and', right: { kind: 'not' } });
    expect(parseFilter('!(application = TLS) || dst_port >= 1')?.kind).toBe('or');
  });

  it('treats an empty or blank expression as no filter', () => {
    expect(parseFilter('')).toBeNull();
    expect(parseFilter('   \t')).toBeNull();
  });

  it('parses in-lists, text operators, null tests and negations', () => {
    expect(parseFilter('dst_port not in (80, 443, 8080)')).toMatchObject({ kind: 'in', negated: true, values: [{ value: 80 }, { value: 443 }, { value: 8080 }] });
    expect(parseFilter("tls_sni contains 'evil'")).toMatchObject({ kind: 'text', operator: 'contains', value: { value: 'evil' } });
    expect(parseFilter('http_host not startswith "www."')).toMatchObject({ kind: 'text', operator: 'startswith', negated: true });
    expect(parseFilter('application is not null')).toMatchObject({ kind: 'null', negated: true });
    expect(parseFilter('end_reason = idle-timeout')).toMatchObject({ value: { kind: 'string', value: 'idle-timeout' } });
  });

  it('reads bare IPv4/IPv6 literals and CIDR ranges for address columns, normalising IPv6 (RFC 5952)', () => {
    expect(parseFilter('src_ip = 10.0.0.1')).toMatchObject({ value: { kind: 'ip', value: '10.0.0.1' } });
    expect(parseFilter('dst_ip = 2001:DB8:0:0::1')).toMatchObject({ value: { kind: 'ip', value: '2001:db8::1' } });
    expect(parseFilter('src_ip in 10.0.0.0/8')).toMatchObject({ kind: 'in', values: [{ kind: 'cidr', value: '10.0.0.0/8' }] });
    expect(parseFilter("src_ip in ('192.168.0.0/16', fe80::/10, ::1)")).toMatchObject({ values: [{ kind: 'cidr' }, { kind: 'cidr' }, { kind: 'ip', value: '::1' }] });
  });

  it('reads timestamps as exact microseconds, with offsets', () => {
    expect(parseFilter('first_seen >= 2024-01-01T00:00:00.000001Z')).toMatchObject({ value: { kind: 'timestamp', value: 1704067200000001 } });
    expect(parseFilter("last_seen < '2024-01-01 02:00:00+02:00'")).toMatchObject({ value: { kind: 'timestamp', value: 1704067200000000 } });
    expect(parseTimestampMicros('2024-02-30')).toBeUndefined();
  });

  it.each([
    ['src2dst_bytes >', "Expected a value after '>' at position 15, found end of input", 15],
    ['dst_port = 23 and', 'Expected a column name at position 17, found end of input', 17],
    ['dst_port = 23 and (protocol = 6', "Expected ')' to close the '(' at position 18, found end of input at position 31", 31],
    ['dst_port = 1)', "Expected 'and', 'or' or end of input at position 12, found ')' (no '(' is open)", 12],
    ['dstport = 1', "Unknown column 'dstport' at position 0 (did you mean 'dst_port'?)", 0],
    ['dst_port 23', "Expected an operator (=, !=, <, <=, >, >=, in, contains, startswith, endswith, is null) after 'dst_port' at position 9, found '23'", 9],
    ['dst_port = abc', "Expected a number for dst_port at position 11, found 'abc'", 11],
    ["dst_port = '80'", 'Expected a number for dst_port at position 11, found string "80"', 11],
    ['dst_port contains 4', "Expected a text column for 'contains' at position 0, found dst_port (INTEGER)", 0],
    ['src_ip < 10.0.0.1', 'Expected =, !=, in, contains, startswith or endswith for src_ip at position 7, found \'<\' (addresses have no order; use a CIDR range)', 7],
    ['application = null', "Expected a value at position 14, found 'null' (write 'application is null')", 14],
    ['application is nothing', "Expected 'null' at position 15, found 'nothing'", 15],
    ['dst_port in (80,)', "Expected a value after ',' at position 16, found ')'", 16],
    ["tls_sni = 'abc", 'Expected a closing \' for the string at position 10, found end of input at position 14', 10],
    ['first_seen > yesterday', "Expected a timestamp (ISO 8601 such as '2024-01-31T12:00:00Z', or epoch seconds) for first_seen at position 13, found 'yesterday'", 13],
  ])('rejects %j: %s', (expression, message, position) => {
    expect(errorOf(expression)).toEqual({ message, position });
  });

  it('validateFilterExpression reports the message and position without throwing', () => {
    expect(validateFilterExpression('dst_port = 23')).toEqual({ ok: true });
    expect(validateFilterExpression('dst_port >')).toEqual({ ok: false, error: "Expected a value after '>' at position 10, found end of input", position: 10 });
  });

  describe('hostile input', () => {
    it.each([
      ["dst_port = 1; DROP TABLE flows; --", "Unexpected character ';' at position 12"],
      ['flows; drop = 1', "Unexpected character ';' at position 5"],
      ['dst_port = 1 or 1=1) --', "Expected a column name at position 16, found '1'"],
      ['tls_sni = \u201cx\u201d', "Unexpected character '\u201c' at position 10 (strings use straight quotes ' or \")"],
      ['tls_sni = \u2018x\u2019 or 1=1', "Unexpected character '\u2018' at position 10 (strings use straight quotes ' or \")"],
      ['dst_port = 1\u0000', 'Unexpected character U+0000 at position 12'],
      ['"src_ip" = 1', 'Expected a column name at position 0, found string "src_ip"'],
      ['src_ip = 1 union select 1', "Expected 'and', 'or' or end of input at position 11, found 'union'"],
    ])('%j → %s', (expression, start) => {
      expect(errorOf(expression).message.startsWith(start)).toBe(true);
    });

    it('keeps SQL-looking text inside quotes as a literal value', () => {
      expect(parseFilter("tls_sni = '\\'; DROP TABLE flows; --'")).toMatchObject({ value: { kind: 'string', value: "'; DROP TABLE flows; --" } });
    });

    it('refuses deep nesting, huge expressions and huge lists with a clear error instead of overflowing', () => {
      expect(errorOf('('.repeat(3000) + 'dst_port = 1' + ')'.repeat(3000)).message).toMatch(/^Expected at most 64 nested parentheses or 'not'/);
      expect(errorOf('not '.repeat(100) + 'dst_port = 1').message).toMatch(/^Expected at most 64 nested/);
      expect(errorOf('dst_port = 1 and '.repeat(700) + 'dst_port = 1').message).toMatch(/^Expected at most 10000 characters/);
      expect(errorOf(`dst_port in (${Array.from({ length: 1200 }, (_, i) => i).join(',')})`).message).toMatch(/^Expected at most 1000 values/);
    });

    it('parses long flat and-chains without recursion trouble', () => {
      expect(parseFilter(Array.from({ length: 600 }, () => 'dst_port=1').join(' and '))?.kind).toBe('and');
    });
  });
});

describe('ip-address helpers', () => {
  it('normalises IPv6 to RFC 5952 and leaves other text alone', () => {
    expect(normalizeIpText('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(normalizeIpText('2001:db8:0:1:0:0:1:1')).toBe('2001:db8:0:1::1:1');
    expect(normalizeIpText('0:0:0:0:0:ffff:c000:0280')).toBe('::ffff:192.0.2.128');
    expect(normalizeIpText('example.org')).toBe('example.org');
  });

  it('computes CIDR bounds with host bits cleared', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ version: 4, prefix: 8, first: 0x0a000000n, last: 0x0affffffn });
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
  });

  it('classifies public and non-public addresses', () => {
    for (const address of ['8.8.8.8', '93.184.216.34', '2001:4860:4860::8888']) expect(isExternalAddress(address)).toBe(true);
    for (const address of ['10.1.1.1', '172.31.0.1', '192.168.0.1', '127.0.0.1', '169.254.1.1', '224.0.0.251', '255.255.255.255', '::1', 'fe80::1', 'fd00::1', 'ff02::1', '::ffff:10.0.0.1', 'x']) {
      expect(isExternalAddress(address), address).toBe(false);
    }
  });
});
