import type { PacketColumns } from './packet-columns';
import { KEY_WORDS, hashKey, keysEqual } from './flow-key';
import { gapExceeds } from './capture-time';

/** Datagram ports are forgotten this long (seconds of capture time) after the first fragment. */
export const FRAGMENT_TIMEOUT_SECONDS = 30;
const SETS = 4096;
const WAYS = 4;
const ENTRIES = SETS * WAYS;

/**
 * Ports of fragmented IP datagrams, so that non-first fragments (which carry no L4 header,
 * RFC 791 3.2 / RFC 8200 4.5) join the flow of their datagram. Keyed by (ipVersion, protocol,
 * vlanId, ipId, src address, dst address), the fields that identify a datagram for reassembly
 * (RFC 791 3.2; RFC 8200 4.5 for IPv6's 32-bit Identification), laid out as KEY_WORDS words:
 *   [0] ipVersion | protocol << 8 | vlanId << 16, [1] ipId, [2..5] src, [6..9] dst.
 * A fixed 4-way set-associative table of SETS x WAYS entries bounds memory. An entry is live
 * for FRAGMENT_TIMEOUT_SECONDS after the first fragment; an insert takes the matching, a dead
 * or else the oldest way of its set, so everything is deterministic. A datagram whose entry was
 * evicted or never made (non-first fragment before the first one) is looked up in vain and the
 * caller falls back to ports 0.
 */
export class FragmentTable {
  private readonly keys = new Uint32Array(ENTRIES * KEY_WORDS);
  private readonly ports = new Uint32Array(ENTRIES);
  private readonly times = new Float64Array(ENTRIES).fill(NaN);
  private readonly scratch = new Uint32Array(KEY_WORDS);

  /** Records the ports of the first fragment in `row` (capture time `t`). */
  remember(batch: PacketColumns, row: number, t: number): void {
    const key = this.scratch;
    writeKey(batch, row, key);
    const base = (hashKey(key, 0) & (SETS - 1)) * WAYS;
    let victim = base;
    for (let entry = base; entry < base + WAYS; entry++) {
      if (this.times[entry] === this.times[entry] && keysEqual(this.keys, entry * KEY_WORDS, key, 0)) {
        victim = entry;
        break;
      }
      if (!this.live(entry, t)) {
        if (this.live(victim, t)) victim = entry;
      } else if (this.live(victim, t) && this.times[entry]! < this.times[victim]!) victim = entry;
    }
    this.keys.set(key, victim * KEY_WORDS);
    this.ports[victim] = ((batch.srcPort[row]! << 16) | batch.dstPort[row]!) >>> 0;
    this.times[victim] = t;
  }

  /** `srcPort << 16 | dstPort` of the datagram of non-first fragment `row`, or -1 if unknown. */
  lookup(batch: PacketColumns, row: number, t: number): number {
    const key = this.scratch;
    writeKey(batch, row, key);
    const base = (hashKey(key, 0) & (SETS - 1)) * WAYS;
    for (let entry = base; entry < base + WAYS; entry++) {
      if (this.live(entry, t) && keysEqual(this.keys, entry * KEY_WORDS, key, 0)) return this.ports[entry]!;
    }
    return -1;
  }

  /** Forgets everything (end of capture). */
  clear(): void {
    this.times.fill(NaN);
  }

  private live(entry: number, t: number): boolean {
    const time = this.times[entry]!;
    return time === time && !gapExceeds(t, time, FRAGMENT_TIMEOUT_SECONDS);
  }
}

function writeKey(batch: PacketColumns, row: number, key: Uint32Array): void {
  key[0] = (batch.ipVersion[row]! | (batch.protocol[row]! << 8) | (batch.vlanId[row]! << 16)) >>> 0;
  key[1] = batch.ipId[row]!;
  const base = row * 4;
  for (let i = 0; i < 4; i++) {
    key[2 + i] = batch.srcAddr[base + i]!;
    key[6 + i] = batch.dstAddr[base + i]!;
  }
}
