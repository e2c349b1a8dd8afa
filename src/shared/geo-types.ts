/** Request/response shapes of the world map of external peers (hosts.countries, hosts.countryHosts). */
import type { FlowFilter } from './query-types';

/** Traffic of the public addresses one country holds, among the filtered flows. */
export interface CountryTraffic {
  /** ISO 3166-1 alpha-2 code from the offline country database, e.g. 'DE'. */
  country: string;
  /** Bytes sent plus received by the country's addresses. */
  bytes: number;
  packets: number;
  /** Flows of the country's addresses (a flow between two of them counts twice). */
  flows: number;
  /** Distinct public addresses. */
  hosts: number;
}

export interface CountriesRequest {
  filter: FlowFilter;
}

export interface CountryHostsRequest {
  filter: FlowFilter;
  /** ISO 3166-1 alpha-2 code. */
  country: string;
  /** Most addresses returned, heaviest first (default and maximum 10,000, the filter's host limit). */
  limit?: number;
}

export interface CountryHosts {
  addresses: string[];
  /** True when the country has more addresses than returned. */
  truncated: boolean;
}
