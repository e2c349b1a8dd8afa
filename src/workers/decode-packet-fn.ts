import type { PacketBatch } from '../shared/packet-batch';

/**
 * Decodes one packet's bytes (`bytes[start, start + length)`, the captured data of a record) of
 * the given link type into row `row` of `batch`: link, network, transport columns, the app
 * signature and, for packets carrying DNS/TLS/HTTP/ARP metadata, a `meta` entry. The record
 * reader has already filled the record-level columns (timestamps, offsets, lengths, linkType).
 * Must not throw on any input and must not allocate except for `meta` entries.
 */
export type DecodePacketFn = (
  bytes: Uint8Array,
  start: number,
  length: number,
  linkType: number,
  batch: PacketBatch,
  row: number,
) => void;
