/** A seeded pseudo-random generator (mulberry32): same seed, same model, on any machine. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = (seed | 0) ^ 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, bound). */
  integer(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** Shuffles `array` in place (Fisher-Yates). */
  shuffle<T extends { length: number; [index: number]: number }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const swap = array[i]!;
      array[i] = array[j]!;
      array[j] = swap;
    }
    return array;
  }
}
