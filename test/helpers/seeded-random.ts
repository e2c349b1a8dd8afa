/** A deterministic pseudo-random sequence in [0, 1) (a linear congruential generator): synthetic test data. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}
