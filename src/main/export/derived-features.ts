/**
 * Derived ML features (issue 4), as window expressions over the exported flows (after the
 * filter, before labeled-only and the split): what the seed notebooks computed by hand.
 */
import type { DerivedFeature } from '../../shared/export-types';
import { ipv6ValueSql } from '../query/cidr-sql';

const ordered = 'ORDER BY first_seen, flow_id';
const micros = 'epoch_us(first_seen)';

/** IPv4 dotted quad → 32-bit integer; IPv6 → 128-bit integer (RFC 4291 2.2 text); else NULL. */
function ipIntegerSql(column: string): string {
  const octet = (index: number, shift: number) => `(TRY_CAST(split_part(${column}, '.', ${index}) AS UHUGEINT) << ${shift})`;
  return `(CASE WHEN contains(${column}, ':') THEN ${ipv6ValueSql(column)} WHEN contains(${column}, '.') THEN ${octet(1, 24)} + ${octet(2, 16)} + ${octet(3, 8)} + ${octet(4, 0)} END)`;
}

/** Well-known services by transport protocol and responder port (IANA service names registry). */
const SERVICES: readonly [string, string][] = [
  ['service_http', 'protocol = 6 AND dst_port IN (80, 8000, 8080)'],
  ['service_https', 'protocol IN (6, 17) AND dst_port IN (443, 8443)'],
  ['service_dns', 'protocol IN (6, 17) AND dst_port = 53'],
  ['service_ssh', 'protocol = 6 AND dst_port = 22'],
  ['service_ftp', 'protocol = 6 AND dst_port IN (20, 21)'],
  ['service_smtp', 'protocol = 6 AND dst_port IN (25, 465, 587)'],
  ['service_telnet', 'protocol = 6 AND dst_port = 23'],
  ['service_smb', 'protocol = 6 AND dst_port IN (139, 445)'],
  ['service_rdp', 'protocol = 6 AND dst_port = 3389'],
  ['service_ntp', 'protocol = 17 AND dst_port = 123'],
];

/** `[column name, SQL expression]` pairs of one feature group, over the filtered flows. */
export function derivedColumns(feature: DerivedFeature): [string, string][] {
  switch (feature) {
    case 'host_bytes':
      // Bytes of the flow (both directions), summed per address in time order / overall.
      return [
        ['src_ip_running_bytes', `sum(bidirectional_bytes) OVER (PARTITION BY src_ip ${ordered} ROWS UNBOUNDED PRECEDING)::BIGINT`],
        ['src_ip_total_bytes', 'sum(bidirectional_bytes) OVER (PARTITION BY src_ip)::BIGINT'],
        ['dst_ip_running_bytes', `sum(bidirectional_bytes) OVER (PARTITION BY dst_ip ${ordered} ROWS UNBOUNDED PRECEDING)::BIGINT`],
        ['dst_ip_total_bytes', 'sum(bidirectional_bytes) OVER (PARTITION BY dst_ip)::BIGINT'],
      ];
    case 'ip_integers':
      return [
        ['src_ip_int', ipIntegerSql('src_ip')],
        ['dst_ip_int', ipIntegerSql('dst_ip')],
      ];
    case 'dst_port_frequency':
      return [['dst_port_frequency', 'count(*) OVER (PARTITION BY dst_port)::DOUBLE / count(*) OVER ()']];
    case 'service_one_hot':
      return [
        ...SERVICES.map(([name, condition]): [string, string] => [name, `(coalesce(${condition}, false))::INTEGER`]),
        ['service_other', `(NOT coalesce(${SERVICES.map(([, condition]) => `(${condition})`).join(' OR ')}, false))::INTEGER`],
      ];
    case 'flow_inter_arrival':
      return [
        ['flow_iat_ms', `(${micros} - lag(${micros}) OVER (${ordered})) / 1000.0`],
        ['src_ip_flow_iat_ms', `(${micros} - lag(${micros}) OVER (PARTITION BY src_ip ${ordered})) / 1000.0`],
      ];
  }
}
