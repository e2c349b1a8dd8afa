/**
 * Loads the committed tshark references (test/fixtures/reference/decode/*.tsv[.gz], made by
 * scripts/make-decode-reference.sh) and works out, per frame, which occurrence of each tshark
 * field describes the header Flowlab decodes (the innermost tunnelled IP header, but not the
 * headers quoted inside ICMP errors).
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export const REFERENCE_DIR = new URL('../../fixtures/reference/decode/', import.meta.url).pathname;
export const FIXTURE_DIR = new URL('../../fixtures/pcaps/', import.meta.url).pathname;

/** tshark's numeric text (decimal or 0x hex) as a number, 0 when absent. */
export const num = (text: string | undefined): number => (text === undefined ? 0 : Number(text));

/** Records a disagreement when `ours` and `tshark` differ (compared as JSON). */
export type Check = (name: string, ours: unknown, tshark: unknown) => void;

/** One tshark frame: every field's occurrences (split on U+001F). */
export type ReferenceRow = Map<string, string[]>;

export function loadReference(fixture: string): ReferenceRow[] {
  const plain = `${REFERENCE_DIR}${fixture}.tsv`;
  const text = existsSync(plain)
    ? readFileSync(plain, 'utf8')
    : gunzipSync(readFileSync(`${plain}.gz`)).toString('utf8');
  const lines = text.split('\n').filter((line) => line !== '');
  const fields = lines[0]!.split('\t');
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    const row: ReferenceRow = new Map();
    fields.forEach((field, index) => {
      const cell = cells[index] ?? '';
      row.set(field, cell === '' ? [] : cell.split('\x1f'));
    });
    return row;
  });
}

/** Occurrence `index` of `field`, or undefined. */
export function field(row: ReferenceRow, name: string, index = 0): string | undefined {
  return row.get(name)?.[index];
}

/** Layers tshark lists in frame.protocols that Flowlab walks through to reach the inner IP. */
const PASS_THROUGH = new Set([
  'eth',
  'radiotap',
  'wlan_radio',
  'wlan',
  'llc',
  'ethertype',
  'vlan',
  'sll',
  'null',
  'loop',
  'nflog',
  'ppp',
  'pppoes',
  'chdlc',
  'mpls',
  'raw',
  'gre',
  'vxlan',
  'erspan',
  'teredo',
  'geneve',
  'ipv6.hopopts',
  'ipv6.routing',
  'ipv6.fraghdr',
  'ipv6.dstopts',
  'ah',
]);
const UDP_TUNNELS = new Set(['vxlan', 'teredo', 'geneve']);

/** Which occurrences describe the decoded packet. */
export interface LayerChoice {
  tokens: string[];
  /** 4, 6 or 0 when tshark saw no IP. */
  ipVersion: number;
  /** Occurrence index among ip (ipVersion 4) or ipv6 (6) layers. */
  ipIndex: number;
  /** Occurrence index of each IPv6 extension-header token before the chosen ipv6 layer. */
  extensionBase: Map<string, number>;
  /** The layer after the IP (and its extension headers): tcp, udp, icmp, icmpv6, data, ... */
  transport: string | undefined;
  /** Occurrence index of `transport` among its kind. */
  transportIndex: number;
  /** The layer after the transport (dns, tls, http, ...). */
  application: string | undefined;
}

/** Walks frame.protocols to the innermost IP layer reached through tunnels only. */
export function chooseLayers(row: ReferenceRow): LayerChoice {
  const tokens = (field(row, 'frame.protocols') ?? '').split(':');
  const counts = new Map<string, number>();
  let ipVersion = 0;
  let ipIndex = -1;
  let extensionBase = new Map<string, number>();
  let stop = tokens.length;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    const seen = counts.get(token) ?? 0;
    if (token === 'ip' || token === 'ipv6') {
      ipVersion = token === 'ip' ? 4 : 6;
      ipIndex = seen;
      extensionBase = new Map(counts);
    } else if (!PASS_THROUGH.has(token) && !(token === 'udp' && UDP_TUNNELS.has(tokens[index + 1] ?? ''))) {
      stop = index;
      break;
    }
    counts.set(token, seen + 1);
  }
  const transport = tokens[stop];
  return {
    tokens,
    ipVersion,
    ipIndex,
    extensionBase,
    transport,
    transportIndex: transport === undefined ? 0 : (counts.get(transport) ?? 0),
    application: tokens[stop + 1],
  };
}

/** IPv6 text (RFC 4291 2.2, including '::' and a trailing dotted quad) as four 32-bit words. */
export function ipv6Words(text: string): number[] {
  const hexText = text.replace(
    /(\d+)\.(\d+)\.(\d+)\.(\d+)$/,
    (_match, a: string, b: string, c: string, d: string) =>
      `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const [left, right] = hexText.split('::') as [string, string | undefined];
  const parse = (part: string | undefined): number[] =>
    part ? part.split(':').map((group) => parseInt(group, 16)) : [];
  const leftGroups = parse(left);
  const rightGroups = parse(right);
  const groups =
    right === undefined
      ? leftGroups
      : [
          ...leftGroups,
          ...new Array<number>(8 - leftGroups.length - rightGroups.length).fill(0),
          ...rightGroups,
        ];
  return [0, 1, 2, 3].map((word) => ((groups[word * 2]! << 16) | groups[word * 2 + 1]!) >>> 0);
}

/** Dotted-quad text as the network-order 32-bit word. */
export function ipv4Word(text: string): number {
  return text.split('.').reduce((word, part) => ((word << 8) | Number(part)) >>> 0, 0);
}

/** MAC text as three 16-bit words. */
export function macWords(text: string): number[] {
  const bytes = text.split(':').map((part) => parseInt(part, 16));
  return [0, 1, 2].map((word) => (bytes[word * 2]! << 8) | bytes[word * 2 + 1]!);
}
