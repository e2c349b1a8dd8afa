/**
 * Cheap application guess from the first bytes of a transport payload (AppSignature). Strong
 * payload signatures are tried first (TLS records, HTTP/SIP request lines, SSH/SMB/BitTorrent
 * magic, STUN cookie, ...); then a per-port table built at module load, with a payload check
 * for the ports that need one (DHCP cookie, NTP version, QUIC long header, Modbus protocol id).
 */
import { AppSignature } from '../../shared/packet-batch';
import { readUint16BE, readUint32BE } from './byte-reader';
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
  const type = bytes[offset]!;
  const minor = bytes[offset + 2]!;
  if (end - offset < 13 || type < 0x14 || type > 0x17 || bytes[offset + 1] !== 0xfe) return 0;
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

function tcpPayloadSignature(bytes: Uint8Array, offset: number, end: number): number {
  const first = bytes[offset]!;
  const tls = tlsRecordSignature(bytes, offset, end);
  if (tls !== 0) return tls;
  const text = textProtocolSignature(bytes, offset, end);
  if (text !== 0) return text;
  if (startsWith(bytes, offset, end, SSH_BANNER)) return AppSignature.ssh;
  // NetBIOS session message (RFC 1002 4.3.1) or direct-TCP SMB header, then \xffSMB / \xfeSMB / \xfdSMB.
  if (
    first === 0 &&
    end - offset >= 8 &&
    bytes[offset + 5] === 0x53 &&
    bytes[offset + 6] === 0x4d &&
    bytes[offset + 7] === 0x42
  ) {
    const protocol = bytes[offset + 4];
    if (protocol === 0xff || protocol === 0xfe || protocol === 0xfd) return AppSignature.smb;
  }
  if (startsWith(bytes, offset, end, BITTORRENT)) return AppSignature.bittorrent;
  if (startsWith(bytes, offset, end, POP3_OK)) return AppSignature.pop3;
  if (startsWith(bytes, offset, end, IMAP_OK)) return AppSignature.imap;
  // Stratum (mining pools): JSON-RPC with "mining.subscribe", "mining.notify", ...
  if (first === 0x7b && containsWithin(bytes, offset, end, MINING, 256)) return AppSignature.stratum;
  // Telnet option negotiation (RFC 854): IAC followed by WILL/WON'T/DO/DON'T.
  if (first === 0xff && end - offset >= 3 && bytes[offset + 1]! >= 0xfb) return AppSignature.telnet;
  return 0;
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
  const text = textProtocolSignature(bytes, offset, end);
  if (text === AppSignature.sip) return text;
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
      // RFC 9000 17.2: long header form bit; gQUIC public header with a 'Q0xx' version at byte 9.
      return (bytes[offset]! & 0x80) !== 0 || (length > 13 && bytes[offset + 9] === 0x51) ? signature : 0;
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
  const ports = isTcp ? TCP_PORTS : UDP_PORTS;
  const low = srcPort < dstPort ? srcPort : dstPort;
  const high = srcPort < dstPort ? dstPort : srcPort;
  let signature = ports[low]!;
  if (signature === 0) signature = ports[high]!;
  if (signature === 0) return 0;
  return confirmPortSignature(signature, bytes, offset, end, isTcp);
}
