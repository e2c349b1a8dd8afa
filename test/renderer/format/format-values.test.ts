import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDecimal,
  formatDuration,
  formatEta,
  formatPercent,
  formatProtocol,
  formatRate,
  formatTcpFlags,
  formatTimestamp,
  protocolNumber,
} from '../../../src/renderer/src/format/format-values';

describe('formatBytes', () => {
  it('uses binary units with precision by magnitude', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(15 * 1024)).toBe('15.0 KB');
    expect(formatBytes(150 * 1024 * 1024)).toBe('150 MB');
    expect(formatBytes(4.2 * 1024 ** 3)).toBe('4.20 GB');
  });
  it('shows nothing for NULL, NaN and non-numbers', () => {
    expect(formatBytes(null)).toBe('');
    expect(formatBytes(undefined)).toBe('');
    expect(formatBytes(Number.NaN)).toBe('');
    expect(formatBytes('abc')).toBe('');
  });
  it('accepts numeric strings (bigints beyond 2^53 arrive as text)', () => {
    expect(formatBytes('2048')).toBe('2.00 KB');
  });
});

describe('formatDuration', () => {
  it('picks a unit by magnitude', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(0.25)).toBe('250 µs');
    expect(formatDuration(1.5)).toBe('1.50 ms');
    expect(formatDuration(12.34)).toBe('12.3 ms');
    expect(formatDuration(450)).toBe('450 ms');
    expect(formatDuration(3200)).toBe('3.20 s');
    expect(formatDuration(245_000)).toBe('4m 05s');
    expect(formatDuration(2 * 3600_000 + 3 * 60_000)).toBe('2h 03m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3600_000)).toBe('3d 04h');
  });
});

describe('formatTimestamp', () => {
  it('keeps the stored fraction of ISO timestamps (no rounding through Date)', () => {
    expect(formatTimestamp('2024-01-01T12:00:00.123456789Z')).toBe('2024-01-01 12:00:00.123456789');
    expect(formatTimestamp('2024-01-01T12:00:00Z')).toBe('2024-01-01 12:00:00');
  });
  it('converts offsets and epoch milliseconds to UTC', () => {
    expect(formatTimestamp('2024-01-01T13:00:00+01:00')).toBe('2024-01-01 12:00:00.000');
    expect(formatTimestamp(Date.UTC(2024, 0, 2, 3, 4, 5))).toBe('2024-01-02 03:04:05.000');
  });
  it('passes unknown text through and shows NULL as empty', () => {
    expect(formatTimestamp('yesterday')).toBe('yesterday');
    expect(formatTimestamp(null)).toBe('');
  });
});

describe('formatTcpFlags', () => {
  it('writes set flags as letters in reading order', () => {
    expect(formatTcpFlags(0x02)).toBe('S');
    expect(formatTcpFlags(0x12)).toBe('SA');
    expect(formatTcpFlags(0x18)).toBe('AP');
    expect(formatTcpFlags(0x11)).toBe('AF');
    expect(formatTcpFlags(0x14)).toBe('AR');
    expect(formatTcpFlags(0xff)).toBe('SAPFRUEC');
    expect(formatTcpFlags(0)).toBe('');
  });
});

describe('other formatters', () => {
  it('formats counts, decimals, rates, percents, protocols and ETAs', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatDecimal(12.3456)).toBe('12.35');
    expect(formatDecimal(0.000123)).toBe('0.000123');
    expect(formatDecimal(42)).toBe('42');
    expect(formatRate(2 * 1024 * 1024)).toBe('2.00 MB/s');
    expect(formatPercent(0.4213)).toBe('42 %');
    expect(formatPercent(0.042)).toBe('4.2 %');
    expect(formatProtocol(6)).toBe('TCP');
    expect(formatProtocol(58)).toBe('ICMPv6');
    expect(formatProtocol(253)).toBe('253');
    expect(protocolNumber('tcp')).toBe(6);
    expect(protocolNumber('17')).toBe(17);
    expect(protocolNumber('nope')).toBeUndefined();
    expect(formatEta(null)).toBe('');
    expect(formatEta(65_000)).toBe('1m 05s');
  });
});
