import { beforeAll, describe, expect, it } from 'vitest';
import { AsnDatabase } from '../../../src/main/query/asn-database';
import { Geolocation } from '../../../src/main/query/geolocation';

/** 2001:db8::/32 and 2001:db8:1::/48 as decimal 128-bit integers. */
const v6 = (text: string): string => {
  const [head = '', tail = ''] = text.split('::');
  const groups = [
    ...head.split(':').filter(Boolean),
    ...Array(8 - head.split(':').filter(Boolean).length - tail.split(':').filter(Boolean).length).fill('0'),
    ...tail.split(':').filter(Boolean),
  ];
  return groups.reduce((sum, group) => (sum << 16n) | BigInt(parseInt(group, 16)), 0n).toString();
};

describe('issue #3 - AS numbers and organisations from @ip-location-db/asn ranges', () => {
  let database: AsnDatabase;
  beforeAll(async () => {
    database = await AsnDatabase.fromCsv(
      [
        '16777216,16777471,13335,"Cloudflare, Inc."',
        '16778240,16779263,38803,Gtelecom Pty Ltd',
        '134744064,134744319,15169,Google LLC',
        '3221225984,3221226239,64500,"Quoted ""Name"""',
        '3221226240,3221226495,64501,',
      ].join('\n'),
      [
        `${v6('2001:db8::')},${v6('2001:db8:0:ffff:ffff:ffff:ffff:ffff')},64510,Doc Six`,
        `${v6('2001:db8:1::')},${v6('2001:db8:1:0:ffff:ffff:ffff:ffff')},64511,Doc Six B`,
      ].join('\r\n'),
    );
  });

  it('finds the range holding an address, at its bounds and inside', () => {
    expect(database.lookup('1.0.0.0')).toEqual({ asn: 13335, organization: 'Cloudflare, Inc.' });
    expect(database.lookup('1.0.0.255')).toEqual({ asn: 13335, organization: 'Cloudflare, Inc.' });
    expect(database.lookup('1.0.4.17')).toEqual({ asn: 38803, organization: 'Gtelecom Pty Ltd' });
    expect(database.lookup('8.8.8.8')).toEqual({ asn: 15169, organization: 'Google LLC' });
    expect(database.lookup('192.0.2.1')).toEqual({ asn: 64500, organization: 'Quoted "Name"' });
    expect(database.lookup('192.0.3.0')).toEqual({ asn: 64501, organization: null });
  });

  it('gives nothing between ranges, before the first, after the last, or for non-addresses', () => {
    for (const address of ['1.0.1.0', '0.255.255.255', '1.0.8.0', '255.255.255.255', 'example.org', ''])
      expect(database.lookup(address), address).toBeUndefined();
  });

  it('looks up IPv6 over the full 128 bits', () => {
    expect(database.lookup('2001:db8::1')).toEqual({ asn: 64510, organization: 'Doc Six' });
    expect(database.lookup('2001:db8:0:ffff::1')).toEqual({ asn: 64510, organization: 'Doc Six' });
    expect(database.lookup('2001:db8:1::5')).toEqual({ asn: 64511, organization: 'Doc Six B' });
    expect(database.lookup('2001:db8:1:1::')).toBeUndefined();
    expect(database.lookup('2001:db7::1')).toBeUndefined();
  });

  it('the installed package gives well-known networks their AS (Geolocation adds it to public hosts only)', async () => {
    const geolocation = Geolocation.load();
    await geolocation.ready();
    const google = geolocation.lookup('8.8.8.8');
    expect(google.asn).toBe(15169);
    expect(google.asOrganization).toMatch(/google/i);
    expect(google.country).toMatch(/^[A-Z]{2}$/);
    expect(geolocation.lookup('2001:4860:4860::8888').asn).toBe(15169);
    expect(geolocation.lookup('1.1.1.1').asn).toBe(13335);
    expect(geolocation.lookup('10.0.0.1')).toEqual({});
  });
});
