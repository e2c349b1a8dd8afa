/** `flowlab flows` and `flowlab captures`: read a case. */
import { FLOW_COLUMN_NAMES } from '../../shared/flow-schema';
import { FlowlabService } from '../service/flowlab-service';
import { numberOption, UsageError } from './usage-error';
import type { ParsedArgs } from './usage-error';

function casePath(args: ParsedArgs): string {
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one case file');
  return args.positionals[0]!;
}

export async function runFlows(args: ParsedArgs): Promise<number> {
  const db = casePath(args);
  const format = args.values.format ?? 'csv';
  if (format !== 'csv' && format !== 'json')
    throw new UsageError(`--format must be csv or json, got ${JSON.stringify(format)}`);
  const limit = numberOption(args, 'limit');
  const columns =
    typeof args.values.columns === 'string'
      ? args.values.columns.split(',').map((name) => name.trim())
      : undefined;
  for (const column of columns ?? []) {
    if (!FLOW_COLUMN_NAMES.includes(column))
      throw new UsageError(`unknown flow column ${JSON.stringify(column)}`);
  }
  const query = {
    ...(typeof args.values.where === 'string' ? { where: args.values.where } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(columns ? { columns } : {}),
  };
  const out = typeof args.values.out === 'string' ? args.values.out : undefined;
  const service = await FlowlabService.open(db);
  try {
    if (format === 'csv') {
      await service.exportFlowsCsv(out ?? '/dev/stdout', query);
    } else {
      const text = JSON.stringify(await service.flowRows(query)) + '\n';
      if (out) {
        const { writeFile } = await import('node:fs/promises');
        await writeFile(out, text);
      } else process.stdout.write(text);
    }
  } finally {
    await service.close();
  }
  return 0;
}

export async function runCaptures(args: ParsedArgs): Promise<number> {
  const service = await FlowlabService.open(casePath(args));
  try {
    const captures = await service.listCaptures();
    if (args.values.json === true) {
      process.stdout.write(JSON.stringify(captures) + '\n');
    } else {
      for (const capture of captures) {
        process.stdout.write(
          `${capture.id}\t${capture.status}\t${capture.format ?? '-'}\t${capture.packets} pkts\t${capture.bytes} B\t${capture.flows} flows\t${capture.path}\n`,
        );
      }
    }
  } finally {
    await service.close();
  }
  return 0;
}
