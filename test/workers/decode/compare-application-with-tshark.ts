/** Application-layer part of the tshark comparison: DNS, TLS/DTLS hellos, HTTP heads, signatures. */
import { AppSignature, type PacketBatch, type PacketMeta } from '../../../src/shared/packet-batch';
import { field, num, type Check, type LayerChoice, type ReferenceRow } from './tshark-reference';

/** DNS type numbers that appear in the fixtures, by mnemonic (written out here, not taken from src). */
const DNS_TYPES: Record<number, string> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  10: 'NULL',
  12: 'PTR',
  15: 'MX',
  16: 'TXT',
  19: 'X25',
  28: 'AAAA',
  33: 'SRV',
  41: 'OPT',
  255: 'ANY',
  65: 'HTTPS',
  64: 'SVCB',
  99: 'SPF',
  35: 'NAPTR',
  43: 'DS',
  48: 'DNSKEY',
};
const DNS_RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
const TLS_VERSIONS: Record<number, string> = {
  0x0304: 'TLS 1.3',
  0x0303: 'TLS 1.2',
  0x0302: 'TLS 1.1',
  0x0301: 'TLS 1.0',
  0x0300: 'SSL 3.0',
  0xfeff: 'DTLS 1.0',
  0xfefd: 'DTLS 1.2',
  0xfefc: 'DTLS 1.3',
};

/** Compares the metadata and signature of row `row` with tshark's application fields. */
export function compareApplication(
  batch: PacketBatch,
  row: number,
  ref: ReferenceRow,
  layers: LayerChoice,
  meta: PacketMeta,
  check: Check,
): void {
  const app = layers.transport === 'tcp' || layers.transport === 'udp' ? layers.application : undefined;
  const signature = batch.appSignature[row];
  // DNS.
  const isDns = app === 'dns' || app === 'mdns' || app === 'llmnr';
  // tshark lists a dns layer without any field when the segment is too short for a header.
  const tsharkDns = isDns && field(ref, 'dns.id') !== undefined;
  if (tsharkDns || meta.dnsTransactionId !== undefined) {
    const response = field(ref, 'dns.flags.response') === '1';
    const type = field(ref, 'dns.qry.type');
    check(
      'dns',
      [meta.dnsTransactionId, meta.dnsIsResponse, meta.dnsQuery, meta.dnsQtype, meta.dnsRcode],
      tsharkDns
        ? [
            num(field(ref, 'dns.id')),
            response,
            field(ref, 'dns.qry.name'),
            type === undefined ? undefined : (DNS_TYPES[Number(type)] ?? `TYPE${type}`),
            response ? DNS_RCODES[num(field(ref, 'dns.flags.rcode'))] : undefined,
          ]
        : [],
    );
    const known = new Set(
      ['dns.a', 'dns.aaaa', 'dns.cname', 'dns.ptr.domain_name', 'dns.ns'].flatMap(
        (name) => ref.get(name) ?? [],
      ),
    );
    const unknownAnswers = (meta.dnsAnswers?.split(',') ?? []).filter((answer) => !known.has(answer));
    check('dnsAnswers', unknownAnswers, []);
  }
  if (isDns) {
    check(
      'appSignature',
      signature,
      app === 'dns' ? AppSignature.dns : app === 'mdns' ? AppSignature.mdns : AppSignature.llmnr,
    );
  }
  // TLS/DTLS hellos (also the ClientHello in a QUIC Initial): the first hello of the packet.
  const isQuic = app === 'quic';
  const prefix = app === 'dtls' ? 'dtls' : 'tls';
  const handshakes =
    app === 'tls' || app === 'dtls' || isQuic ? (ref.get(`${prefix}.handshake.type`) ?? []).map(Number) : [];
  const handshake = handshakes.find((type) => type === 1 || type === 2) ?? 0;
  if (handshake !== 0 || meta.tlsVersion !== undefined) {
    const offered = (ref.get(`${prefix}.handshake.extensions.supported_version`) ?? [])
      .map(Number)
      .filter((v) => (v & 0x0f0f) !== 0x0a0a);
    const rank = (v: number): number => (v >= 0xfe00 ? 0x10000 - v : v >> 8 === 0x7f ? 0x0304 : v);
    const best =
      offered.length > 0
        ? offered.reduce((a, b) => (rank(b) > rank(a) ? b : a))
        : num(field(ref, `${prefix}.handshake.version`));
    const version = best >> 8 === 0x7f ? 0x0304 : best;
    check(
      'tls',
      [meta.tlsSni, meta.tlsVersion],
      handshake !== 0
        ? [field(ref, `${prefix}.handshake.extensions_server_name`), TLS_VERSIONS[version]]
        : [],
    );
    const helloSignature =
      handshake === 1
        ? AppSignature.tlsClientHello
        : handshake === 2
          ? AppSignature.tlsServerHello
          : 'tls hello';
    check('appSignature', signature, isQuic ? AppSignature.quic : helloSignature);
  }
  // gQUIC CHLO: the SNI tag.
  const gquicSni = app === 'gquic' ? field(ref, 'gquic.tag.sni') : undefined;
  if (gquicSni !== undefined || (meta.tlsSni !== undefined && meta.tlsVersion === undefined)) {
    check('gquic', [meta.tlsSni, signature], [gquicSni, AppSignature.quic]);
  }
  // HTTP heads.
  const method = app === 'http' ? field(ref, 'http.request.method') : undefined;
  if (method !== undefined || meta.httpMethod !== undefined) {
    check(
      'http',
      [meta.httpMethod, meta.httpUri, meta.httpHost, meta.httpUserAgent],
      [method, field(ref, 'http.request.uri'), field(ref, 'http.host'), field(ref, 'http.user_agent')],
    );
    check('appSignature', signature, method !== undefined ? AppSignature.httpRequest : 'http request');
  }
  const status = app === 'http' ? field(ref, 'http.response.code') : undefined;
  if (status !== undefined || meta.httpStatus !== undefined) {
    check('httpStatus', meta.httpStatus, status === undefined ? undefined : Number(status));
  }
  if (app === 'ssh') check('appSignature', signature, AppSignature.ssh);
}
