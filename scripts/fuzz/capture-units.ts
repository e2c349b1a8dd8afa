/**
 * The structure of a seed capture as far as the mutators need it: where each file header,
 * record (pcap) or block (pcapng) starts and ends, so mutations can aim at length fields, swap
 * or drop whole records and splice blocks between files. A simple, forgiving walk written for
 * the fuzzer (it stops at the first unit that does not fit).
 */

export type UnitKind = 'fileHeader' | 'record' | 'section' | 'interface' | 'block';

export interface CaptureUnit {
  offset: number;
  length: number;
  kind: UnitKind;
  /** Byte order of the unit's fields. */
  littleEndian: boolean;
}

export interface SeedCapture {
  name: string;
  bytes: Uint8Array;
  format: 'pcap' | 'pcapng';
  units: CaptureUnit[];
}

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xa1b23c4d]);
const SECTION_HEADER = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

function pcapUnits(view: DataView, littleEndian: boolean): CaptureUnit[] {
  const units: CaptureUnit[] = [{ offset: 0, length: 24, kind: 'fileHeader', littleEndian }];
  let offset = 24;
  while (offset + 16 <= view.byteLength) {
    const length = 16 + view.getUint32(offset + 8, littleEndian);
    if (offset + length > view.byteLength) break;
    units.push({ offset, length, kind: 'record', littleEndian });
    offset += length;
  }
  return units;
}

function pcapngUnits(view: DataView): CaptureUnit[] {
  const units: CaptureUnit[] = [];
  let littleEndian = true;
  let offset = 0;
  while (offset + 12 <= view.byteLength) {
    const section = view.getUint32(offset, false) === SECTION_HEADER;
    if (section) littleEndian = view.getUint32(offset + 8, true) === BYTE_ORDER_MAGIC;
    const type = view.getUint32(offset, littleEndian);
    const length = view.getUint32(offset + 4, littleEndian);
    if (length < 12 || offset + length > view.byteLength) break;
    const kind: UnitKind = section ? 'section' : type === 1 ? 'interface' : 'block';
    units.push({ offset, length, kind, littleEndian });
    offset += length;
  }
  return units;
}

/** Reads the unit table of a pcap or pcapng capture; undefined for anything else. */
export function captureUnits(name: string, bytes: Uint8Array): SeedCapture | undefined {
  if (bytes.length < 24) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, false) === SECTION_HEADER) {
    return { name, bytes, format: 'pcapng', units: pcapngUnits(view) };
  }
  const magicBig = view.getUint32(0, false);
  const magicLittle = view.getUint32(0, true);
  if (PCAP_MAGICS.has(magicBig)) return { name, bytes, format: 'pcap', units: pcapUnits(view, false) };
  if (PCAP_MAGICS.has(magicLittle)) return { name, bytes, format: 'pcap', units: pcapUnits(view, true) };
  return undefined;
}

/** True for units carrying packet bytes (pcap records, pcapng EPB/SPB/PB). */
export function isPacketUnit(bytes: Uint8Array, unit: CaptureUnit): boolean {
  if (unit.kind === 'record') return true;
  if (unit.kind !== 'block') return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = view.getUint32(unit.offset, unit.littleEndian);
  return type === 6 || type === 3 || type === 2;
}
