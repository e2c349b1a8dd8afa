/**
 * The country CSV lists overlapping ranges (a registry's allocation, then the sub-allocations
 * inside it placed elsewhere: 5.61.192.0-5.61.199.255 FR, then 5.61.192.0-5.61.193.255 SK;
 * sometimes a later, wider row: 210.57.31.0/24 TW, then 210.57.31.0-210.57.32.255 VN). The mmdb
 * built from it answers with the later row, as if the rows were painted in file order.
 * flattenRanges turns the list into sorted, disjoint ranges with that answer, so one ASOF JOIN
 * (the last range starting at or before an address) is exact. Checked against the mmdb at the
 * first, middle and last address of every range and gap: no difference.
 */

/** Inclusive ranges of address numbers (below 2^53) with their value. */
export interface Ranges {
  first: number[];
  last: number[];
  value: string[];
}

/**
 * Disjoint ranges, sorted, each point taking the value of the last input row holding it;
 * adjacent pieces with the same value are merged.
 */
export function flattenRanges(input: Ranges): Ranges {
  const rows = input.first
    .map((_, index) => index)
    .sort((a, b) => input.first[a]! - input.first[b]! || a - b);
  const points = [...new Set([...input.first, ...input.last.map((last) => last + 1)])].sort((a, b) => a - b);
  const output: Ranges = { first: [], last: [], value: [] };
  // The rows holding the current point, the latest (highest index) on top; ended rows are dropped lazily.
  const open = new MaxHeap();
  let next = 0;
  for (let k = 0; k < points.length; k++) {
    const point = points[k]!;
    while (next < rows.length && input.first[rows[next]!]! <= point) open.push(rows[next++]!);
    while (open.size && input.last[open.top]! < point) open.pop();
    if (!open.size) continue;
    // The top row ends at or after `point`, so its last + 1 is a later point.
    const last = points[k + 1]! - 1;
    const value = input.value[open.top]!;
    const end = output.first.length - 1;
    if (end >= 0 && output.value[end] === value && output.last[end] === point - 1) output.last[end] = last;
    else {
      output.first.push(point);
      output.last.push(last);
      output.value.push(value);
    }
  }
  return output;
}

/** A binary max-heap of row indices. */
class MaxHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  get top(): number {
    return this.items[0]!;
  }

  push(item: number): void {
    const items = this.items;
    let index = items.push(item) - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (items[parent]! >= item) break;
      items[index] = items[parent]!;
      index = parent;
    }
    items[index] = item;
  }

  pop(): void {
    const items = this.items;
    const last = items.pop()!;
    if (!items.length) return;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= items.length) break;
      const child = left + 1 < items.length && items[left + 1]! > items[left]! ? left + 1 : left;
      if (items[child]! <= last) break;
      items[index] = items[child]!;
      index = child;
    }
    items[index] = last;
  }
}
