/**
 * Columnar (struct-of-arrays) layout of one decoded block of packets.
 *
 * Decode workers fill one row per capture record, in file order; the flow assembler reads it in
 * block order and adds `flowIndex`/`direction`; the store copies the columns straight into
 * DuckDB vectors. Every column is a typed array so a batch crosses threads as transferables and
 * nothing is allocated per packet.
 */

/** What the decoder could make of a record (`decodeStatus`). */
export const DecodeStatus = {
  /** IPv4/IPv6 packet with a flow key (TCP, UDP, ICMP, other IP protocols). */
  ip: 0,
  /** Decoded link layer but not IP (ARP, LLDP, CDP, ...): indexed, no flow. */
  nonIp: 1,
  /** Link type Flowlab does not decode (e.g. 802.11 radiotap): counted and indexed only. */
  unsupportedLinkType: 2,
  /** Headers cut short by the snap length or a bogus length field; what could be read is kept. */
  truncated: 3,
  /**
   * A pcapng custom block (types 0x0BAD / 0x40000BAD, pcapng 4.8): not a packet, but Wireshark
   * lists it as a frame whose length is the block length, so it is indexed (and counted) as one.
   */
  customBlock: 4,
} as const;
export type DecodeStatus = (typeof DecodeStatus)[keyof typeof DecodeStatus];

/** Bits of `fragment`. */
export const FragmentFlag = {
  /** The IP datagram is a fragment (MF set or offset > 0). */
  isFragment: 1,
  /** This fragment carries the L4 header (offset 0): ports are valid. */
  first: 2,
} as const;

/** TCP flag bits as on the wire (RFC 9293 3.1, RFC 3168 for ECE/CWR). */
export const TcpFlag = {
  fin: 0x01,
  syn: 0x02,
  rst: 0x04,
  psh: 0x08,
  ack: 0x10,
  urg: 0x20,
  ece: 0x40,
  cwr: 0x80,
} as const;

/** Application guesses from payload signatures (`appSignature`); 0 = none. */
export const AppSignature = {
  none: 0,
  tlsClientHello: 1,
  tlsServerHello: 2,
  tls: 3,
  httpRequest: 4,
  httpResponse: 5,
  dns: 6,
  ssh: 7,
  quic: 8,
  smtp: 9,
  ftp: 10,
  smb: 11,
  dhcp: 12,
  ntp: 13,
  sip: 14,
  stun: 15,
  rdp: 16,
  mdns: 17,
  llmnr: 18,
  netbios: 19,
  snmp: 20,
  bittorrent: 21,
  kerberos: 22,
  modbus: 23,
  telnet: 24,
  stratum: 25,
  pop3: 26,
  imap: 27,
} as const;

/**
 * Application-layer metadata found in one packet. Only packets that carry it get one (DNS,
 * TLS handshakes, HTTP request/response heads), so this is the one per-packet allocation,
 * and only for those packets. Strings are attacker-controlled: render as text only.
 */
export interface PacketMeta {
  dnsQuery?: string;
  /** Query type as a mnemonic (A, AAAA, TXT, ...) or TYPE<n>. */
  dnsQtype?: string;
  /** Response code name (NOERROR, NXDOMAIN, ...) when the packet is a response. */
  dnsRcode?: string;
  /** Answer data (addresses, names) joined by ',' when the packet is a response. */
  dnsAnswers?: string;
  dnsIsResponse?: boolean;
  dnsTransactionId?: number;
  tlsSni?: string;
  /** Highest version offered/selected: 'TLS 1.3', 'TLS 1.2', ... */
  tlsVersion?: string;
  httpMethod?: string;
  httpHost?: string;
  httpUri?: string;
  httpUserAgent?: string;
  httpStatus?: number;
}

/** One block of decoded packets. Row i describes capture record `firstPacketNumber + i`. */
export interface PacketBatch {
  /** Rows filled. Arrays may be longer (capacity). */
  count: number;
  /** 1-based number of the first record of this batch within its capture (as Wireshark's frame.number). */
  firstPacketNumber: number;

  // Record-level (always filled).
  /** Timestamp: whole seconds since the epoch (may exceed 2^32 for hostile input). */
  tsSec: Float64Array;
  /** Timestamp: nanoseconds within the second, 0..999999999. */
  tsNsec: Uint32Array;
  /** Byte offset of the record (pcap record header / pcapng block start) in the (decompressed) stream. */
  fileOffset: Float64Array;
  /** Length of the whole record in the file (header + data + padding), for byte-identical carving. */
  recordLength: Uint32Array;
  /** pcapng interface id (0 for classic pcap). */
  interfaceId: Uint16Array;
  linkType: Uint16Array;
  /** On-wire length (pcap orig_len, pcapng original packet length): Wireshark's frame.len. */
  frameLength: Uint32Array;
  /** Bytes present in the file (caplen). */
  capturedLength: Uint32Array;
  /** Offset of the packet data within the record, so data = file[fileOffset + dataOffset, +capturedLength]. */
  dataOffset: Uint16Array;
  decodeStatus: Uint8Array;

  // Link layer.
  /** Source/destination MAC, 3 x 16-bit words per packet (big-endian word order); 0 when absent. */
  srcMac: Uint16Array;
  dstMac: Uint16Array;
  /** Outermost 802.1Q VLAN id (QinQ: the outer tag), 0 when untagged. */
  vlanId: Uint16Array;

  // Network layer (innermost IP header when tunnelled).
  /** 4, 6, or 0 when not IP. */
  ipVersion: Uint8Array;
  /** IP protocol of the innermost transport (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...). */
  protocol: Uint8Array;
  /**
   * Addresses, 4 x 32-bit words per packet in network order (IPv4 uses word 0, the rest 0).
   * ARP rows (arpOperation > 0), which have no IP header, hold the sender's (src) and target's
   * (dst) protocol and hardware addresses instead: [IPv4 address, MAC bytes 0-1, MAC bytes 2-5, 0].
   */
  srcAddr: Uint32Array;
  dstAddr: Uint32Array;
  /**
   * ARP/RARP operation 1-4 (RFC 826 / RFC 903) of an Ethernet/IPv4 ARP packet, the ones the
   * case keeps in arp_packets; 0 for every other packet.
   */
  arpOperation: Uint8Array;
  ttl: Uint8Array;
  /** IPv4 identification, or IPv6 fragment header identification (0 when none). */
  ipId: Uint32Array;
  /** IPv4 flags (bit 1 = DF, bit 0 = MF); IPv6: bit 0 = M flag of the fragment header. */
  ipFlags: Uint8Array;
  /** Fragment offset in bytes. */
  fragmentOffset: Uint32Array;
  /** FragmentFlag bits. */
  fragment: Uint8Array;
  /** IPv4 total length / IPv6 payload length + 40, as in the header. */
  ipLength: Uint32Array;
  /** Network header bytes (IPv4 IHL*4; IPv6 40 + extension headers) of the innermost IP header. */
  ipHeaderLength: Uint16Array;

  // Transport layer.
  /** TCP/UDP ports; ICMP echo/timestamp/info: both hold the identifier; otherwise 0. */
  srcPort: Uint16Array;
  dstPort: Uint16Array;
  /** TCP data offset * 4, UDP 8, ICMP 8; 0 when absent. */
  l4HeaderLength: Uint16Array;
  /** Transport payload bytes per the headers (IP length based, not caplen). */
  payloadLength: Uint32Array;
  /** TcpFlag bits. */
  tcpFlags: Uint8Array;
  tcpSeq: Uint32Array;
  tcpAck: Uint32Array;
  /** Raw (unscaled) TCP window. */
  tcpWindow: Uint16Array;
  /** MSS option value when present (SYN segments), else 0. */
  tcpMss: Uint16Array;
  icmpType: Uint8Array;
  icmpCode: Uint8Array;
  /** AppSignature guessed from this packet's payload. */
  appSignature: Uint8Array;
  /** Index into `meta`, or -1. */
  metaIndex: Int32Array;

  /** Metadata for the packets whose metaIndex points here. */
  meta: PacketMeta[];

  // Filled by the flow assembler.
  /** Flow index within the capture (0-based), or -1 when the packet belongs to no flow. */
  flowIndex: Int32Array;
  /** 0 = sent by the flow's src (initiator), 1 = by its dst. */
  direction: Uint8Array;
}

type TypedColumnName = {
  [K in keyof PacketBatch]: PacketBatch[K] extends ArrayBufferView ? K : never;
}[keyof PacketBatch];

/** Columns and their element constructor and width (elements per packet). */
export const PACKET_BATCH_COLUMNS: ReadonlyArray<{
  name: TypedColumnName;
  type:
    | Float64ArrayConstructor
    | Uint32ArrayConstructor
    | Int32ArrayConstructor
    | Uint16ArrayConstructor
    | Uint8ArrayConstructor;
  width: number;
}> = [
  { name: 'tsSec', type: Float64Array, width: 1 },
  { name: 'tsNsec', type: Uint32Array, width: 1 },
  { name: 'fileOffset', type: Float64Array, width: 1 },
  { name: 'recordLength', type: Uint32Array, width: 1 },
  { name: 'interfaceId', type: Uint16Array, width: 1 },
  { name: 'linkType', type: Uint16Array, width: 1 },
  { name: 'frameLength', type: Uint32Array, width: 1 },
  { name: 'capturedLength', type: Uint32Array, width: 1 },
  { name: 'dataOffset', type: Uint16Array, width: 1 },
  { name: 'decodeStatus', type: Uint8Array, width: 1 },
  { name: 'srcMac', type: Uint16Array, width: 3 },
  { name: 'dstMac', type: Uint16Array, width: 3 },
  { name: 'vlanId', type: Uint16Array, width: 1 },
  { name: 'ipVersion', type: Uint8Array, width: 1 },
  { name: 'protocol', type: Uint8Array, width: 1 },
  { name: 'srcAddr', type: Uint32Array, width: 4 },
  { name: 'dstAddr', type: Uint32Array, width: 4 },
  { name: 'arpOperation', type: Uint8Array, width: 1 },
  { name: 'ttl', type: Uint8Array, width: 1 },
  { name: 'ipId', type: Uint32Array, width: 1 },
  { name: 'ipFlags', type: Uint8Array, width: 1 },
  { name: 'fragmentOffset', type: Uint32Array, width: 1 },
  { name: 'fragment', type: Uint8Array, width: 1 },
  { name: 'ipLength', type: Uint32Array, width: 1 },
  { name: 'ipHeaderLength', type: Uint16Array, width: 1 },
  { name: 'srcPort', type: Uint16Array, width: 1 },
  { name: 'dstPort', type: Uint16Array, width: 1 },
  { name: 'l4HeaderLength', type: Uint16Array, width: 1 },
  { name: 'payloadLength', type: Uint32Array, width: 1 },
  { name: 'tcpFlags', type: Uint8Array, width: 1 },
  { name: 'tcpSeq', type: Uint32Array, width: 1 },
  { name: 'tcpAck', type: Uint32Array, width: 1 },
  { name: 'tcpWindow', type: Uint16Array, width: 1 },
  { name: 'tcpMss', type: Uint16Array, width: 1 },
  { name: 'icmpType', type: Uint8Array, width: 1 },
  { name: 'icmpCode', type: Uint8Array, width: 1 },
  { name: 'appSignature', type: Uint8Array, width: 1 },
  { name: 'metaIndex', type: Int32Array, width: 1 },
  { name: 'flowIndex', type: Int32Array, width: 1 },
  { name: 'direction', type: Uint8Array, width: 1 },
];

/**
 * Allocates an empty batch able to hold `capacity` packets (all columns zeroed, metaIndex and
 * flowIndex -1). Built as one object literal so V8 gives every batch the same fast shape (a
 * batch filled property by property falls into slow dictionary mode).
 */
export function createPacketBatch(capacity: number, firstPacketNumber: number): PacketBatch {
  const n = capacity;
  const batch: PacketBatch = {
    count: 0,
    firstPacketNumber,
    tsSec: new Float64Array(n),
    tsNsec: new Uint32Array(n),
    fileOffset: new Float64Array(n),
    recordLength: new Uint32Array(n),
    interfaceId: new Uint16Array(n),
    linkType: new Uint16Array(n),
    frameLength: new Uint32Array(n),
    capturedLength: new Uint32Array(n),
    dataOffset: new Uint16Array(n),
    decodeStatus: new Uint8Array(n),
    srcMac: new Uint16Array(n * 3),
    dstMac: new Uint16Array(n * 3),
    vlanId: new Uint16Array(n),
    ipVersion: new Uint8Array(n),
    protocol: new Uint8Array(n),
    srcAddr: new Uint32Array(n * 4),
    dstAddr: new Uint32Array(n * 4),
    arpOperation: new Uint8Array(n),
    ttl: new Uint8Array(n),
    ipId: new Uint32Array(n),
    ipFlags: new Uint8Array(n),
    fragmentOffset: new Uint32Array(n),
    fragment: new Uint8Array(n),
    ipLength: new Uint32Array(n),
    ipHeaderLength: new Uint16Array(n),
    srcPort: new Uint16Array(n),
    dstPort: new Uint16Array(n),
    l4HeaderLength: new Uint16Array(n),
    payloadLength: new Uint32Array(n),
    tcpFlags: new Uint8Array(n),
    tcpSeq: new Uint32Array(n),
    tcpAck: new Uint32Array(n),
    tcpWindow: new Uint16Array(n),
    tcpMss: new Uint16Array(n),
    icmpType: new Uint8Array(n),
    icmpCode: new Uint8Array(n),
    appSignature: new Uint8Array(n),
    metaIndex: new Int32Array(n).fill(-1),
    meta: [],
    flowIndex: new Int32Array(n).fill(-1),
    direction: new Uint8Array(n),
  };
  return batch;
}

/** The ArrayBuffers of a batch, for `postMessage`/piscina transfer lists. */
export function packetBatchTransferList(batch: PacketBatch): ArrayBuffer[] {
  const columns = batch as unknown as Record<string, ArrayBufferView>;
  return PACKET_BATCH_COLUMNS.map((column) => columns[column.name]!.buffer as ArrayBuffer);
}
