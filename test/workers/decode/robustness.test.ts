/**
 * Hostile input: decoding never throws (checked below the defensive try/catch of decodePacket)
 * and never reads outside the packet's captured bytes (the same packet surrounded by different
 * garbage decodes identically). Random packets per link type, plus every fixture packet cut at
 * many lengths and with random bytes flipped.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPacketBatch } from '../../../src/shared/packet-batch';
import { decodeLinkLayer, normalizeLinkType } from '../../../src/workers/decode/link-layer';
import { packetScratch } from '../../../src/workers/decode/row-columns';
import { decodeBytes, rowSnapshot } from './packet-bytes';
import { readCaptureForTest } from './read-capture-for-test';
import { FIXTURE_DIR } from './tshark-reference';

const LINK_TYPES = [0, 1, 9, 12, 14, 50, 101, 104, 108, 113, 127, 228, 229, 239, 276];

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const scratchBatch = createPacketBatch(1, 1);

/** Decodes without decodePacket's try/catch, so a thrown error fails the test. */
function decodeUnguarded(packet: Uint8Array, linkType: number): void {
  const batch = scratchBatch;
  batch.meta.length = 0;
  batch.frameLength[0] = packet.length;
  packetScratch.capturedEnd = packet.length;
  packetScratch.uncapturedBytes = 0;
  decodeLinkLayer(packet, 0, packet.length, normalizeLinkType(linkType), batch, 0);
}

/** Decodes with two different garbage fillers around the packet and expects the same row. */
function expectBounded(packet: Uint8Array, linkType: number, label: string): void {
  decodeUnguarded(packet, linkType);
  const low = decodeBytes(packet, linkType, packet.length, 0x00);
  const high = decodeBytes(packet, linkType, packet.length, 0xff);
  const same =
    JSON.stringify([rowSnapshot(low.batch, low.row), low.meta]) ===
    JSON.stringify([rowSnapshot(high.batch, high.row), high.meta]);
  if (!same) expect.fail(`${label}: decode depends on bytes outside the packet`);
}

describe('robustness', () => {
  it('random bytes of random lengths, every link type', () => {
    const next = random(1);
    for (const linkType of LINK_TYPES) {
      for (let round = 0; round < 400; round++) {
        const packet = Uint8Array.from({ length: Math.floor(next() * 200) }, () => Math.floor(next() * 256));
        // Bias towards plausible headers so the fuzz goes deeper than the first check.
        if (packet.length > 20 && round % 2 === 0) packet[linkType === 1 ? 14 : 0] = 0x45;
        if (packet.length > 14 && linkType === 1 && round % 4 === 0) packet.set([0x08, 0x00], 12);
        expectBounded(packet, linkType, `link type ${linkType} round ${round}`);
      }
    }
  });

  it('fixture packets cut at every length up to 160 bytes and mutated at random', () => {
    const next = random(2);
    const fixtures = readdirSync(FIXTURE_DIR).filter((name) => !name.endsWith('.tsv'));
    let decoded = 0;
    for (const fixture of fixtures) {
      const { bytes, records } = readCaptureForTest(FIXTURE_DIR + fixture);
      for (const record of records.slice(0, 12)) {
        const packet = bytes.subarray(record.start, record.start + record.capturedLength);
        for (let cut = 0; cut <= Math.min(160, packet.length); cut += 1) {
          decodeUnguarded(packet.subarray(0, cut), record.linkType);
          decoded++;
        }
        for (let mutation = 0; mutation < 8; mutation++) {
          const copy = packet.slice();
          for (let flips = 0; flips < 4; flips++)
            copy[Math.floor(next() * copy.length)] = Math.floor(next() * 256);
          const cut = Math.floor(next() * (copy.length + 1));
          expectBounded(copy.subarray(0, cut), record.linkType, `${fixture} mutation ${mutation}`);
          decoded++;
        }
      }
    }
    expect(decoded).toBeGreaterThan(50_000);
  });
});
