/** Converts DuckDB JS values to JSON-safe plain values for the API (one place, one rule). */

/** bigint → number when exact, else decimal string; Date → ISO 8601; nested arrays/objects recursively. */
export function toPlainValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(toPlainValue);
  if (value instanceof Uint8Array) return Array.from(value);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlainValue(item)]));
  }
  return value;
}

export function toPlainRow(row: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key in row) result[key] = toPlainValue(row[key]);
  return result;
}
