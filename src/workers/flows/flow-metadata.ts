import { AppSignature, type PacketMeta } from '../../shared/packet-batch';
import { grown } from './grown';

const DNS_RESPONSE_SEEN = 1;
const HTTP_REQUEST_SEEN = 2;
const HTTP_RESPONSE_SEEN = 4;
/** Some packet of the flow carried metadata (only those slots have strings to clear). */
const ANY_META = 8;

/** '' and undefined both mean "absent". */
const present = (value: string | undefined): value is string => value !== undefined && value !== '';
const orNull = (value: string | undefined): string | null => (present(value) ? value : null);

/**
 * Application metadata per flow slot, taken from the packets' `meta` entries (only packets that
 * carry DNS/TLS/HTTP heads have one, so this runs for few packets and only copies references):
 *   dns_query, dns_qtype: first non-empty value, independently;
 *   dns_rcode, dns_answers: from the first DNS response (dnsIsResponse, or an rcode when the
 *     decoder left dnsIsResponse unset), NULL when that response lacks them;
 *   tls_sni: first non-empty SNI (only ClientHellos carry one, RFC 6066 3);
 *   tls_version: the first version from a packet whose signature is a ServerHello, else the
 *     first version from any other packet (the ClientHello);
 *   http_method/host/uri/user_agent: all from the first request (first meta with a method);
 *   http_status: from the first response (first meta with a status).
 */
export class FlowMetadata {
  dnsQuery: (string | null)[] = [];
  dnsQtype: (string | null)[] = [];
  dnsRcode: (string | null)[] = [];
  dnsAnswers: (string | null)[] = [];
  tlsSni: (string | null)[] = [];
  private tlsClientVersion: (string | null)[] = [];
  private tlsServerVersion: (string | null)[] = [];
  httpMethod: (string | null)[] = [];
  httpHost: (string | null)[] = [];
  httpUri: (string | null)[] = [];
  httpUserAgent: (string | null)[] = [];
  /** NaN = NULL. */
  httpStatus: Float64Array;
  private seen: Uint8Array;
  private readonly stringColumns: (string | null)[][] = [
    this.dnsQuery,
    this.dnsQtype,
    this.dnsRcode,
    this.dnsAnswers,
    this.tlsSni,
    this.tlsClientVersion,
    this.tlsServerVersion,
    this.httpMethod,
    this.httpHost,
    this.httpUri,
    this.httpUserAgent,
  ];

  constructor(capacity: number) {
    this.httpStatus = new Float64Array(0);
    this.seen = new Uint8Array(0);
    this.grow(capacity);
  }

  grow(capacity: number): void {
    this.httpStatus = grown(this.httpStatus, capacity, NaN);
    this.seen = grown(this.seen, capacity);
    for (const column of this.stringColumns) {
      while (column.length < capacity) column.push(null);
    }
  }

  reset(slot: number): void {
    if ((this.seen[slot]! & ANY_META) === 0) return; // nothing was set since the last reset
    for (const column of this.stringColumns) column[slot] = null;
    this.httpStatus[slot] = NaN;
    this.seen[slot] = 0;
  }

  /** Folds one packet's metadata into the flow in `slot`. */
  add(slot: number, meta: PacketMeta, appSignature: number): void {
    if (this.dnsQuery[slot] === null && present(meta.dnsQuery)) this.dnsQuery[slot] = meta.dnsQuery;
    if (this.dnsQtype[slot] === null && present(meta.dnsQtype)) this.dnsQtype[slot] = meta.dnsQtype;
    this.seen[slot] = this.seen[slot]! | ANY_META;
    const seen = this.seen[slot]!;
    const dnsResponse = meta.dnsIsResponse ?? meta.dnsRcode !== undefined;
    if (dnsResponse && (seen & DNS_RESPONSE_SEEN) === 0) {
      this.seen[slot] = this.seen[slot]! | DNS_RESPONSE_SEEN;
      this.dnsRcode[slot] = orNull(meta.dnsRcode);
      this.dnsAnswers[slot] = orNull(meta.dnsAnswers);
    }
    if (this.tlsSni[slot] === null && present(meta.tlsSni)) this.tlsSni[slot] = meta.tlsSni;
    if (present(meta.tlsVersion)) {
      const versions =
        appSignature === AppSignature.tlsServerHello ? this.tlsServerVersion : this.tlsClientVersion;
      if (versions[slot] === null) versions[slot] = meta.tlsVersion;
    }
    if (present(meta.httpMethod) && (seen & HTTP_REQUEST_SEEN) === 0) {
      this.seen[slot] = this.seen[slot]! | HTTP_REQUEST_SEEN;
      this.httpMethod[slot] = meta.httpMethod;
      this.httpHost[slot] = orNull(meta.httpHost);
      this.httpUri[slot] = orNull(meta.httpUri);
      this.httpUserAgent[slot] = orNull(meta.httpUserAgent);
    }
    if (meta.httpStatus !== undefined && (seen & HTTP_RESPONSE_SEEN) === 0) {
      this.seen[slot] = this.seen[slot]! | HTTP_RESPONSE_SEEN;
      this.httpStatus[slot] = meta.httpStatus;
    }
  }

  /** The server's selected TLS version, else the client's. */
  tlsVersion(slot: number): string | null {
    return this.tlsServerVersion[slot] ?? this.tlsClientVersion[slot] ?? null;
  }
}
