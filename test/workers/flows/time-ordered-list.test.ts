import { describe, expect, it } from 'vitest';
import { TimeOrderedList } from '../../../src/workers/flows/time-ordered-list';
import { seededRandom } from '../../helpers/seeded-random';

function order(list: TimeOrderedList): number[] {
  const slots: number[] = [];
  for (let slot = list.head; slot >= 0; slot = list.next[slot]!) slots.push(slot);
  return slots;
}

describe('TimeOrderedList', () => {
  it('keeps slots in ascending time order through in-order, out-of-order, moved and removed slots', () => {
    const times = new Float64Array(16);
    const list = new TimeOrderedList(4);
    list.grow(16);
    const set = (slot: number, time: number) => {
      times[slot] = time;
      list.place(slot, times);
    };
    set(0, 5);
    set(1, 7);
    set(2, 6); // out of order: goes between 0 and 1
    set(3, 1); // older than all: becomes the head
    expect(order(list)).toEqual([3, 0, 2, 1]);
    set(3, 9); // moved to the newest end
    set(0, 6.5); // moved into the middle
    expect(order(list)).toEqual([2, 0, 1, 3]);
    list.remove(1);
    list.remove(1); // removing twice is harmless
    expect(order(list)).toEqual([2, 0, 3]);
    set(1, 0);
    expect(order(list)).toEqual([1, 2, 0, 3]);
    // Compare with a sort after many random updates.
    const random = seededRandom(7);
    for (let i = 0; i < 500; i++) set(Math.floor(random() * 16), Math.floor(random() * 100));
    const expected = order(list)
      .slice()
      .sort((a, b) => times[a]! - times[b]!);
    expect(order(list).map((slot) => times[slot])).toEqual(expected.map((slot) => times[slot]));
    expect(new Set(order(list)).size).toBe(order(list).length);
  });
});
