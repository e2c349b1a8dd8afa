/**
 * Offline geolocation of public addresses from MaxMind-format databases shipped as npm
 * packages (read with mmdb-lib; no network look-ups). Databases and licences: README
 * "Geolocation data". A missing database package simply yields no enrichment.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Reader } from 'mmdb-lib';
import type { Response } from 'mmdb-lib';
import { isExternalAddress } from '../../shared/filter/ip-address';

/** What the databases say about one address (fields absent when unknown). */
export interface GeoInfo {
  country?: string | null;
  asn?: number | null;
  asOrganization?: string | null;
}

/** Country database: @ip-location-db/geo-whois-asn-country-mmdb (record `{ country_code }`). */
export const COUNTRY_DATABASE = {
  packageName: '@ip-location-db/geo-whois-asn-country-mmdb',
  file: 'geo-whois-asn-country.mmdb',
};
/**
 * AS database, optional: used when a package of this name is installed (record
 * `{ autonomous_system_number, autonomous_system_organization }`). None is installed today:
 * the registry has no @ip-location-db/asn-mmdb (README "Geolocation data").
 */
export const ASN_DATABASE = { packageName: '@ip-location-db/asn-mmdb', file: 'asn.mmdb' };

type CountryRecord = { country_code?: string };
type AsnRecord = { autonomous_system_number?: number; autonomous_system_organization?: string };

/** Looks up public addresses; private, loopback, link-local, ULA and multicast get nothing. */
export class Geolocation {
  private readonly cache = new Map<string, GeoInfo>();

  constructor(
    private readonly country: Reader<Response> | undefined,
    private readonly asn: Reader<Response> | undefined,
  ) {}

  /** Loads whichever of the databases are installed (synchronously, ~10 MB, once per process). */
  static load(): Geolocation {
    return new Geolocation(openDatabase(COUNTRY_DATABASE), openDatabase(ASN_DATABASE));
  }

  /** True when at least one database was found. */
  get available(): boolean {
    return Boolean(this.country || this.asn);
  }

  lookup(address: string): GeoInfo {
    if (!this.available || !isExternalAddress(address)) return {};
    const cached = this.cache.get(address);
    if (cached) return cached;
    const info: GeoInfo = {};
    try {
      if (this.country)
        info.country = (this.country.get(address) as CountryRecord | null)?.country_code ?? null;
      if (this.asn) {
        const record = this.asn.get(address) as AsnRecord | null;
        info.asn = record?.autonomous_system_number ?? null;
        info.asOrganization = record?.autonomous_system_organization ?? null;
      }
    } catch {
      // mmdb-lib rejects text it cannot parse as an address: no enrichment for it.
    }
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(address, info);
    return info;
  }
}

function openDatabase(database: { packageName: string; file: string }): Reader<Response> | undefined {
  try {
    const require = createRequire(import.meta.url);
    const directory = path.dirname(require.resolve(`${database.packageName}/package.json`));
    return new Reader<Response>(readFileSync(path.join(directory, database.file)));
  } catch {
    return undefined;
  }
}
