import { describe, expect, it } from 'vitest';
import { AppSignature } from '../../../src/shared/packet-batch';
import { FlowAssembler } from '../../../src/workers/flows/flow-assembler';
import { flowRows, makeBatch, type SyntheticPacket } from './synthetic-packets';

const TCP = 6;
const UDP = 17;
const client = { src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80, proto: TCP };
const server = { src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 40000, proto: TCP };

function assemble(packets: SyntheticPacket[]) {
  const assembler = new FlowAssembler({ idleTimeoutSeconds: 0, activeTimeoutSeconds: 0 });
  const batch = makeBatch(packets);
  return { rows: flowRows(assembler.push(batch), assembler.finish()), batch };
}

describe('FlowAssembler: DNS metadata and application guesses', () => {
  const query = {
    src: '10.0.0.9',
    dst: '10.0.0.53',
    sport: 33333,
    dport: 53,
    proto: UDP,
    app: AppSignature.dns,
  };
  const answer = {
    src: '10.0.0.53',
    dst: '10.0.0.9',
    sport: 53,
    dport: 33333,
    proto: UDP,
    app: AppSignature.dns,
  };

  it('takes the query from the first query and rcode/answers from the first response', () => {
    const { rows } = assemble([
      { ...query, ms: 0, meta: { dnsQuery: 'example.com', dnsQtype: 'A', dnsIsResponse: false } },
      {
        ...answer,
        ms: 3,
        meta: {
          dnsQuery: 'example.com',
          dnsQtype: 'A',
          dnsIsResponse: true,
          dnsRcode: 'NOERROR',
          dnsAnswers: '93.184.216.34',
        },
      },
      { ...query, ms: 4, meta: { dnsQuery: 'other.org', dnsQtype: 'AAAA', dnsIsResponse: false } },
      { ...answer, ms: 6, meta: { dnsQuery: 'other.org', dnsIsResponse: true, dnsRcode: 'NXDOMAIN' } },
    ]);
    expect(rows[0]).toMatchObject({
      application: 'DNS',
      dns_query: 'example.com',
      dns_qtype: 'A',
      dns_rcode: 'NOERROR',
      dns_answers: '93.184.216.34',
      requested_server_name: 'example.com',
      http_status: NaN,
      tcp_state: null,
    });
  });

  it('prefers the SNI and the ServerHello version for TLS', () => {
    const { rows } = assemble([
      {
        ...client,
        dport: 8443,
        ms: 0,
        app: AppSignature.tlsClientHello,
        meta: { tlsSni: 'www.example.org', tlsVersion: 'TLS 1.2' },
      },
      { ...server, sport: 8443, ms: 1, app: AppSignature.tlsServerHello, meta: { tlsVersion: 'TLS 1.3' } },
    ]);
    expect(rows[0]).toMatchObject({
      application: 'TLS',
      tls_sni: 'www.example.org',
      tls_version: 'TLS 1.3',
      requested_server_name: 'www.example.org',
    });
  });

  it('falls back to the responder port, then the lower port, else NULL', () => {
    const { rows } = assemble([
      { ms: 0, sport: 40001, dport: 53, proto: UDP },
      { ms: 1, sport: 5060, dport: 40002, proto: UDP },
      { ms: 2, sport: 40003, dport: 40004, proto: UDP },
      { ms: 3, sport: 40005, dport: 443, proto: UDP },
      { ms: 4, sport: 40006, dport: 22, proto: TCP, flags: 'S' },
    ]);
    expect(rows.map((row) => row.application)).toEqual(['DNS', 'SIP', null, 'QUIC', 'SSH']);
  });
});

describe('FlowAssembler: first-value rules', () => {
  it('skips empty values, treats an rcode as a response and keeps the first HTTP request/response', () => {
    const { rows } = assemble([
      { ...client, ms: 0, meta: { dnsQuery: '', dnsQtype: 'TXT' } },
      { ...client, ms: 1, meta: { dnsQuery: 'late.example', httpMethod: 'POST', httpUri: '/a' } },
      { ...server, ms: 2, meta: { dnsRcode: 'SERVFAIL', httpStatus: 500 } },
      { ...client, ms: 3, meta: { httpMethod: 'GET', httpHost: 'ignored.example', httpUri: '/b' } },
      { ...server, ms: 4, meta: { dnsIsResponse: true, dnsRcode: 'NOERROR', httpStatus: 200 } },
    ]);
    expect(rows[0]).toMatchObject({
      dns_query: 'late.example',
      dns_qtype: 'TXT',
      dns_rcode: 'SERVFAIL',
      dns_answers: null,
      http_method: 'POST',
      http_uri: '/a',
      http_host: null,
      http_user_agent: null,
      http_status: 500,
      requested_server_name: 'late.example',
    });
  });

  it('keeps the ClientHello version when no ServerHello is seen', () => {
    const { rows } = assemble([
      { ...client, ms: 0, app: AppSignature.tlsClientHello, meta: { tlsVersion: 'TLS 1.2' } },
    ]);
    expect(rows[0]).toMatchObject({ tls_version: 'TLS 1.2', tls_sni: null, application: 'TLS' });
  });

  it('takes MACs from the first src→dst packet, swapped from a dst→src one until then', () => {
    const mac = { a: '02:00:00:00:00:0a', b: '02:00:00:00:00:0b', c: '02:00:00:00:00:0c' };
    const onlyReverse = assemble([
      { ...server, ms: 0, flags: 'SA', srcMac: mac.b, dstMac: mac.a },
      { ...server, ms: 1, flags: 'A', srcMac: mac.c, dstMac: mac.c },
    ]).rows[0]!;
    expect([onlyReverse.src_ip, onlyReverse.src_mac, onlyReverse.dst_mac]).toEqual([
      '10.0.0.1',
      mac.a,
      mac.b,
    ]);
    const both = assemble([
      { ...server, ms: 0, flags: 'SA', srcMac: mac.b, dstMac: mac.a },
      { ...client, ms: 1, flags: 'A', srcMac: mac.c, dstMac: mac.b },
      { ...client, ms: 2, flags: 'A', srcMac: mac.a, dstMac: mac.a },
    ]).rows[0]!;
    expect([both.src_mac, both.dst_mac]).toEqual([mac.c, mac.b]);
  });
});
