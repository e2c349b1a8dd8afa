/**
 * `flowlab` command line. Contract (other tools call it):
 *   flowlab ingest <capture>... --db <case.duckdb> [--workers N] [--block-bytes B]
 *                  [--idle-timeout S] [--active-timeout S] [--json]
 *   flowlab flows <case.duckdb> [--where SQL] [--limit N] [--columns a,b] --format csv|json [--out FILE]
 *   flowlab captures <case.duckdb> [--json]
 *   flowlab serve <case.duckdb> [--port P] [--open capture...]
 * Exit code 0 on success; non-zero with a one-line reason on stderr otherwise.
 */
import { parseArgs } from 'node:util';
import { isCancellationError } from '../../shared/errors';
import { runCaptures, runFlows } from './flows-command';
import { runIngest } from './ingest-command';
import { runServe } from './serve-command';
import { UsageError } from './usage-error';
import type { ParsedArgs } from './usage-error';

const USAGE = `Usage:
  flowlab ingest <capture>... --db <case.duckdb> [--workers N] [--block-bytes B]
                 [--idle-timeout S] [--active-timeout S] [--json]
  flowlab flows <case.duckdb> [--where SQL] [--limit N] [--columns a,b] --format csv|json [--out FILE]
  flowlab captures <case.duckdb> [--json]
  flowlab serve <case.duckdb> [--port P] [--open capture...]
  flowlab help`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'ingest':
      return runIngest(
        parse(rest, {
          db: 'string',
          workers: 'string',
          'block-bytes': 'string',
          'idle-timeout': 'string',
          'active-timeout': 'string',
          json: 'boolean',
        }),
      );
    case 'flows':
      return runFlows(
        parse(rest, { where: 'string', limit: 'string', columns: 'string', format: 'string', out: 'string' }),
      );
    case 'captures':
      return runCaptures(parse(rest, { json: 'boolean' }));
    case 'serve': {
      const parsed = parse(rest, { port: 'string', open: 'string', 'renderer-dir': 'string' }, ['open']);
      return runServe({ ...parsed, open: parsed.values.open as unknown as string[] | undefined });
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

function parse(
  args: string[],
  options: Record<string, 'string' | 'boolean'>,
  multiple: string[] = [],
): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        Object.entries(options).map(([name, type]) => [name, { type, multiple: multiple.includes(name) }]),
      ),
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isCancellationError(error)) {
      process.stderr.write('flowlab: cancelled\n');
      process.exitCode = 130;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`flowlab: ${message.split('\n')[0]}\n`);
    if (error instanceof UsageError) process.stderr.write(USAGE + '\n');
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
