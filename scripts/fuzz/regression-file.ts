/**
 * Saved failing inputs (test/fixtures/fuzz-regressions): the file holds the case's bytes and its
 * name holds everything else needed to replay it, e.g.
 *   packet_lt-1_3fa9c2d1.bin            decoded as link type 1
 *   protocol_dnsTcp-42_77aa0b1c.bin     parseDns (TCP) from offset 42
 *   capture_c4096-b65536_0b1c77aa.bin   framed in 4096-byte chunks into 65536-byte blocks
 *   assemble_m123-i120000-a0_1c77aa0b.bin  decoded, rows mutated from seed 123, idle 120 s, active off
 *   gzip_c4096_aa0b1c77.bin             a .gz read from disk 4096 bytes at a time
 * The last part is a hash of the case, so the same failure is saved once.
 */
import { createHash } from 'node:crypto';
import { emptyCase, type FuzzCase } from './fuzz-case';

export function regressionFileName(fuzz: FuzzCase): string {
  const params = {
    packet: () => `lt-${fuzz.linkType}`,
    protocol: () => `${fuzz.decoder}-${fuzz.offset}`,
    capture: () => `c${fuzz.chunkBytes}-b${fuzz.blockBytes}`,
    // Timeouts in milliseconds, so fractional seconds fit the name.
    assemble: () => `m${fuzz.mutationSeed}-i${Math.round(fuzz.idleTimeout * 1000)}-a${Math.round(fuzz.activeTimeout * 1000)}`,
    gzip: () => `c${fuzz.chunkBytes}`,
  }[fuzz.target]();
  const hash = createHash('sha256').update(params).update(fuzz.bytes).digest('hex').slice(0, 12);
  return `${fuzz.target}_${params}_${hash}.bin`;
}

/** The case a regression file describes; undefined when the name does not follow the scheme. */
export function parseRegressionFile(name: string, bytes: Uint8Array): FuzzCase | undefined {
  let match = /^packet_lt-(\d+)_[0-9a-f]+\.bin$/.exec(name);
  if (match) return { ...emptyCase('packet', bytes), linkType: Number(match[1]) };
  match = /^protocol_([A-Za-z0-9]+)-(\d+)_[0-9a-f]+\.bin$/.exec(name);
  if (match) return { ...emptyCase('protocol', bytes), decoder: match[1]!, offset: Number(match[2]) };
  match = /^capture_c(\d+)-b(\d+)_[0-9a-f]+\.bin$/.exec(name);
  if (match)
    return { ...emptyCase('capture', bytes), chunkBytes: Number(match[1]), blockBytes: Number(match[2]) };
  match = /^assemble_m(\d+)-i(\d+)-a(\d+)_[0-9a-f]+\.bin$/.exec(name);
  if (match)
    return {
      ...emptyCase('assemble', bytes),
      mutationSeed: Number(match[1]),
      idleTimeout: Number(match[2]) / 1000,
      activeTimeout: Number(match[3]) / 1000,
    };
  match = /^gzip_c(\d+)_[0-9a-f]+\.bin$/.exec(name);
  if (match) return { ...emptyCase('gzip', bytes), chunkBytes: Number(match[1]) };
  return undefined;
}
