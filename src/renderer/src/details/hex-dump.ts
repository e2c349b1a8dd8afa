/** Bytes → hex/ASCII dump lines (offset, 16 hex bytes in two groups of 8, printable ASCII). */

export interface HexDumpLine {
  offset: string;
  hex: string;
  ascii: string;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Printable ASCII (0x20-0x7e) as itself, everything else as '.', like `xxd` and Wireshark. */
function asciiOf(byte: number): string {
  return byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : '.';
}

export function hexDumpLines(bytes: ArrayLike<number>, width = 16): HexDumpLine[] {
  const lines: HexDumpLine[] = [];
  const half = width / 2;
  for (let start = 0; start < bytes.length; start += width) {
    const hexParts: string[] = [];
    let ascii = '';
    for (let index = 0; index < width; index++) {
      const position = start + index;
      if (index === half) hexParts.push('');
      if (position < bytes.length) {
        const byte = bytes[position]! & 0xff;
        hexParts.push(HEX[byte]!);
        ascii += asciiOf(byte);
      } else {
        hexParts.push('  ');
      }
    }
    lines.push({ offset: start.toString(16).padStart(4, '0'), hex: hexParts.join(' '), ascii });
  }
  return lines;
}
