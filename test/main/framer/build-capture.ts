/**
 * Test helper: builds small pcap / pcapng files byte by byte, so tests can state hand-computed
 * expectations (offsets, time stamps, damage) for cases the real fixtures do not cover.
 */

/** Little-endian unless `littleEndian` is false. */
export class ByteWriter {
  #bytes: number[] = [];
  constructor(readonly littleEndian = true) {}
  u8(value: number): this {
    this.#bytes.push(value & 0xff);
    return this;
  }
  u16(value: number): this {
    const bytes = [value & 0xff, (value >>> 8) & 0xff];
    this.#bytes.push(...(this.littleEndian ? bytes : bytes.reverse()));
    return this;
  }
  u32(value: number): this {
    const bytes = [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
    this.#bytes.push(...(this.littleEndian ? bytes : bytes.reverse()));
    return this;
  }
  raw(bytes: ArrayLike<number>): this {
    this.#bytes.push(...Array.from(bytes));
    return this;
  }
  /** Zero bytes up to a multiple of 4. */
  pad4(): this {
    while (this.#bytes.length % 4 !== 0) this.#bytes.push(0);
    return this;
  }
  get length(): number {
    return this.#bytes.length;
  }
  toBytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Packet data of `length` bytes: 0, 1, 2, ... */
export function payload(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => i & 0xff);
}

/** A pcapng block: type, total length, body (padded to 4), total length again. */
export function pcapngBlock(
  type: number,
  body: Uint8Array,
  littleEndian = true,
  options: { totalLength?: number; trailingLength?: number } = {},
): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const total = options.totalLength ?? 12 + padded;
  const writer = new ByteWriter(littleEndian).u32(type).u32(total).raw(body).pad4();
  writer.u32(options.trailingLength ?? total);
  return writer.toBytes();
}

/** pcapng 4.1 Section Header Block, version 1.0 unless given, section length -1. */
export function sectionHeader(littleEndian = true, version: [number, number] = [1, 0]): Uint8Array {
  const body = new ByteWriter(littleEndian)
    .u32(0x1a2b3c4d)
    .u16(version[0])
    .u16(version[1])
    .u32(0xffffffff)
    .u32(0xffffffff);
  return pcapngBlock(0x0a0d0d0a, body.toBytes(), littleEndian);
}

/** pcapng option: code, length, value padded to 4. */
export function option(code: number, value: ArrayLike<number>, littleEndian = true): Uint8Array {
  return new ByteWriter(littleEndian).u16(code).u16(value.length).raw(value).pad4().toBytes();
}

/** pcapng 4.2 Interface Description Block with optional if_tsresol (9) / if_tsoffset (14, as [high, low]). */
export function interfaceDescription(
  linkType: number,
  snapLength: number,
  littleEndian = true,
  options: { tsresol?: number; tsoffset?: [number, number] } = {},
): Uint8Array {
  const body = new ByteWriter(littleEndian).u16(linkType).u16(0).u32(snapLength);
  if (options.tsresol !== undefined) body.raw(option(9, [options.tsresol], littleEndian));
  if (options.tsoffset !== undefined) {
    const [high, low] = options.tsoffset;
    const value = littleEndian
      ? new ByteWriter(true).u32(low).u32(high)
      : new ByteWriter(false).u32(high).u32(low);
    body.raw(option(14, value.toBytes(), littleEndian));
  }
  if (options.tsresol !== undefined || options.tsoffset !== undefined) body.u32(0); // opt_endofopt
  return pcapngBlock(1, body.toBytes(), littleEndian);
}

/** pcapng 4.3 Enhanced Packet Block (time stamp as high/low 32-bit halves). */
export function enhancedPacket(
  interfaceId: number,
  high: number,
  low: number,
  data: Uint8Array,
  littleEndian = true,
  extra: { originalLength?: number; capturedLength?: number; options?: Uint8Array } = {},
): Uint8Array {
  const body = new ByteWriter(littleEndian)
    .u32(interfaceId)
    .u32(high)
    .u32(low)
    .u32(extra.capturedLength ?? data.length)
    .u32(extra.originalLength ?? data.length)
    .raw(data)
    .pad4();
  if (extra.options) body.raw(extra.options);
  return pcapngBlock(6, body.toBytes(), littleEndian);
}

/** pcapng appendix A obsolete Packet Block. */
export function obsoletePacket(
  interfaceId: number,
  high: number,
  low: number,
  data: Uint8Array,
  littleEndian = true,
): Uint8Array {
  const body = new ByteWriter(littleEndian)
    .u16(interfaceId)
    .u16(0)
    .u32(high)
    .u32(low)
    .u32(data.length)
    .u32(data.length)
    .raw(data);
  return pcapngBlock(2, body.toBytes(), littleEndian);
}

/** pcapng 4.4 Simple Packet Block. */
export function simplePacket(originalLength: number, data: Uint8Array, littleEndian = true): Uint8Array {
  return pcapngBlock(3, new ByteWriter(littleEndian).u32(originalLength).raw(data).toBytes(), littleEndian);
}

/** pcap-savefile(5) file header. */
export function pcapHeader(
  options: {
    littleEndian?: boolean;
    nanoseconds?: boolean;
    version?: [number, number];
    snapLength?: number;
    linkType?: number;
  } = {},
): Uint8Array {
  const writer = new ByteWriter(options.littleEndian ?? true);
  return writer
    .u32(options.nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(options.version?.[0] ?? 2)
    .u16(options.version?.[1] ?? 4)
    .u32(0)
    .u32(0)
    .u32(options.snapLength ?? 65535)
    .u32(options.linkType ?? 1)
    .toBytes();
}

/** pcap-savefile(5) record: header fields in file order, then data. */
export function pcapRecord(
  seconds: number,
  fraction: number,
  data: Uint8Array,
  littleEndian = true,
  lengths: { first?: number; second?: number } = {},
): Uint8Array {
  return new ByteWriter(littleEndian)
    .u32(seconds)
    .u32(fraction)
    .u32(lengths.first ?? data.length)
    .u32(lengths.second ?? data.length)
    .raw(data)
    .toBytes();
}
