import type { PacketBatch, PacketMeta } from '../../shared/packet-batch';

/** The PacketBatch columns flow assembly reads or writes. */
export type PacketColumns = Pick<
  PacketBatch,
  | 'tsSec'
  | 'tsNsec'
  | 'decodeStatus'
  | 'frameLength'
  | 'srcMac'
  | 'dstMac'
  | 'vlanId'
  | 'ipVersion'
  | 'protocol'
  | 'srcAddr'
  | 'dstAddr'
  | 'ttl'
  | 'ipId'
  | 'fragment'
  | 'srcPort'
  | 'dstPort'
  | 'l4HeaderLength'
  | 'payloadLength'
  | 'tcpFlags'
  | 'tcpWindow'
  | 'tcpMss'
  | 'icmpType'
  | 'icmpCode'
  | 'appSignature'
  | 'metaIndex'
  | 'meta'
  | 'flowIndex'
  | 'direction'
>;

/**
 * A fixed-shape holder of one batch's column references, rebound once per batch. The per-packet
 * loop reads columns through this object rather than the batch itself: createPacketBatch adds
 * its ~40 properties by computed name, which leaves the batch in V8's dictionary (hash-table)
 * property mode (%HasFastProperties is false), and batches rebuilt by structured clone can have
 * any shape. Reading through a class instance keeps every column load a monomorphic field access.
 */
export class BatchColumns implements PacketColumns {
  tsSec: Float64Array = new Float64Array(0);
  tsNsec: Uint32Array = new Uint32Array(0);
  decodeStatus: Uint8Array = new Uint8Array(0);
  frameLength: Uint32Array = new Uint32Array(0);
  srcMac: Uint16Array = new Uint16Array(0);
  dstMac: Uint16Array = new Uint16Array(0);
  vlanId: Uint16Array = new Uint16Array(0);
  ipVersion: Uint8Array = new Uint8Array(0);
  protocol: Uint8Array = new Uint8Array(0);
  srcAddr: Uint32Array = new Uint32Array(0);
  dstAddr: Uint32Array = new Uint32Array(0);
  ttl: Uint8Array = new Uint8Array(0);
  ipId: Uint32Array = new Uint32Array(0);
  fragment: Uint8Array = new Uint8Array(0);
  srcPort: Uint16Array = new Uint16Array(0);
  dstPort: Uint16Array = new Uint16Array(0);
  l4HeaderLength: Uint16Array = new Uint16Array(0);
  payloadLength: Uint32Array = new Uint32Array(0);
  tcpFlags: Uint8Array = new Uint8Array(0);
  tcpWindow: Uint16Array = new Uint16Array(0);
  tcpMss: Uint16Array = new Uint16Array(0);
  icmpType: Uint8Array = new Uint8Array(0);
  icmpCode: Uint8Array = new Uint8Array(0);
  appSignature: Uint8Array = new Uint8Array(0);
  metaIndex: Int32Array = new Int32Array(0);
  meta: PacketMeta[] = [];
  flowIndex: Int32Array = new Int32Array(0);
  direction: Uint8Array = new Uint8Array(0);

  /** Points every column at `batch`'s. */
  bind(batch: PacketBatch): void {
    this.tsSec = batch.tsSec;
    this.tsNsec = batch.tsNsec;
    this.decodeStatus = batch.decodeStatus;
    this.frameLength = batch.frameLength;
    this.srcMac = batch.srcMac;
    this.dstMac = batch.dstMac;
    this.vlanId = batch.vlanId;
    this.ipVersion = batch.ipVersion;
    this.protocol = batch.protocol;
    this.srcAddr = batch.srcAddr;
    this.dstAddr = batch.dstAddr;
    this.ttl = batch.ttl;
    this.ipId = batch.ipId;
    this.fragment = batch.fragment;
    this.srcPort = batch.srcPort;
    this.dstPort = batch.dstPort;
    this.l4HeaderLength = batch.l4HeaderLength;
    this.payloadLength = batch.payloadLength;
    this.tcpFlags = batch.tcpFlags;
    this.tcpWindow = batch.tcpWindow;
    this.tcpMss = batch.tcpMss;
    this.icmpType = batch.icmpType;
    this.icmpCode = batch.icmpCode;
    this.appSignature = batch.appSignature;
    this.metaIndex = batch.metaIndex;
    this.meta = batch.meta;
    this.flowIndex = batch.flowIndex;
    this.direction = batch.direction;
  }
}
