/** Wording of the framer's warnings: what, where (hex offset, packet number), what was kept. */
import { hexOffset } from '../../../shared/errors';

/** "811 packets before it were kept" / "1 packet before it was kept". */
export function keptPackets(count: number): string {
  return count === 1 ? '1 packet before it was kept' : `${count} packets before it were kept`;
}

/** Where a unit starts: "packet #812 at offset 0x3f20" or "offset 0x3f20 (a block of type 0x5 after packet #811)". */
export function unitLocation(offset: number, packetNumber: number, blockType: number | undefined): string {
  if (blockType === undefined) return `packet #${packetNumber} at offset ${hexOffset(offset)}`;
  return `offset ${hexOffset(offset)} (a block of type 0x${blockType.toString(16)} after packet #${packetNumber - 1})`;
}

/** Damage after the file header: framing stopped there. */
export function stoppedMessage(location: string, reason: string, kept: number): string {
  return `Stopped at ${location}: ${reason}; ${keptPackets(kept)}`;
}

/** The stream ended inside a record. */
export function truncatedMessage(location: string, present: number, needed: number, kept: number): string {
  return `File is truncated: it ends inside the record at ${location} (${present} of ${needed} bytes present); ${keptPackets(kept)}`;
}

/** pcap records whose sub-second field is >= 1 s (the reader carries it into the seconds). */
export function oddFractionMessage(count: number, first: string): string {
  const records = count === 1 ? '1 record has' : `${count} records have`;
  return `${records} a sub-second time stamp field of one second or more (first: ${first}); it was carried into the seconds`;
}

/** Cap on the warnings one capture keeps; the rest are counted. */
const MAX_WARNINGS = 50;

/** The warnings of one capture, capped at MAX_WARNINGS plus a count of the rest. */
export class WarningList {
  readonly messages: string[] = [];
  #suppressed = 0;

  add(message: string): void {
    if (this.messages.length < MAX_WARNINGS) this.messages.push(message);
    else this.#suppressed++;
  }

  /** Adds "N more warnings not shown" when some were dropped (call once, at the end). */
  close(): void {
    if (this.#suppressed > 0)
      this.messages.push(`${this.#suppressed} more warning${this.#suppressed === 1 ? '' : 's'} not shown`);
  }
}
