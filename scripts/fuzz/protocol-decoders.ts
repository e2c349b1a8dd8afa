/**
 * Every per-protocol decoder of src/workers/decode, callable uniformly on (bytes, offset, end)
 * so the fuzzer can hand each one mutated payloads directly, below the link layer that would
 * usually filter them out. Parameters the real call sites pass (TCP or not, ports, tunnel
 * depth) are fixed per entry.
 */
import type { PacketBatch } from '../../src/shared/packet-batch';
import { detectAppSignature } from '../../src/workers/decode/app-signature';
import { decodeApplication } from '../../src/workers/decode/application';
import { decodeArp } from '../../src/workers/decode/arp';
import { parseDns } from '../../src/workers/decode/dns';
import { decodeEthernet, findEthernetIp } from '../../src/workers/decode/ethernet';
import { isLegacyGquic, parseGquicHello } from '../../src/workers/decode/gquic';
import { isHttpRequestLine } from '../../src/workers/decode/http-methods';
import { parseHttpRequest, parseHttpResponse } from '../../src/workers/decode/http';
import { decodeIeee80211, decodeRadiotap } from '../../src/workers/decode/ieee80211';
import { decodeIpv4 } from '../../src/workers/decode/ipv4';
import { decodeIpv6 } from '../../src/workers/decode/ipv6';
import { decodeCiscoHdlc, decodePpp } from '../../src/workers/decode/ppp';
import { parseQuicInitial } from '../../src/workers/decode/quic-initial';
import { decodeTcp } from '../../src/workers/decode/tcp';
import { escapedText, utf8Text } from '../../src/workers/decode/text';
import { findHelloRecord, parseTlsHello } from '../../src/workers/decode/tls';
import { decodeGeneve, decodeGre, decodeTeredo, decodeVxlan } from '../../src/workers/decode/tunnels';
import { decodeUdp } from '../../src/workers/decode/udp';

export type ProtocolDecoder = (
  bytes: Uint8Array,
  offset: number,
  end: number,
  batch: PacketBatch,
  row: number,
) => void;

export const PROTOCOL_DECODERS: Readonly<Record<string, ProtocolDecoder>> = {
  ethernet: (b, o, e, batch, row) => decodeEthernet(b, o, e, batch, row),
  findEthernetIp: (b, o, e) => void findEthernetIp(b, o, e),
  ipv4: (b, o, e, batch, row) => decodeIpv4(b, o, e, batch, row, 0),
  ipv6: (b, o, e, batch, row) => decodeIpv6(b, o, e, batch, row, 0),
  tcp: (b, o, e, batch, row) => decodeTcp(b, o, e, e - o, batch, row),
  udp: (b, o, e, batch, row) => decodeUdp(b, o, e, e - o, batch, row, 0, false),
  arp: (b, o, e, batch, row) => decodeArp(b, o, e, batch, row),
  gre: (b, o, e, batch, row) => void decodeGre(b, o, e, batch, row, 0),
  vxlan: (b, o, e, batch, row) => void decodeVxlan(b, o, e, batch, row, 0),
  geneve: (b, o, e, batch, row) => void decodeGeneve(b, o, e, batch, row, 0),
  teredo: (b, o, e, batch, row) => void decodeTeredo(b, o, e, batch, row, 0),
  ppp: (b, o, e, batch, row) => decodePpp(b, o, e, batch, row, false),
  pppHdlc: (b, o, e, batch, row) => decodePpp(b, o, e, batch, row, true),
  ciscoHdlc: (b, o, e, batch, row) => decodeCiscoHdlc(b, o, e, batch, row),
  radiotap: (b, o, e, batch, row) => decodeRadiotap(b, o, e, batch, row),
  ieee80211: (b, o, e, batch, row) => decodeIeee80211(b, o, e, batch, row),
  dnsUdp: (b, o, e, batch, row) => parseDns(b, o, e, false, batch, row),
  dnsTcp: (b, o, e, batch, row) => parseDns(b, o, e, true, batch, row),
  tls: (b, o, e, batch, row) => parseTlsHello(b, o, e, false, batch, row),
  dtls: (b, o, e, batch, row) => parseTlsHello(b, o, e, true, batch, row),
  tlsRecord: (b, o, e) => void findHelloRecord(b, o, e, false),
  httpRequest: (b, o, e, batch, row) => parseHttpRequest(b, o, e, batch, row),
  httpResponse: (b, o, e, batch, row) => parseHttpResponse(b, o, e, batch, row),
  httpRequestLine: (b, o, e) => void isHttpRequestLine(b, o, e),
  quicInitial: (b, o, e, batch, row) => void parseQuicInitial(b, o, e, batch, row),
  gquic: (b, o, e, batch, row) => {
    if (isLegacyGquic(b, o, e)) parseGquicHello(b, o, e, batch, row);
  },
  gquicHello: (b, o, e, batch, row) => parseGquicHello(b, o, e, batch, row),
  applicationTcp: (b, o, e, batch, row) => decodeApplication(b, o, e, true, 40000, 443, batch, row),
  applicationUdp: (b, o, e, batch, row) => decodeApplication(b, o, e, false, 53, 443, batch, row),
  applicationHttp: (b, o, e, batch, row) => decodeApplication(b, o, e, true, 40000, 80, batch, row),
  applicationQuic: (b, o, e, batch, row) => decodeApplication(b, o, e, false, 40000, 443, batch, row),
  signatureTcp: (b, o, e) => void detectAppSignature(b, o, e, true, 40000, 80),
  signatureUdp: (b, o, e) => void detectAppSignature(b, o, e, false, 5353, 53),
  utf8Text: (b, o, e) => void utf8Text(b, o, e),
  escapedText: (b, o, e) => void escapedText(b, o, e),
};

export const PROTOCOL_DECODER_NAMES = Object.keys(PROTOCOL_DECODERS).sort();
