/**
 * DNS indicators over every DNS message of the case (dns_messages): NXDOMAIN volume per client
 * and per registered domain (DGA), and tunnelling (query volume, unique subdomains, long or
 * high-entropy labels, tunnel-friendly record types).
 */
import type { Finding } from '../../shared/detect-types';
import type { DetectContext } from './detect-context';
import {
  captureCondition,
  findingFilter,
  noisyOr,
  num,
  PROPOSED_LABELS,
  quoteFilterText,
  roundScore,
  saturate,
} from './detect-context';
import { summaryRows } from './summaries-source';

/** Above this many flows a finding's filter is an expression instead of a flow id list (filter expressions stop at 10,000 characters). */
export const MAX_FLOW_IDS = 500;

/**
 * The registered domain of a lower-cased name without its trailing dot: the last two labels, or
 * three under a two-letter country code with a generic second level (example.co.uk). An
 * approximation of the Public Suffix List, written in SQL.
 */
export const REGISTERED_DOMAIN_SQL = `CASE
  WHEN len(labels) >= 3 AND length(labels[-1]) = 2 AND labels[-2] IN ('co', 'com', 'net', 'org', 'gov', 'ac', 'edu', 'ne', 'or', 'go')
    THEN array_to_string(labels[-3:], '.')
  ELSE array_to_string(labels[-2:], '.') END`;

/**
 * DNS names split into labels, one row per DNS message (dns_messages: every query and response,
 * so a tunnel that sends thousands of queries over one UDP flow counts them all), with the
 * flow's client and resolver. Captures ingested before dns_messages existed fall back to their
 * flows' first query, weighted by the flow's client-to-server packets. `queries` is the row's
 * query count, `nxdomain` whether it is an NXDOMAIN answer. Local and reverse look-ups left out.
 */
function dnsNamesSql(options: DetectContext['options']): string {
  return `
  SELECT *,
         CASE WHEN tld_ok THEN ${REGISTERED_DOMAIN_SQL} ELSE labels[1] END AS domain,
         CASE WHEN tld_ok
           THEN array_to_string(labels[1:len(labels) - len(string_split(${REGISTERED_DOMAIN_SQL}, '.'))], '')
           ELSE array_to_string(labels[2:], '') END AS subdomain_text
  FROM (
    SELECT *, lower(rtrim(query, '.')) AS name, string_split(lower(rtrim(query, '.')), '.') AS labels,
           -- A name whose last label cannot be a TLD (dnscat2 without a domain: dnscat.<hex>)
           -- is grouped by its first label instead.
           regexp_full_match(string_split(lower(rtrim(query, '.')), '.')[-1], '[a-z]{2,24}|xn--[a-z0-9-]{1,59}') AS tld_ok
    FROM (
      SELECT m.flow_id, m.capture_id, f.src_ip, f.dst_ip, m.qtype AS dns_qtype, m.query,
             CASE WHEN m.is_response THEN 0 ELSE 1 END AS queries,
             coalesce(m.is_response AND m.rcode = 'NXDOMAIN', false) AS nxdomain
      FROM dns_messages m JOIN flows f ON f.flow_id = m.flow_id
      WHERE ${captureCondition(options, 'm.capture_id')}
      UNION ALL
      SELECT flow_id, capture_id, src_ip, dst_ip, dns_qtype, dns_query, src2dst_packets, coalesce(dns_rcode = 'NXDOMAIN', false)
      FROM flows
      WHERE ${captureCondition(options)} AND dns_query IS NOT NULL
        AND capture_id NOT IN (SELECT DISTINCT capture_id FROM dns_messages)
    )
    WHERE query IS NOT NULL AND query <> ''
  )
  WHERE len(labels) >= 2 AND labels[-1] NOT IN ('local', 'arpa', 'localdomain', 'home', 'lan', 'internal')`;
}

/** The filter of a group of flows: its flow ids, or `fallback` when there are too many. */
function flowsFilter(captureId: number, flowIds: unknown, fallback: string) {
  const ids = Array.isArray(flowIds) ? flowIds.map(Number) : [];
  return ids.length > 0 && ids.length <= MAX_FLOW_IDS
    ? findingFilter(captureId, `flow_id in (${ids.join(', ')})`)
    : findingFilter(captureId, fallback);
}

/**
 * NXDOMAIN answers grouped per (capture, client) and per (capture, registered domain): every
 * group, before the threshold (kept whole per capture in detect_dns_nx, detect-summaries.ts).
 */
export function nxdomainGroupsSql(options: DetectContext['options']): string {
  return `WITH names AS (${dnsNamesSql(options)}),
     nx AS (SELECT * FROM names WHERE nxdomain)
     SELECT 'client' AS per, capture_id, src_ip AS who, count(*) AS n, count(DISTINCT flow_id) AS flows,
            count(DISTINCT name) AS names, count(DISTINCT domain) AS domains,
            CASE WHEN count(DISTINCT flow_id) <= ${MAX_FLOW_IDS} THEN list(DISTINCT flow_id ORDER BY flow_id) END AS ids
     FROM nx GROUP BY ALL
     UNION ALL
     SELECT 'domain', capture_id, domain, count(*), count(DISTINCT flow_id), count(DISTINCT name), count(DISTINCT src_ip),
            CASE WHEN count(DISTINCT flow_id) <= ${MAX_FLOW_IDS} THEN list(DISTINCT flow_id ORDER BY flow_id) END
     FROM nx GROUP BY ALL`;
}

export async function detectNxdomain(context: DetectContext): Promise<Finding[]> {
  const t = context.options.thresholds;
  // The groups are per capture and threshold-free: the summaries hold them when they cover the scope.
  const groups = await summaryRows(context, 'detect_dns_nx', '*', () => nxdomainGroupsSql(context.options));
  const rows = await context.store.rows(`SELECT * FROM (${groups}) WHERE n >= $min ORDER BY n DESC`, {
    min: t.nxdomainMinResponses,
  });
  return rows.map((row): Finding => {
    const captureId = num(row.capture_id);
    const who = String(row.who);
    const n = num(row.n);
    const perClient = row.per === 'client';
    const fallback = perClient
      ? `src_ip = ${quoteFilterText(who)} and dns_rcode = 'NXDOMAIN'`
      : `dns_rcode = 'NXDOMAIN' and dns_query endswith ${quoteFilterText(who)}`;
    return {
      kind: 'dns-nxdomain',
      score: roundScore(saturate(n, t.nxdomainMinResponses)),
      src_ip: perClient ? who : null,
      dst_ip: null,
      capture_id: captureId,
      flows: num(row.flows),
      summary: perClient
        ? `${n} NXDOMAIN answers to ${who} (${num(row.names)} names in ${num(row.domains)} domains)`
        : `${n} NXDOMAIN answers for names under ${who} (${num(row.names)} names, ${num(row.domains)} clients)`,
      why: [`${n} NXDOMAIN responses >= ${t.nxdomainMinResponses}`],
      metrics: {
        per: String(row.per),
        nxdomain: n,
        names: num(row.names),
        ...(perClient ? { domains: num(row.domains) } : { domain: who, clients: num(row.domains) }),
      },
      filter: flowsFilter(captureId, row.ids, fallback),
      label: PROPOSED_LABELS['dns-nxdomain'],
    };
  });
}

/** Record types that carry arbitrary data and that tunnels use (iodine: NULL; dnscat2: TXT, MX, CNAME). */
const TUNNEL_QTYPES = "('NULL', 'TXT', 'MX', 'CNAME', 'PRIVATE')";

/**
 * DNS names grouped per (capture, client, registered domain) with the tunnelling indicators:
 * every group, before the thresholds (kept whole per capture in detect_dns_groups).
 */
export function dnsTunnelGroupsSql(options: DetectContext['options']): string {
  return `WITH names AS (${dnsNamesSql(options)}),
     scored AS (
       SELECT *, length(subdomain_text) AS text_length,
              list_max(list_transform(labels, label -> length(label))) AS longest_label,
              CASE WHEN length(subdomain_text) >= 16 THEN list_aggregate(string_split(subdomain_text, ''), 'entropy') END AS entropy
       FROM names
     )
     SELECT capture_id, src_ip, domain, count(DISTINCT flow_id) AS flows, CAST(sum(queries) AS DOUBLE) AS queries,
            count(DISTINCT name) AS subdomains, max(longest_label) AS longest_label, CAST(max(entropy) AS DOUBLE) AS entropy,
            CAST(coalesce(avg(CASE WHEN dns_qtype IN ${TUNNEL_QTYPES} THEN 1 ELSE 0 END) FILTER (WHERE queries > 0), 0) AS DOUBLE) AS tunnel_qtype_share,
            mode(dst_ip) AS resolver,
            CASE WHEN count(DISTINCT flow_id) <= ${MAX_FLOW_IDS} THEN list(DISTINCT flow_id ORDER BY flow_id) END AS ids
     FROM scored GROUP BY ALL`;
}

export async function detectDnsTunnels(context: DetectContext): Promise<Finding[]> {
  const t = context.options.thresholds;
  const groups = await summaryRows(context, 'detect_dns_groups', '*', () =>
    dnsTunnelGroupsSql(context.options),
  );
  const rows = await context.store.rows(
    `SELECT * FROM (${groups})
     WHERE queries >= $minQueries OR subdomains >= $minSubdomains OR (longest_label >= $minLabel AND entropy >= $minEntropy)`,
    {
      minQueries: t.dnsTunnelMinQueries,
      minSubdomains: t.dnsTunnelMinSubdomains,
      minLabel: t.dnsTunnelMinLabelLength,
      minEntropy: t.dnsTunnelMinEntropy,
    },
  );
  const findings: Finding[] = [];
  for (const row of rows) {
    const queries = num(row.queries);
    const subdomains = num(row.subdomains);
    const longest = num(row.longest_label);
    const entropy = num(row.entropy);
    const qtypeShare = num(row.tunnel_qtype_share);
    const indicators: { score: number; why: string }[] = [];
    if (queries >= t.dnsTunnelMinQueries)
      indicators.push({
        score: saturate(queries, t.dnsTunnelMinQueries),
        why: `${queries} queries >= ${t.dnsTunnelMinQueries}`,
      });
    if (subdomains >= t.dnsTunnelMinSubdomains)
      indicators.push({
        score: saturate(subdomains, t.dnsTunnelMinSubdomains),
        why: `${subdomains} distinct names >= ${t.dnsTunnelMinSubdomains}`,
      });
    if (longest >= t.dnsTunnelMinLabelLength)
      indicators.push({
        score: saturate(longest, t.dnsTunnelMinLabelLength),
        why: `label of ${longest} characters >= ${t.dnsTunnelMinLabelLength}`,
      });
    if (entropy >= t.dnsTunnelMinEntropy)
      indicators.push({
        score: saturate(entropy, t.dnsTunnelMinEntropy),
        why: `label entropy ${entropy.toFixed(2)} bits/char >= ${t.dnsTunnelMinEntropy}`,
      });
    if (qtypeShare >= 0.5)
      indicators.push({
        score: 0.5,
        why: `${Math.round(qtypeShare * 100)}% of the queries ask for NULL/TXT/MX/CNAME records`,
      });
    // One indicator alone is ordinary (a busy client, one long CDN label): two are needed.
    if (indicators.length < 2) continue;
    const captureId = num(row.capture_id);
    const srcIp = String(row.src_ip);
    const domain = String(row.domain);
    findings.push({
      kind: 'dns-tunnel',
      score: roundScore(noisyOr(indicators.map((indicator) => indicator.score))),
      src_ip: srcIp,
      dst_ip: row.resolver === null ? null : String(row.resolver),
      capture_id: captureId,
      flows: num(row.flows),
      summary: `DNS tunnel suspect: ${srcIp} → *.${domain}: ${queries} queries, ${subdomains} names, longest label ${longest}`,
      why: indicators.map((indicator) => indicator.why),
      metrics: {
        domain,
        queries,
        subdomains,
        longestLabel: longest,
        entropy: Number.isNaN(entropy) ? null : entropy,
        tunnelQtypeShare: qtypeShare,
      },
      filter: flowsFilter(
        captureId,
        row.ids,
        `src_ip = ${quoteFilterText(srcIp)} and dns_query endswith ${quoteFilterText(domain)}`,
      ),
      label: PROPOSED_LABELS['dns-tunnel'],
    });
  }
  return findings;
}
