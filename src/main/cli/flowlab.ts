/**
 * `flowlab` command line. Contract (other tools call it):
 *   flowlab ingest <capture>... --db <case.duckdb> [--workers N] [--block-bytes B]
 *                  [--idle-timeout S] [--active-timeout S] [--json]
 *   flowlab flows <case.duckdb> [--where SQL] [--limit N] [--columns a,b] --format csv|json [--out FILE]
 *   flowlab captures <case.duckdb> [--json]
 *   flowlab serve <case.duckdb> [--port P] [--open capture...]
 *   flowlab export <case.duckdb> --out file.csv|file.parquet [--format csv|parquet|cicids2017] [--where SQL]
 *                  [--columns a,b] [--labeled-only] [--split 0.8 --seed N [--split-by class|capture]]
 *                  [--packets] [--derived a,b] [--keep-formulas] [--json]
 *   flowlab carve <case.duckdb> --where SQL --out file.pcap|file.pcapng [--time-resolution ns|us] [--json]
 *   flowlab label <case.duckdb> --class C (--where SQL | --filter EXPR | --capture ID | --import file.csv) [--reason TEXT]
 *   flowlab detect <case.duckdb> [--capture ID] [--kinds a,b] [--threshold name=value]... [--json]
 *   flowlab stats <case.duckdb> --column C [--by label|COLUMN] [--source flows|packets] [--filter EXPR] [--json]
 *   flowlab import <case.duckdb> <file.csv>... [--json]
 *   flowlab train <case.duckdb> --model rf|gbt|logreg [--source imported|captured] [--features a,b]
 *                 [--test-size 0.2] [--seed N] [--json]
 *   flowlab predict <case.duckdb> --model ID --capture ID [--json]
 * Exit code 0 on success; non-zero with a one-line reason on stderr otherwise.
 */
import { parseArgs } from 'node:util';
import { isCancellationError } from '../../shared/errors';
import { runDetect, runStats } from './detect-command';
import { runCaptures, runFlows } from './flows-command';
import { runIngest } from './ingest-command';
import { runServe } from './serve-command';
import { runImport, runModels, runPredict, runTrain } from './ml-command';
import { CARVE_OPTIONS, EXPORT_OPTIONS, runCarve, runExport } from './export-command';
import { LABEL_OPTIONS, runLabel } from './label-command';
import { UsageError } from './usage-error';
import type { ParsedArgs } from './usage-error';

const USAGE = `Usage:
  flowlab ingest <capture>... --db <case.duckdb> [--workers N] [--block-bytes B]
                 [--idle-timeout S] [--active-timeout S] [--json]
  flowlab flows <case.duckdb> [--where SQL] [--limit N] [--columns a,b] --format csv|json [--out FILE]
  flowlab captures <case.duckdb> [--json]
  flowlab serve <case.duckdb> [--port P] [--open capture...]
  flowlab export <case.duckdb> --out file.csv|file.parquet [--format csv|parquet|cicids2017] [--where SQL]
                 [--columns a,b] [--labeled-only] [--split 0.8 --seed N [--split-by class|capture]]
                 [--packets] [--derived host_bytes,ip_integers,dst_port_frequency,service_one_hot,flow_inter_arrival]
                 [--keep-formulas] [--json]
  flowlab carve <case.duckdb> --where SQL --out file.pcap|file.pcapng [--time-resolution ns|us] [--json]
  flowlab label <case.duckdb> --class C (--where SQL | --filter EXPR | --capture ID) [--tags a,b]
                [--source manual|rule|capture|import|detection|model] [--reason TEXT] [--json]
  flowlab label <case.duckdb> --import file.csv [--import-format five-tuple|ip|cicids2017]
                [--utc-offset MINUTES] [--tolerance SECONDS] [--reason TEXT] [--json]
  flowlab label <case.duckdb> --clear (--where SQL | --filter EXPR | --capture ID)
  flowlab label <case.duckdb> --undo | --redo | --summary | --rules | --history FLOW_ID
  flowlab label <case.duckdb> --save-rule NAME --class C [--filter EXPR] [--from ISO --to ISO] [--hosts a,b]
  flowlab label <case.duckdb> --apply-rule NAME|ID [--capture ID]
  flowlab detect <case.duckdb> [--capture ID] [--kinds a,b] [--threshold name=value]... [--json]
  flowlab stats <case.duckdb> --column C [--by label|COLUMN] [--source flows|packets]
                [--filter EXPR] [--capture ID] [--bins N] [--json]
  flowlab import <case.duckdb> <file.csv>... [--json]
  flowlab train <case.duckdb> --model rf|gbt|logreg [--source imported|captured] [--features a,b]
                [--test-size 0.2] [--split stratified|group] [--seed N] [--trees N] [--max-depth N]
                [--datasets 1,2] [--captures 1,2] [--include-ports] [--cv K] [--name TEXT] [--json]
  flowlab predict <case.duckdb> --model ID --capture ID [--json]
  flowlab models <case.duckdb> [--json]
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
    case 'detect': {
      const parsed = parse(rest, { capture: 'string', kinds: 'string', threshold: 'string', json: 'boolean' }, ['threshold']);
      return runDetect({ ...parsed, threshold: parsed.values.threshold as unknown as string[] | undefined });
    }
    case 'stats':
      return runStats(
        parse(rest, { column: 'string', by: 'string', source: 'string', filter: 'string', capture: 'string', bins: 'string', json: 'boolean' }),
      );
    case 'import':
      return runImport(parse(rest, { json: 'boolean' }));
    case 'train':
      return runTrain(
        parse(rest, {
          model: 'string',
          source: 'string',
          features: 'string',
          'test-size': 'string',
          split: 'string',
          seed: 'string',
          trees: 'string',
          'max-depth': 'string',
          cv: 'string',
          datasets: 'string',
          captures: 'string',
          'include-ports': 'boolean',
          name: 'string',
          json: 'boolean',
        }),
      );
    case 'predict':
      return runPredict(parse(rest, { model: 'string', capture: 'string', json: 'boolean' }));
    case 'models':
      return runModels(parse(rest, { json: 'boolean' }));
    case 'serve': {
      const parsed = parse(rest, { port: 'string', open: 'string', 'renderer-dir': 'string' }, ['open']);
      return runServe({ ...parsed, open: parsed.values.open as unknown as string[] | undefined });
    }
    case 'export':
      return runExport(parse(rest, EXPORT_OPTIONS));
    case 'carve':
      return runCarve(parse(rest, CARVE_OPTIONS));
    case 'label':
      return runLabel(parse(rest, LABEL_OPTIONS));
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
