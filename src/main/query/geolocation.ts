/**
 * Offline geolocation of public addresses from MaxMind-format databases shipped as npm
 * packages (the country database read with mmdb-lib, the AS table by asn-database.ts; no
 * network look-ups). Databases and licences: README "Geolocation data". A missing database
 * package simply yields no enrichment.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Reader } from 'mmdb-lib';
import type { Response } from 'mmdb-lib';
import { isExternalAddress } from '../../shared/filter/ip-address';
import { AsnDatabase } from './asn-database';

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
type CountryRecord = { country_code?: string };

/** Looks up public addresses; private, loopback, link-local, ULA and multicast get nothing. */
export class Geolocation {
  private readonly cache = new Map<string, GeoInfo>();

  private asn: AsnDatabase | undefined;
  private asnLoaded = false;

  /** `asn`: the AS table, or a loader called at the first public address (it takes ~1 s). */
  constructor(
    private readonly country: Reader<Response> | undefined,
    private readonly loadAsn: () => AsnDatabase | undefined = () => undefined,
  ) {}

  /**
   * Loads whichever of the databases are installed: the country database now (~10 MB,
   * synchronously, once per process), the AS table at the first look-up that needs it.
   */
  static load(): Geolocation {
    return new Geolocation(openDatabase(COUNTRY_DATABASE), () => AsnDatabase.load());
  }

  private asnDatabase(): AsnDatabase | undefined {
    if (!this.asnLoaded) {
      this.asnLoaded = true;
      try {
        this.asn = this.loadAsn();
      } catch {
        this.asn = undefined;
      }
    }
    return this.asn;
  }

  lookup(address: string): GeoInfo {
    if (!isExternalAddress(address)) return {};
    const cached = this.cache.get(address);
    if (cached) return cached;
    const info: GeoInfo = {};
    const asn = this.asnDatabase();
    if (asn) {
      const record = asn.lookup(address);
      info.asn = record?.asn ?? null;
      info.asOrganization = record?.organization ?? null;
    }
    try {
      if (this.country)
        info.country = (this.country.get(address) as CountryRecord | null)?.country_code ?? null;
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
