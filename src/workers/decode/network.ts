/**
 * Network-layer entry points: IP by version nibble (raw IP links, MPLS, tunnels) and the descent
 * into a tunnelled inner IP header, bounded in depth.
 */
import type { PacketBatch } from '../../shared/packet-batch';
import { decodeIpv4 } from './ipv4';
import { decodeIpv6 } from './ipv6';
import { markNonIp, markTruncated, resetNetworkColumns } from './row-columns';

export { decodeIpv4 } from './ipv4';
export { decodeIpv6 } from './ipv6';

/** Most nested tunnels followed (IP-in-IP, GRE, VXLAN, ...); deeper packets keep the 4th level. */
export const MAX_TUNNEL_DEPTH = 4;

/** Decodes an IP packet at `offset` whose version is read from its first nibble (RFC 791 / RFC 8200). */
export function decodeIpByVersion(
  bytes: Uint8Array,
  offset: number,
  end: number,
  batch: PacketBatch,
  row: number,
  depth: number,
): void {
  if (offset >= end) {
    markTruncated(batch, row);
    return;
  }
  const version = bytes[offset]! >> 4;
  if (version === 4) decodeIpv4(bytes, offset, end, batch, row, depth);
  else if (version === 6) decodeIpv6(bytes, offset, end, batch, row, depth);
  else markNonIp(batch, row);
}

/**
 * Replaces the row's network/transport description by the tunnelled IP packet at `offset` when
 * its fixed header is present and the depth allows; returns false (outer kept) otherwise. With
 * `version` 0 the version nibble decides (GRE/VXLAN payloads); 4 or 6 is what the outer header
 * announced (IP protocol 4/41, ethertype), and a mismatching nibble means "not that packet".
 */
export function decodeInnerIp(
  bytes: Uint8Array,
  offset: number,
  end: number,
  version: number,
  batch: PacketBatch,
  row: number,
  depth: number,
): boolean {
  if (depth >= MAX_TUNNEL_DEPTH || offset >= end) return false;
  const nibble = bytes[offset]! >> 4;
  if (version !== 0 && nibble !== version) return false;
  if (nibble === 4) {
    if (end - offset < 20) return false;
    resetNetworkColumns(batch, row);
    decodeIpv4(bytes, offset, end, batch, row, depth + 1);
    return true;
  }
  if (nibble === 6) {
    if (end - offset < 40) return false;
    resetNetworkColumns(batch, row);
    decodeIpv6(bytes, offset, end, batch, row, depth + 1);
    return true;
  }
  return false;
}
