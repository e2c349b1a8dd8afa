/**
 * A block of whole capture records cut by the framer (main) and decoded by a worker.
 * The framer consumes section/interface headers itself and hands the worker only packet
 * records plus the context needed to read them, so blocks can be decoded in any order.
 */

export type CaptureFormat = 'pcap' | 'pcapng';

/** pcapng Interface Description Block as far as decoding needs it (pcapng 4.2). */
export interface InterfaceInfo {
  linkType: number;
  snapLength: number;
  /**
   * Timestamp units per second from `if_tsresol` (default 10^6). Power of ten or of two,
   * kept as a number (exact up to 2^53).
   */
  unitsPerSecond: number;
  /** `if_tsoffset` seconds added to every timestamp (default 0). */
  offsetSeconds: number;
  name?: string;
}

export interface CaptureBlock {
  /** Sequence number of the block in the capture, from 0; results are assembled in this order. */
  sequence: number;
  format: CaptureFormat;
  /** Byte order of the section the records belong to. */
  littleEndian: boolean;
  /** Whole records only: pcap record headers + data, or pcapng blocks (EPB/SPB/PB and others to skip). */
  bytes: Uint8Array;
  /** Stream offset of bytes[0] (decompressed stream offset for .gz inputs). */
  baseOffset: number;
  /** 1-based number of the first packet record in this block. */
  firstPacketNumber: number;
  /** Number of packet records in the block (the framer counts them). */
  packetCount: number;
  /** Classic pcap: link type, nanosecond timestamps and snap length from the file header. */
  pcap?: {
    linkType: number;
    nanoseconds: boolean;
    snapLength: number;
    /**
     * Order of the two length fields of the record header (pcap-savefile(5); libpcap sf-pcap.c):
     * files before version 2.3 store orig_len before incl_len ('swapped'); 2.3 files may hold
     * either order ('ambiguous': swap when incl_len > orig_len). Absent: the standard order.
     */
    lengthFieldOrder?: 'swapped' | 'ambiguous';
  };
  /** pcapng: the interfaces of the current section, indexed by interface id. */
  interfaces?: InterfaceInfo[];
}
