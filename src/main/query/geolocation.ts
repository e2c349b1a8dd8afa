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

const NOTHING: GeoInfo = Object.freeze({});

/** Looks up public addresses; private, loopback, link-local, ULA and multicast get nothing. */
export class Geolocation {
  private readonly cache = new Map<string, GeoInfo>();

  private asn: AsnDatabase | undefined;
  private asnLoading: Promise<void> | undefined;

  /** `loadAsn`: loads the AS table (started by the first `ready()`; it takes ~1.5 s of CPU). */
  constructor(
    private readonly country: Reader<Response> | undefined,
    private readonly loadAsn: () => Promise<AsnDatabase | undefined> = async () => undefined,
  ) {}

  /**
   * Loads whichever of the databases are installed: the country database now (~10 MB,
   * synchronously, once per process), the AS table at the first `ready()`.
   */
  static load(): Geolocation {
    return new Geolocation(openDatabase(COUNTRY_DATABASE), () => AsnDatabase.load());
  }

  /** Resolves once every database is loaded (a database that fails to load is left out). */
  ready(): Promise<void> {
    this.asnLoading ??= this.loadAsn().then(
      (database) => {
        this.asn = database;
        this.cache.clear();
      },
      () => {
        this.asn = undefined;
      },
    );
    return this.asnLoading;
  }

  /** What the databases say about `address` (call after `ready()` to include the AS). */
  lookup(address: string): GeoInfo {
    const cached = this.cache.get(address);
    if (cached) return cached;
    if (!isExternalAddress(address)) return this.remember(address, NOTHING);
    const info: GeoInfo = {};
    const asn = this.asn;
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
    return this.remember(address, info);
  }

  /**
   * The country of a public `address` from the country database alone (no need to wait for
   * the AS table); null when private, unknown or not an address.
   */
  countryOf(address: string): string | null {
    if (!this.country || !isExternalAddress(address)) return null;
    try {
      return (this.country.get(address) as CountryRecord | null)?.country_code ?? null;
    } catch {
      return null;
    }
  }

  /** Caches answers (private addresses too: parsing them is most of a look-up's cost). */
  private remember(address: string, info: GeoInfo): GeoInfo {
    if (this.cache.size >= 250_000) this.cache.clear();
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
