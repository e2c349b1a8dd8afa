/**
 * Offline IP → AS number and organisation from the `@ip-location-db/asn` npm package (CSV
 * ranges `first,last,asn,organisation` with addresses as decimal integers; RouteViews, the five
 * RIRs and DB-IP's IP to ASN Lite, CC BY 4.0; README "Geolocation data"). The ranges are read
 * once into typed arrays and searched by bisection; no network look-ups.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseIpAddress } from '../../shared/filter/ip-address';

export const ASN_PACKAGE = '@ip-location-db/asn';
const IPV4_FILE = 'asn-ipv4-num.csv';
const IPV6_FILE = 'asn-ipv6-num.csv';

export interface AsnRecord {
  asn: number;
  organization: string | null;
}

/** Sorted, non-overlapping ranges of one address family. */
interface RangeTable {
  /** IPv4: the bounds; IPv6: the high 64 bits of the bounds (low 64 bits in `*Low`). */
  first: Float64Array | BigUint64Array;
  last: Float64Array | BigUint64Array;
  firstLow?: BigUint64Array;
  lastLow?: BigUint64Array;
  asn: Uint32Array;
  organization: Int32Array;
  count: number;
}

const MASK_64 = (1n << 64n) - 1n;

export class AsnDatabase {
  private constructor(
    private readonly v4: RangeTable,
    private readonly v6: RangeTable,
    private readonly organizations: string[],
  ) {}

  /**
   * Loads the package's CSVs, or undefined when the package is not installed. Parsing takes
   * about 1.5 s of CPU: it yields to the event loop every few thousand rows so a server keeps
   * answering other requests meanwhile.
   */
  static async load(): Promise<AsnDatabase | undefined> {
    let directory: string;
    try {
      directory = path.dirname(createRequire(import.meta.url).resolve(`${ASN_PACKAGE}/package.json`));
    } catch {
      return undefined;
    }
    const [ipv4Csv, ipv6Csv] = await Promise.all([
      readFile(path.join(directory, IPV4_FILE), 'utf8'),
      readFile(path.join(directory, IPV6_FILE), 'utf8'),
    ]);
    return AsnDatabase.fromCsv(ipv4Csv, ipv6Csv);
  }

  /** Builds the tables from the CSV texts (rows sorted by their first address, as shipped). */
  static async fromCsv(ipv4Csv: string, ipv6Csv: string): Promise<AsnDatabase> {
    const organizations: string[] = [];
    const organizationIndex = new Map<string, number>();
    const internOrganization = (name: string): number => {
      if (name === '') return -1;
      let index = organizationIndex.get(name);
      if (index === undefined) {
        index = organizations.push(name) - 1;
        organizationIndex.set(name, index);
      }
      return index;
    };
    return new AsnDatabase(
      await readRanges(ipv4Csv, 4, internOrganization),
      await readRanges(ipv6Csv, 6, internOrganization),
      organizations,
    );
  }

  /** The AS announcing `address`, or undefined (not an address, or in no range). */
  lookup(address: string): AsnRecord | undefined {
    const parsed = parseIpAddress(address);
    if (!parsed) return undefined;
    const index =
      parsed.version === 4
        ? findV4(this.v4, Number(parsed.value))
        : findV6(this.v6, parsed.value >> 64n, parsed.value & MASK_64);
    if (index < 0) return undefined;
    const table = parsed.version === 4 ? this.v4 : this.v6;
    const organization = table.organization[index]!;
    return {
      asn: table.asn[index]!,
      organization: organization < 0 ? null : this.organizations[organization]!,
    };
  }
}

/** One CSV line's fields (RFC 4180 quoting: "a, ""b""" → a, "b"). */
function csvFields(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      fields.push(value);
      i++; // the comma
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}

/** Rows parsed between two yields to the event loop. */
const ROWS_PER_SLICE = 20_000;

async function readRanges(
  csv: string,
  version: 4 | 6,
  intern: (name: string) => number,
): Promise<RangeTable> {
  const lines = csv.split('\n').filter((line) => line.length > 0);
  const count = lines.length;
  const table: RangeTable =
    version === 4
      ? {
          first: new Float64Array(count),
          last: new Float64Array(count),
          asn: new Uint32Array(count),
          organization: new Int32Array(count),
          count: 0,
        }
      : {
          first: new BigUint64Array(count),
          last: new BigUint64Array(count),
          firstLow: new BigUint64Array(count),
          lastLow: new BigUint64Array(count),
          asn: new Uint32Array(count),
          organization: new Int32Array(count),
          count: 0,
        };
  for (let index = 0; index < lines.length; index++) {
    if (index % ROWS_PER_SLICE === ROWS_PER_SLICE - 1)
      await new Promise<void>((resolve) => setImmediate(resolve));
    const line = lines[index]!;
    const [first, last, asn, organization] = csvFields(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (!first || !last || !asn || !/^\d+$/.test(first) || !/^\d+$/.test(last) || !/^\d+$/.test(asn))
      continue;
    const row = table.count++;
    if (version === 4) {
      (table.first as Float64Array)[row] = Number(first);
      (table.last as Float64Array)[row] = Number(last);
    } else {
      const from = BigInt(first);
      const to = BigInt(last);
      (table.first as BigUint64Array)[row] = from >> 64n;
      table.firstLow![row] = from & MASK_64;
      (table.last as BigUint64Array)[row] = to >> 64n;
      table.lastLow![row] = to & MASK_64;
    }
    table.asn[row] = Number(asn);
    table.organization[row] = intern(organization ?? '');
  }
  return table;
}

/** Index of the range holding `value`: the last range starting at or before it, if it ends after. */
function findV4(table: RangeTable, value: number): number {
  const first = table.first as Float64Array;
  let low = 0;
  let high = table.count - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (first[middle]! <= value) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found >= 0 && value <= (table.last as Float64Array)[found]! ? found : -1;
}

function findV6(table: RangeTable, high64: bigint, low64: bigint): number {
  const firstHigh = table.first as BigUint64Array;
  const firstLow = table.firstLow!;
  const atOrBefore = (index: number): boolean =>
    firstHigh[index]! < high64 || (firstHigh[index] === high64 && firstLow[index]! <= low64);
  let low = 0;
  let high = table.count - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (atOrBefore(middle)) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  if (found < 0) return -1;
  const lastHigh = (table.last as BigUint64Array)[found]!;
  const lastLow = table.lastLow![found]!;
  return high64 < lastHigh || (high64 === lastHigh && low64 <= lastLow) ? found : -1;
}
