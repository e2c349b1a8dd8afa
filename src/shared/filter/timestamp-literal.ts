/**
 * Timestamp literals of the filter language and of FlowFilter.timeRange: ISO 8601 dates and
 * date-times (RFC 3339 5.6), UTC unless an offset is given, parsed to exact microseconds
 * (flows.first_seen/last_seen are TIMESTAMP, i.e. microseconds).
 */

const TIMESTAMP_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/;

/** Microseconds since the Unix epoch (UTC) of an ISO 8601 date or date-time, or undefined. */
export function parseTimestampMicros(text: string): number | undefined {
  const match = TIMESTAMP_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
  const fields = [Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second)] as const;
  const [y, mo, d, h, mi, s] = fields;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const millis = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 2024-02-30 over to March: refuse dates that do not exist.
  if (new Date(millis).getUTCDate() !== d) return undefined;
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    const offsetHours = Number(digits.slice(1, 3));
    const offsetMins = Number(digits.slice(3, 5));
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = sign * (offsetHours * 60 + offsetMins);
  }
  const micros = Number(fraction.padEnd(6, '0').slice(0, 6) || '0');
  return (millis - offsetMinutes * 60_000) * 1000 + micros;
}
