/**
 * Application layer of one packet: the AppSignature guess and, for DNS, TLS hellos, HTTP heads
 * QUIC client Initials and gQUIC CHLOs (SNI), the PacketMeta entry. Only packets that carry metadata allocate.
 */
import { AppSignature, type PacketBatch } from '../../shared/packet-batch';
import { detectAppSignature } from './app-signature';
import { parseDns } from './dns';
import { isLegacyGquic, parseGquicHello } from './gquic';
import { parseHttpRequest, parseHttpResponse } from './http';
import { parseQuicInitial } from './quic-initial';
import { parseTlsHello } from './tls';

/** Decodes the transport payload `bytes[offset, end)` (non-empty, captured part only). */
export function decodeApplication(
  bytes: Uint8Array,
  offset: number,
  end: number,
  isTcp: boolean,
  srcPort: number,
  dstPort: number,
  batch: PacketBatch,
  row: number,
): void {
  const signature = detectAppSignature(bytes, offset, end, isTcp, srcPort, dstPort);
  batch.appSignature[row] = signature;
  switch (signature) {
    case AppSignature.dns:
    case AppSignature.mdns:
    case AppSignature.llmnr:
      parseDns(bytes, offset, end, isTcp, batch, row);
      return;
    case AppSignature.tlsClientHello:
    case AppSignature.tlsServerHello:
      parseTlsHello(bytes, offset, end, !isTcp, batch, row);
      return;
    case AppSignature.httpRequest:
      parseHttpRequest(bytes, offset, end, batch, row);
      return;
    case AppSignature.httpResponse:
      parseHttpResponse(bytes, offset, end, batch, row);
      return;
    case AppSignature.quic:
      if ((bytes[offset]! & 0x80) !== 0) parseQuicInitial(bytes, offset, end, batch, row);
      else if (isLegacyGquic(bytes, offset, end)) parseGquicHello(bytes, offset, end, batch, row);
      return;
  }
}
