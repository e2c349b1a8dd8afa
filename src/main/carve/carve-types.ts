/** What carving needs to know of one packet: where its record is in the (uncompressed) capture. */
export interface CarveRecord {
  fileOffset: number;
  recordLength: number;
}

/** The records of one capture, in increasing file offset. */
export type RecordSource = AsyncIterator<CarveRecord>;

/** Where carved bytes go. */
export interface CarveSink {
  write(bytes: Uint8Array): Promise<void>;
}

/** Packets and record bytes copied. */
export interface CarveCounts {
  packets: number;
  bytes: number;
}
