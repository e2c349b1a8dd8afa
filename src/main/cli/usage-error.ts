/** A command-line mistake: reported with the usage text and exit code 2. */
export class UsageError extends Error {}

export type ParsedArgs = { values: Record<string, string | boolean | undefined>; positionals: string[] };

/** Reads a numeric option, rejecting anything that is not a finite number >= min. */
export function numberOption(args: ParsedArgs, name: string, min = 0): number | undefined {
  const raw = args.values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value) || value < min) {
    throw new UsageError(`--${name} expects a number >= ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}
