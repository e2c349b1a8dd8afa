/**
 * Train/test splits. Stratified: each class contributes round(testSize · its rows) to the test
 * set (at least one when it has two or more rows). Group: whole groups (captures, imported
 * files) go to one side only, so flows of one capture never leak between the sets.
 */
import { SeededRandom } from './seeded-random';

export interface RowSplit {
  train: Int32Array;
  test: Int32Array;
}

export function stratifiedSplit(
  labels: Uint8Array,
  classCount: number,
  testSize: number,
  seed: number,
): RowSplit {
  const random = new SeededRandom(seed);
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  for (let row = 0; row < labels.length; row++) byClass[labels[row]!]!.push(row);
  const train: number[] = [];
  const test: number[] = [];
  for (const rows of byClass) {
    const shuffled = random.shuffle(Int32Array.from(rows));
    const testCount =
      rows.length >= 2 ? Math.min(rows.length - 1, Math.max(1, Math.round(rows.length * testSize))) : 0;
    for (let i = 0; i < shuffled.length; i++) (i < testCount ? test : train).push(shuffled[i]!);
  }
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() };
}

/**
 * Whole groups per side, stratified by each group's majority class: for every class, its
 * shuffled groups go to the test side while that keeps the class's test rows within 1.25 x
 * testSize of its rows (a group too large to fit is skipped, so one huge capture cannot make
 * the whole test set). Each class with two or more groups gets at least one test group and
 * keeps at least one training group.
 */
export function groupSplit(
  groups: Int32Array,
  labels: Uint8Array,
  classCount: number,
  testSize: number,
  seed: number,
): RowSplit {
  const random = new SeededRandom(seed);
  const sizes = new Map<number, number>();
  const classRows = new Map<number, Float64Array>();
  for (let row = 0; row < groups.length; row++) {
    const group = groups[row]!;
    sizes.set(group, (sizes.get(group) ?? 0) + 1);
    let counts = classRows.get(group);
    if (!counts) classRows.set(group, (counts = new Float64Array(classCount)));
    counts[labels[row]!]! += 1;
  }
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  const rowsOfClass = new Float64Array(classCount);
  for (const [group, counts] of [...classRows.entries()].sort((a, b) => a[0] - b[0])) {
    let majority = 0;
    for (let c = 1; c < classCount; c++) if (counts[c]! > counts[majority]!) majority = c;
    byClass[majority]!.push(group);
    rowsOfClass[majority]! += sizes.get(group)!;
  }
  const testGroups = new Set<number>();
  byClass.forEach((classGroups, c) => {
    if (classGroups.length < 2) return;
    const order = random.shuffle(Int32Array.from(classGroups));
    const budget = testSize * rowsOfClass[c]! * 1.25;
    let taken = 0;
    let testRows = 0;
    for (const group of order) {
      if (taken >= order.length - 1) break;
      if (testRows + sizes.get(group)! > budget) continue;
      testGroups.add(group);
      testRows += sizes.get(group)!;
      taken++;
    }
    if (taken === 0) {
      // Every group is over budget: the smallest one goes to the test side.
      const smallest = [...order].sort((a, b) => sizes.get(a)! - sizes.get(b)!)[0]!;
      testGroups.add(smallest);
    }
  });
  const train: number[] = [];
  const test: number[] = [];
  for (let row = 0; row < groups.length; row++) (testGroups.has(groups[row]!) ? test : train).push(row);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

/** The rows `indices` of a row-major matrix, copied. */
export function takeRows(x: Float64Array, features: number, indices: Int32Array): Float64Array {
  const out = new Float64Array(indices.length * features);
  for (let i = 0; i < indices.length; i++)
    out.set(x.subarray(indices[i]! * features, (indices[i]! + 1) * features), i * features);
  return out;
}

/**
 * Fold number per row for k-fold cross-validation. Stratified: each class's shuffled rows are
 * dealt round-robin, so every fold holds about 1/k of each class. Group (`groups` given): whole
 * groups per fold, largest first into the fold with the fewest rows (scikit-learn's GroupKFold),
 * ties broken by a seeded shuffle; needs at least k groups.
 */
export function foldOfRows(
  labels: Uint8Array,
  classCount: number,
  folds: number,
  seed: number,
  groups?: Int32Array,
): Uint8Array {
  const random = new SeededRandom(seed ^ 0x3c6ef372);
  const fold = new Uint8Array(labels.length);
  if (!groups) {
    const byClass: number[][] = Array.from({ length: classCount }, () => []);
    for (let row = 0; row < labels.length; row++) byClass[labels[row]!]!.push(row);
    let next = 0;
    for (const rows of byClass) {
      const shuffled = random.shuffle(Int32Array.from(rows));
      // Continue the deal where the previous class stopped, so small classes spread too.
      for (const row of shuffled) fold[row] = next++ % folds;
    }
    return fold;
  }
  const sizes = new Map<number, number>();
  for (const group of groups) sizes.set(group, (sizes.get(group) ?? 0) + 1);
  if (sizes.size < folds)
    throw new Error(`Expected at least ${folds} captures or datasets for ${folds}-fold grouped cross-validation, found ${sizes.size}`);
  const order = Array.from(random.shuffle(Int32Array.from(sizes.keys())));
  order.sort((a, b) => sizes.get(b)! - sizes.get(a)!);
  const load = new Float64Array(folds);
  const foldOfGroup = new Map<number, number>();
  for (const group of order) {
    let lightest = 0;
    for (let f = 1; f < folds; f++) if (load[f]! < load[lightest]!) lightest = f;
    foldOfGroup.set(group, lightest);
    load[lightest]! += sizes.get(group)!;
  }
  for (let row = 0; row < labels.length; row++) fold[row] = foldOfGroup.get(groups[row]!)!;
  return fold;
}
