/**
 * One fuzz case: which code it exercises and the (mutated) input. A case is a pure function of
 * the seed corpus, the run seed and the case index, so a case that hangs or exhausts memory in
 * the worker can be rebuilt in the parent and saved.
 */
import type { SeedCorpus } from './fuzz-seeds';
import { mutateBytes } from './mutate-bytes';
import { mutateCapture } from './mutate-capture';
import { PROTOCOL_DECODER_NAMES } from './protocol-decoders';
import { below, caseRandom, pick } from './random';

export type FuzzTarget = 'packet' | 'protocol' | 'capture';

export interface FuzzCase {
  target: FuzzTarget;
  bytes: Uint8Array;
  /** packet: the link type the bytes are decoded as. */
  linkType: number;
  /** protocol: the decoder (a key of PROTOCOL_DECODERS) and the offset it starts at. */
  decoder: string;
  offset: number;
  /** capture: bytes per pushed chunk and the framer's target block size. */
  chunkBytes: number;
  blockBytes: number;
}

/** Link types decodePacket knows (plus a few it does not), for packets decoded as the wrong type. */
export const FUZZ_LINK_TYPES = [0, 1, 9, 12, 14, 50, 101, 104, 105, 108, 113, 127, 141, 228, 229, 239, 276];

export interface CaseOptions {
  /** Largest window of a capture handed to the framer. */
  maxCaptureBytes: number;
}

export function emptyCase(target: FuzzTarget, bytes: Uint8Array): FuzzCase {
  return { target, bytes, linkType: 1, decoder: 'ethernet', offset: 0, chunkBytes: 65536, blockBytes: 65536 };
}

/** Case `index` of the run with seed `seed` (deterministic). */
export function generateCase(
  corpus: SeedCorpus,
  seed: number,
  index: number,
  options: CaseOptions,
): FuzzCase {
  const random = caseRandom(seed, index);
  const roll = random();
  if (roll < 0.5) {
    const packet = pick(random, corpus.packets);
    const other = pick(random, corpus.packets).bytes;
    const fuzz = emptyCase('packet', mutateBytes(packet.bytes, random, other));
    fuzz.linkType = random() < 0.9 ? packet.linkType : pick(random, FUZZ_LINK_TYPES);
    return fuzz;
  }
  if (roll < 0.75) {
    const packet = pick(random, corpus.packets);
    const other = pick(random, corpus.packets).bytes;
    const fuzz = emptyCase('protocol', mutateBytes(packet.bytes, random, other));
    fuzz.decoder = pick(random, PROTOCOL_DECODER_NAMES);
    // Start at the packet's first bytes, at a typical header boundary, or anywhere.
    const starts = [0, 14, 18, 34, 42, 54, 66, below(random, fuzz.bytes.length + 1)];
    fuzz.offset = Math.min(fuzz.bytes.length, pick(random, starts));
    return fuzz;
  }
  const seedCapture = pick(random, corpus.captures);
  const donor = pick(random, corpus.captures);
  const fuzz = emptyCase('capture', mutateCapture(seedCapture, donor, random, options.maxCaptureBytes));
  // Tiny chunks (records straddling many pushes) only on small inputs, to keep cases fast.
  const tiny = fuzz.bytes.length <= 4096 && random() < 0.3;
  fuzz.chunkBytes = tiny ? 1 + below(random, 64) : 64 + below(random, Math.max(1, fuzz.bytes.length));
  fuzz.blockBytes = random() < 0.3 ? 1 + below(random, 256) : 1 + below(random, 65536);
  return fuzz;
}
