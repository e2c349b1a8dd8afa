/**
 * A planted fuzz target for the harness tests: instead of the real decoders it crashes, hangs
 * or exhausts memory on chosen protocol cases, so the test can check that the harness notices
 * each, saves the input and carries on with the next case.
 */
import type { FuzzCase } from '../../../scripts/fuzz/fuzz-case';

export function runCase(fuzz: FuzzCase): void {
  if (fuzz.target !== 'protocol') return;
  if (fuzz.decoder === 'tcp') throw new Error('planted crash');
  if (fuzz.decoder === 'udp') {
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      // planted hang
    }
  }
  if (fuzz.decoder === 'arp') {
    const hog: number[][] = [];
    for (;;) hog.push(new Array<number>(1 << 20).fill(hog.length));
  }
}
