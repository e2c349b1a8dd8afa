/**
 * Per-packet protocol decoding: the worker's DecodePacketFn. Link layer (link-layer.ts,
 * ethernet.ts, ppp.ts) -> innermost IP header (ipv4.ts, ipv6.ts, tunnels.ts) -> transport
 * (transport.ts) -> payload signature and DNS/TLS/HTTP metadata (application.ts).
 */
import { DecodeStatus } from '../../shared/packet-batch';
import type { DecodePacketFn } from '../decode-packet-fn';
import { decodeLinkLayer, normalizeLinkType, isKnownLinkType } from './link-layer';
import { batchView } from './batch-view';
import { packetScratch } from './row-columns';

/**
 * Decodes `bytes[start, start + length)` (one record's captured data) of link type `linkType`
 * into row `row` of `batch` (whose record-level columns, frameLength in particular, are already
 * filled). Never throws and never reads outside the captured bytes; headers cut short leave
 * `decodeStatus = truncated` with whatever was read before the cut. Allocates only `meta`
 * entries (DNS, TLS hellos, HTTP heads, ARP), plus one column view per batch (batch-view.ts).
 */
export const decodePacket: DecodePacketFn = (bytes, start, length, linkType, target, row) => {
  const batch = batchView(target);
  const end = Math.min(start + length, bytes.length);
  if (!(start >= 0) || !(end >= start)) {
    batch.decodeStatus[row] = DecodeStatus.truncated;
    return;
  }
  const frameLength = batch.frameLength[row] ?? 0;
  packetScratch.capturedEnd = end;
  packetScratch.uncapturedBytes = frameLength > end - start ? frameLength - (end - start) : 0;
  try {
    decodeLinkLayer(bytes, start, end, normalizeLinkType(linkType), batch, row);
  } catch {
    // Defensive only: every decoder bounds its reads, so this is a bug, not bad input. The row
    // keeps what was decoded and is flagged so it is never mistaken for a clean decode.
    batch.decodeStatus[row] = DecodeStatus.truncated;
  }
};

/**
 * True when `decodePacket` decodes this link type (tcpdump.org/linktypes.html numbers); for any
 * other type it only sets `decodeStatus = unsupportedLinkType`, so the caller can warn once.
 */
export function isDecodedLinkType(linkType: number): boolean {
  return isKnownLinkType(normalizeLinkType(linkType));
}
