import { KEY_WORDS, keysEqual } from './flow-key';

const EMPTY = -1;

/**
 * Open-addressing hash table (linear probing) from canonical flow keys to slots. A slot is the
 * row of every per-flow state column; slots of ended flows go on a LIFO free list and are
 * reused, so memory follows the number of concurrently open flows, not the total. Deletion is
 * Knuth's backward shift (TAOCP vol. 3, 6.4 Algorithm R), so there are no tombstones and probe
 * chains stay short. The bucket array is kept at >= 2x the slot capacity (load <= 0.5); both
 * grow by doubling.
 */
export class FlowTable {
  /** Slots available before the next growth; per-flow columns must be at least this long. */
  capacity: number;
  /** Open flows. */
  size = 0;
  /** KEY_WORDS words per slot. */
  keys: Uint32Array;
  /** 1 while the slot holds an open flow. */
  inUse: Uint8Array;
  /** Largest slot ever handed out + 1 (slots at or above are untouched). */
  highWater = 0;
  private hashes: Uint32Array;
  private buckets: Int32Array;
  private mask: number;
  private freeSlots: Int32Array;
  private freeCount = 0;

  constructor(initialCapacity: number) {
    this.capacity = initialCapacity;
    this.keys = new Uint32Array(initialCapacity * KEY_WORDS);
    this.inUse = new Uint8Array(initialCapacity);
    this.hashes = new Uint32Array(initialCapacity);
    this.freeSlots = new Int32Array(initialCapacity);
    this.buckets = new Int32Array(initialCapacity * 2).fill(EMPTY);
    this.mask = initialCapacity * 2 - 1;
  }

  /** The slot holding `key` (KEY_WORDS words at offset 0) with hash `hash`, or -1. */
  find(key: Uint32Array, hash: number): number {
    const buckets = this.buckets;
    const mask = this.mask;
    for (let b = hash & mask; ; b = (b + 1) & mask) {
      const slot = buckets[b]!;
      if (slot === EMPTY) return EMPTY;
      if (this.hashes[slot] === hash && keysEqual(this.keys, slot * KEY_WORDS, key, 0)) return slot;
    }
  }

  /** Adds `key` (which must be absent) and returns its slot; may grow `capacity`. */
  insert(key: Uint32Array, hash: number): number {
    let slot: number;
    if (this.freeCount > 0) slot = this.freeSlots[--this.freeCount]!;
    else {
      if (this.highWater === this.capacity) this.grow();
      slot = this.highWater++;
    }
    this.keys.set(key.subarray(0, KEY_WORDS), slot * KEY_WORDS);
    this.hashes[slot] = hash;
    this.inUse[slot] = 1;
    this.size++;
    this.place(slot);
    return slot;
  }

  /** Removes the flow in `slot` and frees the slot for reuse. */
  remove(slot: number): void {
    const buckets = this.buckets;
    const mask = this.mask;
    let hole = this.hashes[slot]! & mask;
    while (buckets[hole] !== slot) hole = (hole + 1) & mask;
    // Backward shift: move later members of the probe run into the hole unless their home
    // bucket lies cyclically in (hole, j].
    for (let j = (hole + 1) & mask; buckets[j] !== EMPTY; j = (j + 1) & mask) {
      const home = this.hashes[buckets[j]!]! & mask;
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      buckets[hole] = buckets[j]!;
      hole = j;
    }
    buckets[hole] = EMPTY;
    this.inUse[slot] = 0;
    this.freeSlots[this.freeCount++] = slot;
    this.size--;
  }

  private place(slot: number): void {
    const buckets = this.buckets;
    const mask = this.mask;
    let b = this.hashes[slot]! & mask;
    while (buckets[b] !== EMPTY) b = (b + 1) & mask;
    buckets[b] = slot;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const keys = new Uint32Array(capacity * KEY_WORDS);
    keys.set(this.keys);
    this.keys = keys;
    const hashes = new Uint32Array(capacity);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const inUse = new Uint8Array(capacity);
    inUse.set(this.inUse);
    this.inUse = inUse;
    const freeSlots = new Int32Array(capacity);
    freeSlots.set(this.freeSlots);
    this.freeSlots = freeSlots;
    this.capacity = capacity;
    this.buckets = new Int32Array(capacity * 2).fill(EMPTY);
    this.mask = capacity * 2 - 1;
    for (let slot = 0; slot < this.highWater; slot++) {
      if (inUse[slot] === 1) this.place(slot);
    }
  }
}
