import { grown } from './grown';

const NONE = -1;

/**
 * Open flow slots in ascending order of a time (a flow's last or first packet time), as a
 * doubly linked list over typed arrays. A sweep walks it from the oldest end and stops at the
 * first flow that has not timed out, so it costs O(expired) instead of O(open flows). Placing a
 * slot walks back from the newest end: O(1) when packet times only grow, which is the usual case;
 * out-of-order time stamps cost a short walk and keep the order exact.
 */
export class TimeOrderedList {
  head = NONE;
  private tail = NONE;
  private previous: Int32Array;
  next: Int32Array;
  private listed: Uint8Array;

  constructor(capacity: number) {
    this.previous = new Int32Array(capacity).fill(NONE);
    this.next = new Int32Array(capacity).fill(NONE);
    this.listed = new Uint8Array(capacity);
  }

  grow(capacity: number): void {
    this.previous = grown(this.previous, capacity, NONE);
    this.next = grown(this.next, capacity, NONE);
    this.listed = grown(this.listed, capacity);
  }

  /** Inserts `slot`, or moves it, so the list stays in ascending order of `times`. */
  place(slot: number, times: Float64Array): void {
    if (this.listed[slot] === 1) {
      if (slot === this.tail) {
        const before = this.previous[slot]!;
        if (before === NONE || times[before]! <= times[slot]!) return;
      }
      this.remove(slot);
    }
    const time = times[slot]!;
    let after = this.tail;
    while (after !== NONE && times[after]! > time) after = this.previous[after]!;
    const following = after === NONE ? this.head : this.next[after]!;
    this.previous[slot] = after;
    this.next[slot] = following;
    if (after === NONE) this.head = slot;
    else this.next[after] = slot;
    if (following === NONE) this.tail = slot;
    else this.previous[following] = slot;
    this.listed[slot] = 1;
  }

  remove(slot: number): void {
    if (this.listed[slot] !== 1) return;
    const before = this.previous[slot]!;
    const after = this.next[slot]!;
    if (before === NONE) this.head = after;
    else this.next[before] = after;
    if (after === NONE) this.tail = before;
    else this.previous[after] = before;
    this.previous[slot] = NONE;
    this.next[slot] = NONE;
    this.listed[slot] = 0;
  }
}
