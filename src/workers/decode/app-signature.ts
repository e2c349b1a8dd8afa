/**
 * Cheap application guess from the first bytes of a transport payload (AppSignature). Strong
 * payload signatures are tried first (TLS records, HTTP/SIP request lines, SSH/SMB/BitTorrent
 * magic, STUN cookie, ...); then a per-port table built at module load, with a payload check
 * for the ports that need one (DHCP cookie, NTP version, QUIC long header, Modbus protocol id).
 */
import { AppSignature } from '../../shared/packet-batch';
import { readUint16BE, readUint32BE } from './byte-reader';
import { isLegacyGquic } from './gquic';
import { quicInitialSalt } from './quic-initial';
import { findHelloRecord } from './tls';
import { isHttpRequestLine, matchHttpMethod, matchSipMethod, SIP_METHODS } from './http-methods';

const TCP_PORTS = new Uint8Array(65536);
const UDP_PORTS = new Uint8Array(65536);
for (const [port, signature] of [
  [21, AppSignature.ftp],
  [22, AppSignature.ssh],
  [23, AppSignature.telnet],
  [25, AppSignature.smtp],
  [53, AppSignature.dns],
  [88, AppSignature.kerberos],
  [110, AppSignature.pop3],
  [139, AppSignature.netbios],
  [143, AppSignature.imap],
  [502, AppSignature.modbus],
  [587, AppSignature.smtp],
  [3389, AppSignature.rdp],
  [5060, AppSignature.sip],
  [5353, AppSignature.mdns],
  [5355, AppSignature.llmnr],
] as const)
  TCP_PORTS[port] = signature;
for (const [port, signature] of [
  [53, AppSignature.dns],
  [67, AppSignature.dhcp],
  [68, AppSignature.dhcp],
  [88, AppSignature.kerberos],
  [123, AppSignature.ntp],
  [137, AppSignature.netbios],
  [138, AppSignature.netbios],
  [161, AppSignature.snmp],
  [162, AppSignature.snmp],
  [443, AppSignature.quic],
  [546, AppSignature.dhcp],
  [547, AppSignature.dhcp],
  [3478, AppSignature.stun],
  [5060, AppSignature.sip],
  [5353, AppSignature.mdns],
  [5355, AppSignature.llmnr],
] as const)
  UDP_PORTS[port] = signature;

const SSDP_PORT = 1900;

/** RFC 5389 6: STUN magic cookie. */
const STUN_MAGIC_COOKIE = 0x2112a442;
/** RFC 2131 3: DHCP magic cookie at offset 236 of the BOOTP message. */
const DHCP_MAGIC_COOKIE = 0x63825363;

/** Byte strings compared at the payload start. */
const SSH_BANNER = bytesOf('SSH-');
const HTTP_VERSION = bytesOf('HTTP/');
const SIP_VERSION = bytesOf('SIP/2.0 ');
const BITTORRENT = bytesOf('\x13BitTorrent protocol');
const POP3_OK = bytesOf('+OK');
const IMAP_OK = bytesOf('* OK');
const MINING = bytesOf('mining.');

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (character) => character.charCodeAt(0));
}

function startsWith(bytes: Uint8Array, offset: number, end: number, prefix: Uint8Array): boolean {
  if (end - offset < prefix.length) return false;
  for (let index = 0; index < prefix.length; index++)
    if (bytes[offset + index] !== prefix[index]) return false;
  return true;
}

/** TLS record header (RFC 8446 5.1 / RFC 5246 6.2.1): content type 20..23, version 3.0-3.4. */
function tlsRecordSignature(bytes: Uint8Array, offset: number, end: number): number {
  const type = bytes[offset]!;
  if (end - offset < 5 || type < 0x14 || type > 0x17 || bytes[offset + 1] !== 3 || bytes[offset + 2]! > 4)
    return 0;
  return helloSignature(bytes, offset, end, false);
}

/** tlsClientHello/tlsServerHello when a record of the payload starts with that hello, else tls. */
function helloSignature(bytes: Uint8Array, offset: number, end: number, dtls: boolean): number {
  const hello = findHelloRecord(bytes, offset, end, dtls);
  if (hello < 0) return AppSignature.tls;
  return bytes[hello + (dtls ? 13 : 5)] === 1 ? AppSignature.tlsClientHello : AppSignature.tlsServerHello;
}

/** DTLS record header (RFC 9147 4 / RFC 6347 4.1): 13 bytes, version 0xfeff/0xfefd/0xfefc. */
function dtlsRecordSignature(bytes: Uint8Array, offset: number, end: number): number {
  if (end - offset < 13) return 0;
  const type = bytes[offset]!;
  const minor = bytes[offset + 2]!;
  if (type < 0x14 || type > 0x17 || bytes[offset + 1] !== 0xfe) return 0;
  if (minor !== 0xff && minor !== 0xfd && minor !== 0xfc) return 0;
  return helloSignature(bytes, offset, end, true);
}

/** HTTP request/response or SIP request/response at the payload start (RFC 9112 3/4, RFC 3261 7). */
function textProtocolSignature(bytes: Uint8Array, offset: number, end: number): number {
  if (startsWith(bytes, offset, end, HTTP_VERSION)) return AppSignature.httpResponse;
  if (startsWith(bytes, offset, end, SIP_VERSION)) return AppSignature.sip;
  const sipMethod = matchSipMethod(bytes, offset, end);
  if (sipMethod >= 0) {
    // SIP request-URIs are sip:, sips: or tel: (RFC 3261 19.1, RFC 3966); HTTP's are paths.
    const uri = offset + SIP_METHODS[sipMethod]!.length + 1;
    if (uri + 4 <= end) {
      const scheme = readUint32BE(bytes, uri) | 0x20202020;
      if (scheme === 0x7369703a || scheme === 0x73697073 || scheme === 0x74656c3a) return AppSignature.sip;
    }
  }
  return matchHttpMethod(bytes, offset, end) >= 0 && isHttpRequestLine(bytes, offset, end)
    ? AppSignature.httpRequest
    : 0;
}

function containsWithin(
  bytes: Uint8Array,
  offset: number,
  end: number,
  needle: Uint8Array,
  window: number,
): boolean {
  const last = Math.min(end, offset + window) - needle.length;
  for (let position = offset; position <= last; position++) {
    if (bytes[position] === needle[0] && startsWith(bytes, position, end, needle)) return true;
  }
  return false;
}

/** What the first byte of a TCP payload may start, so most payloads are ruled out by one lookup. */
const FirstByte = {
  other: 0,
  tls: 1,
  text: 2,
  netbios: 3,
  bittorrent: 4,
  pop3: 5,
  imap: 6,
  json: 7,
  telnet: 8,
} as const;
const TCP_FIRST_BYTE = new Uint8Array(256);
for (let byte = 0x14; byte <= 0x17; byte++) TCP_FIRST_BYTE[byte] = FirstByte.tls;
for (let byte = 0x41; byte <= 0x5a; byte++) TCP_FIRST_BYTE[byte] = FirstByte.text; // HTTP, SIP, SSH- start upper-case
TCP_FIRST_BYTE[0x00] = FirstByte.netbios;
TCP_FIRST_BYTE[0x13] = FirstByte.bittorrent;
TCP_FIRST_BYTE[0x2b] = FirstByte.pop3; // '+OK'
TCP_FIRST_BYTE[0x2a] = FirstByte.imap; // '* OK'
TCP_FIRST_BYTE[0x7b] = FirstByte.json; // '{'
TCP_FIRST_BYTE[0xff] = FirstByte.telnet; // IAC

function tcpPayloadSignature(bytes: Uint8Array, offset: number, end: number): number {
  switch (TCP_FIRST_BYTE[bytes[offset]!]) {
    case FirstByte.tls:
      return tlsRecordSignature(bytes, offset, end);
    case FirstByte.text:
      return startsWith(bytes, offset, end, SSH_BANNER)
        ? AppSignature.ssh
        : textProtocolSignature(bytes, offset, end);
    case FirstByte.netbios: {
      // NetBIOS session message (RFC 1002 4.3.1) or direct-TCP SMB header, then \xffSMB / \xfeSMB / \xfdSMB.
      if (
        end - offset < 8 ||
        bytes[offset + 5] !== 0x53 ||
        bytes[offset + 6] !== 0x4d ||
        bytes[offset + 7] !== 0x42
      )
        return 0;
      const protocol = bytes[offset + 4];
      return protocol === 0xff || protocol === 0xfe || protocol === 0xfd ? AppSignature.smb : 0;
    }
    case FirstByte.bittorrent:
      return startsWith(bytes, offset, end, BITTORRENT) ? AppSignature.bittorrent : 0;
    case FirstByte.pop3:
      return startsWith(bytes, offset, end, POP3_OK) ? AppSignature.pop3 : 0;
    case FirstByte.imap:
      return startsWith(bytes, offset, end, IMAP_OK) ? AppSignature.imap : 0;
    case FirstByte.json:
      // Stratum (mining pools): JSON-RPC with "mining.subscribe", "mining.notify", ...
      return containsWithin(bytes, offset, end, MINING, 256) ? AppSignature.stratum : 0;
    case FirstByte.telnet:
      // Telnet option negotiation (RFC 854): IAC followed by WILL/WON'T/DO/DON'T.
      return end - offset >= 3 && bytes[offset + 1]! >= 0xfb && bytes[offset + 1]! <= 0xfe
        ? AppSignature.telnet
        : 0;
    default:
      return 0;
  }
}

function udpPayloadSignature(bytes: Uint8Array, offset: number, end: number): number {
  const length = end - offset;
  if (length >= 20 && (bytes[offset]! & 0xc0) === 0 && readUint32BE(bytes, offset + 4) === STUN_MAGIC_COOKIE)
    return AppSignature.stun;
  const dtls = dtlsRecordSignature(bytes, offset, end);
  if (dtls !== 0) return dtls;
  // RFC 9000 17.2 long header of a known IETF QUIC version, on any port (fixed bit may be greased, RFC 9287).
  if (
    length >= 7 &&
    (bytes[offset]! & 0x80) !== 0 &&
    quicInitialSalt(readUint32BE(bytes, offset + 1)) !== undefined
  )
    return AppSignature.quic;
  // SIP over UDP (RFC 3261 18): request and status lines start with an upper-case letter.
  if (
    TCP_FIRST_BYTE[bytes[offset]!] === FirstByte.text &&
    textProtocolSignature(bytes, offset, end) === AppSignature.sip
  )
    return AppSignature.sip;
  return 0;
}

/** Confirms a port-table guess with the payload where the port alone is too weak. */
function confirmPortSignature(
  signature: number,
  bytes: Uint8Array,
  offset: number,
  end: number,
  isTcp: boolean,
): number {
  const length = end - offset;
  switch (signature) {
    case AppSignature.dns:
    case AppSignature.mdns:
    case AppSignature.llmnr:
      return isTcp || length >= 12 ? signature : 0; // TCP: any segment of the stream
    case AppSignature.dhcp:
      // DHCPv6 (RFC 8415) has no cookie: its ports 546/547 alone decide.
      return length < 240 || readUint32BE(bytes, offset + 236) === DHCP_MAGIC_COOKIE ? signature : 0;
    case AppSignature.ntp: {
      const version = (bytes[offset]! >> 3) & 0x07; // RFC 5905 7.3: LI(2) VN(3) Mode(3)
      return length >= 48 && version >= 1 && version <= 4 ? signature : 0;
    }
    case AppSignature.quic:
      // RFC 9000 17.2 long header, or a gQUIC public header (gquic.ts).
      return (bytes[offset]! & 0x80) !== 0 || isLegacyGquic(bytes, offset, end) ? signature : 0;
    case AppSignature.modbus:
      return length >= 8 && readUint16BE(bytes, offset + 2) === 0 ? signature : 0; // MBAP protocol id 0
    case AppSignature.snmp:
      return bytes[offset] === 0x30 ? signature : 0; // BER SEQUENCE
    case AppSignature.stun:
      return length >= 20 && (bytes[offset]! & 0xc0) === 0 ? signature : 0;
    default:
      return signature;
  }
}

/** AppSignature of the transport payload `bytes[offset, end)` (non-empty) for the given ports. */
export function detectAppSignature(
  bytes: Uint8Array,
  offset: number,
  end: number,
  isTcp: boolean,
  srcPort: number,
  dstPort: number,
): number {
  const fromPayload = isTcp
    ? tcpPayloadSignature(bytes, offset, end)
    : udpPayloadSignature(bytes, offset, end);
  if (fromPayload !== 0) return fromPayload;
  // SSDP (UPnP Device Architecture 1.1, 1.1.1) is HTTP over UDP port 1900 (HTTPU), as Wireshark dissects it.
  if (
    !isTcp &&
    (srcPort === SSDP_PORT || dstPort === SSDP_PORT) &&
    TCP_FIRST_BYTE[bytes[offset]!] === FirstByte.text
  ) {
    const text = textProtocolSignature(bytes, offset, end);
    if (text === AppSignature.httpRequest || text === AppSignature.httpResponse) return text;
  }
  const ports = isTcp ? TCP_PORTS : UDP_PORTS;
  const low = srcPort < dstPort ? srcPort : dstPort;
  const high = srcPort < dstPort ? dstPort : srcPort;
  let signature = ports[low]!;
  if (signature === 0) signature = ports[high]!;
  if (signature === 0) return 0;
  return confirmPortSignature(signature, bytes, offset, end, isTcp);
}
