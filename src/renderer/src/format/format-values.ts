/**
 * Human formatting for the grid, charts and details. Formatting is display only: cells keep
 * the raw value, so sorting, filters and exports see the number the backend returned.
 */

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

function isMissing(value: unknown): value is null | undefined {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

function toNumber(value: unknown): number | undefined {
  if (isMissing(value)) return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** 1536 → "1.5 KB" (binary multiples, as capture tools show them). */
export function formatBytes(value: unknown): string {
  const bytes = toNumber(value);
  if (bytes === undefined) return '';
  const sign = bytes < 0 ? '-' : '';
  let magnitude = Math.abs(bytes);
  let unit = 0;
  while (magnitude >= 1024 && unit < BYTE_UNITS.length - 1) {
    magnitude /= 1024;
    unit++;
  }
  if (unit === 0) return `${sign}${Math.round(magnitude)} B`;
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  return `${sign}${magnitude.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** 1234567 → "1,234,567". */
export function formatCount(value: unknown): string {
  const count = toNumber(value);
  if (count === undefined) return '';
  return Math.round(count).toLocaleString('en-US');
}

/** A DOUBLE with sensible precision: 12.3456 → "12.35", 0.000123 → "0.000123". */
export function formatDecimal(value: unknown): string {
  const number = toNumber(value);
  if (number === undefined) return '';
  if (Number.isInteger(number)) return number.toLocaleString('en-US');
  const magnitude = Math.abs(number);
  if (magnitude >= 1000) return number.toLocaleString('en-US', { maximumFractionDigits: 0 });
  if (magnitude >= 1) return number.toFixed(2);
  return number.toPrecision(3);
}

/** Milliseconds → "850 µs", "12.5 ms", "3.20 s", "4m 05s", "2h 03m", "3d 04h". */
export function formatDuration(value: unknown): string {
  const ms = toNumber(value);
  if (ms === undefined) return '';
  const sign = ms < 0 ? '-' : '';
  const magnitude = Math.abs(ms);
  if (magnitude === 0) return '0 ms';
  if (magnitude < 1) return `${sign}${Math.round(magnitude * 1000)} µs`;
  if (magnitude < 1000) return `${sign}${magnitude < 10 ? magnitude.toFixed(2) : magnitude < 100 ? magnitude.toFixed(1) : magnitude.toFixed(0)} ms`;
  const seconds = magnitude / 1000;
  if (seconds < 60) return `${sign}${seconds.toFixed(2)} s`;
  const pad = (part: number): string => String(part).padStart(2, '0');
  const totalSeconds = Math.floor(seconds);
  if (totalSeconds < 3600) return `${sign}${Math.floor(totalSeconds / 60)}m ${pad(totalSeconds % 60)}s`;
  if (totalSeconds < 86_400) return `${sign}${Math.floor(totalSeconds / 3600)}h ${pad(Math.floor((totalSeconds % 3600) / 60))}m`;
  return `${sign}${Math.floor(totalSeconds / 86_400)}d ${pad(Math.floor((totalSeconds % 86_400) / 3600))}h`;
}

/**
 * ISO timestamp → "2024-01-01 12:00:00.123456" (UTC, as stored). Keeps the fraction the
 * backend gave (micro- or nanoseconds) instead of rounding through Date.
 */
export function formatTimestamp(value: unknown): string {
  if (isMissing(value) || value === '') return '';
  if (typeof value === 'number') return formatTimestamp(new Date(value).toISOString());
  const text = String(value);
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!match) return text;
  const [, date, time, fraction = '', zone = 'Z'] = match;
  if (zone !== 'Z' && zone !== '+00:00' && zone !== '+0000') {
    const parsed = new Date(text);
    return Number.isNaN(parsed.getTime()) ? text : formatTimestamp(parsed.toISOString());
  }
  return `${date} ${time}${fraction}`;
}

/** Bytes per second → "12.5 MB/s". */
export function formatRate(bytesPerSecond: unknown): string {
  const rate = toNumber(bytesPerSecond);
  return rate === undefined ? '' : `${formatBytes(rate)}/s`;
}

/** 0.4213 → "42.1 %". */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '';
  return `${(fraction * 100).toFixed(fraction >= 0.1 || fraction === 0 ? 0 : 1)} %`;
}

// TCP flag bits (RFC 9293 3.1, RFC 3168 for ECE/CWR) in the order analysts read them.
const TCP_FLAG_LETTERS = [
  [0x02, 'S'],
  [0x10, 'A'],
  [0x08, 'P'],
  [0x01, 'F'],
  [0x04, 'R'],
  [0x20, 'U'],
  [0x40, 'E'],
  [0x80, 'C'],
] as const;

/** TCP flags byte → letters, e.g. 0x12 → "SA", 0x18 → "AP". */
export function formatTcpFlags(flags: number): string {
  if (!flags) return '';
  return TCP_FLAG_LETTERS.filter(([bit]) => (flags & bit) !== 0)
    .map(([, letter]) => letter)
    .join('');
}

const PROTOCOL_NAMES: Record<number, string> = {
  1: 'ICMP',
  2: 'IGMP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  58: 'ICMPv6',
  89: 'OSPF',
  132: 'SCTP',
};

/** IP protocol number (IANA) → "TCP"; unknown numbers stay numeric. */
export function formatProtocol(value: unknown): string {
  const protocol = toNumber(value);
  if (protocol === undefined) return '';
  return PROTOCOL_NAMES[protocol] ?? String(protocol);
}

/** "TCP" → 6 (and "6" → 6); undefined for names not in the table. */
export function protocolNumber(name: string): number | undefined {
  if (/^\d+$/.test(name.trim())) return Number(name.trim());
  const wanted = name.trim().toUpperCase();
  const found = Object.entries(PROTOCOL_NAMES).find(([, known]) => known.toUpperCase() === wanted);
  return found ? Number(found[0]) : undefined;
}

/** Milliseconds left → "ETA 1m 05s" parts; null → "". */
export function formatEta(etaMs: number | null): string {
  if (etaMs === null || !Number.isFinite(etaMs)) return '';
  return formatDuration(Math.max(0, etaMs));
}
