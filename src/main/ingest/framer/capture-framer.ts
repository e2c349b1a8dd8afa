/**
 * Cuts a pcap or pcapng byte stream into CaptureBlocks of whole records for the decode
 * workers. It reads only record and block headers (16 bytes per pcap record, 8-28 per pcapng
 * block), consumes the file header, section headers and interface descriptions itself, and
 * stops cleanly at the first damaged record, keeping everything before it.
 */
import type { CaptureBlock, CaptureFormat, InterfaceInfo } from '../../../shared/capture-block';
import { ErrorCode, FlowlabError, hexOffset } from '../../../shared/errors';
import { SECTION_HEADER_TYPE } from './capture-magic';
import { checkFirstSectionTrailer, incompleteFileHeaderError, measureFileHeader } from './file-header';
import { CarryBuffer } from './carry-buffer';
import * as messages from './framer-messages';
import { maxCapturedLength } from './max-captured-length';
import { PCAP_RECORD_HEADER_LENGTH, pcapCapturedLength, readPcapFileHeader } from './pcap-file-header';
import * as pcapng from './pcapng-blocks';
import { PendingBlock } from './pending-block';

/** Returned by #measure when framing stopped at damage. */
const STOP = -1;
/** Interfaces one pcapng section may declare (interface ids are stored in 16 bits). */
const MAX_INTERFACES = 65536;

type Phase = 'fileHeader' | 'pcap' | 'pcapng' | 'stopped';

export interface CaptureFramerOptions {
  /** A block is cut once it holds this many bytes (a bigger single record gets a block of its own). */
  targetBlockBytes: number;
  /**
   * Where a block's bytes are copied: a view of exactly `byteLength` bytes that nothing else
   * uses until the block has been decoded (default: a new buffer per block). The ingest passes
   * buffers the decode workers hand back, so blocks do not map and fault in fresh memory.
   */
  allocate?: (byteLength: number) => Uint8Array;
}

/**
 * Push chunks of the (decompressed) capture in order; every call returns the blocks completed
 * so far. Chunks are referenced, not copied, until their records are cut into a block: do not
 * modify a chunk after pushing it. Header errors throw FlowlabError (UNKNOWN_FORMAT,
 * BAD_RECORD); damage after the header ends framing with a warning.
 */
export class CaptureFramer {
  readonly #target: number;
  readonly #allocate: ((byteLength: number) => Uint8Array) | undefined;
  #phase: Phase = 'fileHeader';
  #format: CaptureFormat | undefined;
  readonly #linkTypes = new Set<number>();
  readonly #warnings = new messages.WarningList();
  #packetCount = 0;
  #streamBytes = 0;
  #ended = false;
  #littleEndian = false;
  #pcap: CaptureBlock['pcap'];
  #interfaces: InterfaceInfo[] = [];
  readonly #carry = new CarryBuffer();
  readonly #pending = new PendingBlock();
  #sequence = 0;
  #emitted: CaptureBlock[] = [];
  #oddFractions = 0;
  #firstOddFraction = '';

  constructor(options: CaptureFramerOptions) {
    if (!(options.targetBlockBytes >= 1)) {
      throw new FlowlabError(
        ErrorCode.invalidArgument,
        `targetBlockBytes must be >= 1, got ${options.targetBlockBytes}`,
      );
    }
    this.#target = options.targetBlockBytes;
    this.#allocate = options.allocate;
  }

  /** 'pcap' or 'pcapng' once the file header was read. */
  get format(): CaptureFormat | undefined {
    return this.#format;
  }
  /** Distinct link types of the file header / IDBs, in the order first seen. */
  get linkTypes(): number[] {
    return [...this.#linkTypes];
  }
  get warnings(): string[] {
    return [...this.#warnings.messages];
  }
  /** Packet records (pcap records, EPB, SPB, PB) framed so far. */
  get packetCount(): number {
    return this.#packetCount;
  }
  /** Stream bytes consumed: headers and whole records framed so far. */
  get streamBytes(): number {
    return this.#streamBytes;
  }
  /** True once framing stopped at damage or end() was called: further input is ignored. */
  get done(): boolean {
    return this.#ended || this.#isStopped();
  }

  /** Frames `chunk` (the next bytes of the stream) and returns the blocks completed by it. */
  push(chunk: Uint8Array): CaptureBlock[] {
    if (this.#ended) throw new FlowlabError(ErrorCode.internal, 'CaptureFramer.push() called after end()');
    const emitted: CaptureBlock[] = (this.#emitted = []);
    if (this.#isStopped() || chunk.length === 0) return emitted;
    let pos = 0;
    if (this.#carry.length > 0) {
      pos = this.#completeCarriedRecord(chunk);
      if (this.#carry.length > 0 || this.#isStopped()) return emitted;
    }
    pos = this.#frameChunk(chunk, pos);
    if (!this.#isStopped() && pos < chunk.length) this.#carry.append(chunk, pos, chunk.length);
    return emitted;
  }

  /** Ends the stream: reports a record cut short, returns the last block. */
  end(): CaptureBlock[] {
    if (this.#ended) return [];
    this.#ended = true;
    const emitted: CaptureBlock[] = (this.#emitted = []);
    if (this.#phase === 'fileHeader')
      throw incompleteFileHeaderError(this.#carry.bytes.subarray(0, this.#carry.length));
    if (!this.#isStopped() && this.#carry.length > 0) this.#warnTruncated();
    if (this.#oddFractions > 0)
      this.#warnings.add(messages.oddFractionMessage(this.#oddFractions, this.#firstOddFraction));
    this.#warnings.close();
    this.#cut();
    this.#carry.clear();
    return emitted;
  }

  #frameChunk(chunk: Uint8Array, start: number): number {
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = start;
    while (!this.#isStopped()) {
      const available = chunk.length - pos;
      const needed = this.#measure(chunk, view, pos, available);
      if (needed === STOP || needed > available) break;
      this.#accept(chunk, view, pos, needed);
      pos += needed;
    }
    return pos;
  }

  /** Tops up the carried record from `chunk` (only the bytes it still lacks); returns the chunk position after them. */
  #completeCarriedRecord(chunk: Uint8Array): number {
    const carry = this.#carry;
    let pos = 0;
    let needed = this.#measure(carry.bytes, carry.view, 0, carry.length);
    while (needed !== STOP && carry.length < needed) {
      const take = Math.min(needed - carry.length, chunk.length - pos);
      carry.append(chunk, pos, pos + take);
      pos += take;
      if (carry.length < needed) return pos;
      needed = this.#measure(carry.bytes, carry.view, 0, carry.length);
    }
    if (needed === STOP) return pos;
    const record = carry.detach();
    this.#accept(record, new DataView(record.buffer, record.byteOffset, record.byteLength), 0, needed);
    return pos;
  }

  /**
   * Bytes the unit at `pos` needs: a header size while its header is incomplete, else its whole
   * length (validated). STOP when framing stopped here.
   */
  #measure(bytes: Uint8Array, view: DataView, pos: number, available: number): number {
    if (this.#phase === 'pcap') {
      if (available < PCAP_RECORD_HEADER_LENGTH) return PCAP_RECORD_HEADER_LENGTH;
      const captured = pcapCapturedLength(view, pos, this.#littleEndian, this.#pcap!.lengthFieldOrder);
      const max = maxCapturedLength(this.#pcap!.linkType);
      if (captured <= max) return PCAP_RECORD_HEADER_LENGTH + captured;
      return this.#stop(`record claims ${captured} captured bytes (max ${max})`);
    }
    if (this.#phase === 'pcapng') {
      const measured = pcapng.measureBlock(view, pos, available, this.#littleEndian, this.#interfaces);
      return typeof measured === 'number' ? measured : this.#stop(measured.reason, measured.blockType);
    }
    if (this.#phase === 'fileHeader') return measureFileHeader(bytes, view, pos, available);
    return STOP;
  }

  /** Takes the whole unit at `pos` (length already validated by #measure). */
  #accept(bytes: Uint8Array, view: DataView, pos: number, length: number): void {
    if (this.#phase === 'pcap') {
      this.#checkFraction(view, pos);
      this.#appendRecord(bytes, pos, length, true);
    } else if (this.#phase === 'pcapng') {
      this.#acceptBlock(bytes, view, pos, length);
    } else {
      this.#acceptFileHeader(view, pos, length);
    }
    if (!this.#isStopped()) this.#streamBytes += length;
  }

  #acceptFileHeader(view: DataView, pos: number, length: number): void {
    if (view.getUint32(pos, false) === SECTION_HEADER_TYPE) {
      checkFirstSectionTrailer(view, pos, length);
      this.#format = 'pcapng';
      this.#phase = 'pcapng';
      this.#startSection(view, pos, length, true);
      return;
    }
    const header = readPcapFileHeader(view, pos);
    this.#format = 'pcap';
    this.#phase = 'pcap';
    this.#littleEndian = header.littleEndian;
    this.#pcap = header.context;
    this.#linkTypes.add(header.context.linkType);
    if (header.warning) this.#warnings.add(header.warning);
  }

  #acceptBlock(bytes: Uint8Array, view: DataView, pos: number, length: number): void {
    const type = view.getUint32(pos, this.#littleEndian);
    const littleEndian =
      type === SECTION_HEADER_TYPE ? pcapng.sectionByteOrder(view, pos)! : this.#littleEndian;
    const packetBlock = pcapng.isPacketBlock(type);
    const trailing = view.getUint32(pos + length - 4, littleEndian);
    if (trailing !== length) {
      this.#stop(
        `block total length ${length} does not match its trailing copy ${trailing}`,
        packetBlock ? undefined : type,
      );
      return;
    }
    if (type === SECTION_HEADER_TYPE) {
      this.#startSection(view, pos, length, false);
      return;
    }
    if (type === pcapng.BlockType.interfaceDescription) {
      // PacketBatch.interfaceId is 16-bit; no real capture comes near this.
      if (this.#interfaces.length === MAX_INTERFACES) {
        this.#stop(`the section declares more than ${MAX_INTERFACES} interfaces`, type);
        return;
      }
      this.#addInterface(bytes, view, pos, length);
    }
    this.#appendRecord(bytes, pos, length, pcapng.isFrameRecordBlock(type));
  }

  /** pcapng 4.1: a new section has its own byte order and interface table. */
  #startSection(view: DataView, pos: number, length: number, first: boolean): void {
    const littleEndian = pcapng.sectionByteOrder(view, pos)!;
    const version = pcapng.unsupportedSectionVersion(view, pos, littleEndian);
    if (version) {
      const problem = `unsupported pcapng ${version} at offset ${hexOffset(this.#streamBytes + 12)}: expected 1.0`;
      if (first) throw new FlowlabError(ErrorCode.unknownFormat, `Not a readable pcapng file: ${problem}`);
      this.#stop(problem, SECTION_HEADER_TYPE);
      return;
    }
    this.#cut();
    this.#littleEndian = littleEndian;
    this.#interfaces = [];
    const overrun = pcapng.walkOptions(view, pos + 24, pos + length - 4, littleEndian, () => {});
    if (overrun)
      this.#warnings.add(
        `pcapng Section Header Block at offset ${hexOffset(this.#streamBytes)}: ${overrun}; its options are ignored`,
      );
  }

  #addInterface(bytes: Uint8Array, view: DataView, pos: number, length: number): void {
    const { info, problems } = pcapng.readInterfaceDescription(bytes, view, pos, length, this.#littleEndian);
    const where = `pcapng Interface Description Block #${this.#interfaces.length} at offset ${hexOffset(this.#streamBytes)}`;
    for (const problem of problems) this.#warnings.add(`${where}: ${problem}`);
    this.#interfaces.push(info);
    this.#linkTypes.add(info.linkType);
  }

  /** Adds a record to the pending block; a block starts at its first packet record. */
  #appendRecord(bytes: Uint8Array, pos: number, length: number, isPacket: boolean): void {
    const pending = this.#pending;
    if (!isPacket && pending.packetCount === 0) return;
    if (pending.byteLength > 0 && pending.byteLength + length > this.#target) {
      this.#cut();
      if (!isPacket) return;
    }
    pending.append(bytes, pos, length, isPacket, this.#streamBytes);
    if (isPacket) this.#packetCount++;
    if (pending.byteLength >= this.#target) this.#cut();
  }

  /** Emits the pending block (its records are copied once into their own buffer). */
  #cut(): void {
    const pending = this.#pending;
    if (pending.packetCount === 0) {
      pending.clear();
      return;
    }
    const packetCount = pending.packetCount;
    const block: CaptureBlock = {
      sequence: this.#sequence++,
      format: this.#format!,
      littleEndian: this.#littleEndian,
      baseOffset: pending.startOffset,
      bytes: pending.takeBytes(this.#allocate),
      firstPacketNumber: this.#packetCount - packetCount + 1,
      packetCount,
    };
    // The interface list only grows within a section, so this snapshot is valid for every record.
    if (this.#format === 'pcap') block.pcap = this.#pcap!;
    else block.interfaces = this.#interfaces.slice();
    this.#emitted.push(block);
  }

  /** Damage after the file header: keep what came before, stop here. */
  #stop(reason: string, blockType?: number): number {
    const location = messages.unitLocation(this.#streamBytes, this.#packetCount + 1, blockType);
    this.#warnings.add(messages.stoppedMessage(location, reason, this.#packetCount));
    this.#phase = 'stopped';
    this.#carry.clear();
    this.#cut();
    return STOP;
  }

  /** pcap-savefile(5): ts_usec < 10^6 (ts_nsec < 10^9); the reader carries larger values. */
  #checkFraction(view: DataView, pos: number): void {
    const fraction = view.getUint32(pos + 4, this.#littleEndian);
    if (fraction < (this.#pcap!.nanoseconds ? 1e9 : 1e6)) return;
    if (this.#oddFractions++ === 0)
      this.#firstOddFraction = messages.unitLocation(this.#streamBytes, this.#packetCount + 1, undefined);
  }

  #warnTruncated(): void {
    const carry = this.#carry;
    const needed = this.#measure(carry.bytes, carry.view, 0, carry.length);
    let blockType: number | undefined;
    if (this.#phase === 'pcapng' && carry.length >= 4) {
      const type = carry.view.getUint32(0, this.#littleEndian);
      if (!pcapng.isPacketBlock(type)) blockType = type;
    }
    const location = messages.unitLocation(this.#streamBytes, this.#packetCount + 1, blockType);
    this.#warnings.add(messages.truncatedMessage(location, carry.length, needed, this.#packetCount));
  }

  /** A method, so TypeScript does not narrow #phase across calls that change it. */
  #isStopped(): boolean {
    return this.#phase === 'stopped';
  }
}
