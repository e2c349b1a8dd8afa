/**
 * One fuzz case: which code it exercises and the (mutated) input. A case is a pure function of
 * the seed corpus, the run seed and the case index, so a case that hangs or exhausts memory in
 * the worker can be rebuilt in the parent and saved. Mix: packet 42 %, protocol 22 %, capture
 * 24 %, assemble 7 %, gzip 5 % (the last two cost ~10 ms a case, the others ~0.1-2.5 ms).
 */
import type { SeedCorpus } from './fuzz-seeds';
import { generateGzip } from './gzip-input';
import { mutateBytes } from './mutate-bytes';
import { captureWindow, mutateCapture } from './mutate-capture';
import { PROTOCOL_DECODER_NAMES } from './protocol-decoders';
import { below, caseRandom, pick } from './random';

export type FuzzTarget = 'packet' | 'protocol' | 'capture' | 'assemble' | 'gzip';

export const FUZZ_TARGETS: readonly FuzzTarget[] = ['packet', 'protocol', 'capture', 'assemble', 'gzip'];

export interface FuzzCase {
  target: FuzzTarget;
  bytes: Uint8Array;
  /** packet: the link type the bytes are decoded as. */
  linkType: number;
  /** protocol: the decoder (a key of PROTOCOL_DECODERS) and the offset it starts at. */
  decoder: string;
  offset: number;
  /** capture: bytes per pushed chunk and the framer's target block size; gzip: bytes per disk read. */
  chunkBytes: number;
  blockBytes: number;
  /**
   * assemble: seed of the mutations applied to the decoded packets and of the two batch splits;
   * idle and active flow timeouts (seconds).
   */
  mutationSeed: number;
  idleTimeout: number;
  activeTimeout: number;
  /**
   * gzip: what the stream must decompress to (`bytes` is then intact gzip), or a prefix of it
   * when `expectPrefix` (a truncated file). Absent: any output, but only a clean error.
   */
  expected?: Uint8Array;
  expectPrefix?: boolean;
}

/** Link types decodePacket knows (plus a few it does not), for packets decoded as the wrong type. */
export const FUZZ_LINK_TYPES = [0, 1, 9, 12, 14, 50, 101, 104, 105, 108, 113, 127, 141, 228, 229, 239, 276];

export interface CaseOptions {
  /** Largest window of a capture handed to the framer. */
  maxCaptureBytes: number;
}

export function emptyCase(target: FuzzTarget, bytes: Uint8Array): FuzzCase {
  return {
    target,
    bytes,
    linkType: 1,
    decoder: 'ethernet',
    offset: 0,
    chunkBytes: 65536,
    blockBytes: 65536,
    mutationSeed: 0,
    idleTimeout: 0,
    activeTimeout: 0,
  };
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
  if (roll < 0.42) {
    const packet = pick(random, corpus.packets);
    const other = pick(random, corpus.packets).bytes;
    const fuzz = emptyCase('packet', mutateBytes(packet.bytes, random, other));
    fuzz.linkType = random() < 0.9 ? packet.linkType : pick(random, FUZZ_LINK_TYPES);
    return fuzz;
  }
  if (roll < 0.64) {
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
  if (roll < 0.88) {
    const fuzz = emptyCase('capture', mutateCapture(seedCapture, donor, random, options.maxCaptureBytes));
    // Tiny chunks (records straddling many pushes) only on small inputs, to keep cases fast.
    const tiny = fuzz.bytes.length <= 4096 && random() < 0.3;
    fuzz.chunkBytes = tiny ? 1 + below(random, 64) : 64 + below(random, Math.max(1, fuzz.bytes.length));
    fuzz.blockBytes = random() < 0.3 ? 1 + below(random, 256) : 1 + below(random, 65536);
    return fuzz;
  }
  if (roll < 0.95) {
    // Mostly intact captures (so most packets reach the assembler), mutated in a third of cases.
    const window =
      random() < 0.67
        ? captureWindow(seedCapture, random, options.maxCaptureBytes)
        : mutateCapture(seedCapture, donor, random, options.maxCaptureBytes);
    const fuzz = emptyCase('assemble', window);
    fuzz.mutationSeed = below(random, 2 ** 32);
    fuzz.idleTimeout = pick(random, TIMEOUTS);
    fuzz.activeTimeout = pick(random, TIMEOUTS);
    return fuzz;
  }
  return generateGzip(captureWindow(seedCapture, random, options.maxCaptureBytes), random);
}

/** Flow timeouts (seconds) for the assembler: off, tiny, the defaults, fractional. */
const TIMEOUTS = [0, 0, 1, 5, 120, 1800, 0.5];
