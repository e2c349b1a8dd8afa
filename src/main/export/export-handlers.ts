/**
 * The export and carve channels of the API. Requests come from outside: the file name is a
 * bare name (written into the case's export directory, never elsewhere), the filter compiles
 * to parameterised SQL, every option is checked.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ApiHandlers } from '../../shared/api-contract';
import { ErrorCode, FlowlabError } from '../../shared/errors';
import { DERIVED_FEATURES } from '../../shared/export-types';
import type { CarveRequest, DerivedFeature, ExportRequest, ExportSplit } from '../../shared/export-types';
import { carveFlows } from '../carve/carve-flows';
import type { ApiEventSink } from '../query/api-event-sink';
import { compileFlowFilter } from '../query/compile-flow-filter';
import { integerField, requestObject, stringField } from '../query/request-checks';
import type { FlowlabService } from '../service/flowlab-service';
import { exportFlows } from './export-flows';
import { ExportJobs } from './export-jobs';
import { removeStalePartials } from './output-file';

type ExportHandlers = Pick<ApiHandlers, 'export.flows' | 'export.carve' | 'export.cancel' | 'export.directory' | 'export.openInWireshark'>;

/** `<dir of case>/<case name>-exports`. */
export function exportDirectory(casePath: string): string {
  const parsed = path.parse(path.resolve(casePath));
  return path.join(parsed.dir, `${parsed.name}-exports`);
}

/** A bare file name with one of `extensions` (no directories, no leading dot). */
export function exportFileName(value: unknown, extensions: readonly string[]): string {
  const name = stringField(value, 'fileName', 200);
  const extension = path.extname(name).toLowerCase();
  if (!/^[\w][\w .()+-]*$/.test(name) || name.includes('..') || !extensions.includes(extension)) {
    throw new FlowlabError(ErrorCode.invalidArgument, `Expected a file name (letters, digits, . _ - space) ending in ${extensions.join(' or ')}, found ${JSON.stringify(name).slice(0, 80)}`);
  }
  return name;
}

export function createExportHandlers(service: FlowlabService, events: ApiEventSink): ExportHandlers {
  const jobs = new ExportJobs(events);
  // Each use of the directory first removes temporary files of dead exports (a killed process).
  const directory = async () => {
    const dir = exportDirectory(service.casePath);
    mkdirSync(dir, { recursive: true });
    await removeStalePartials(dir);
    return dir;
  };
  const handlers: ExportHandlers = {
    'export.flows': async (input) => {
      const request = requestObject<ExportRequest>(input, 'export.flows');
      const format = oneOf(request.format, 'format', ['csv', 'parquet', 'cicids2017'] as const);
      const fileName = exportFileName(request.fileName, format === 'parquet' ? ['.parquet'] : ['.csv']);
      const target = request.target === undefined ? 'flows' : oneOf(request.target, 'target', ['flows', 'packets'] as const);
      const { where, params } = compileFlowFilter(request.filter);
      const started = Date.now();
      return jobs.run('export', async (signal, onProgress, jobId) => {
        const files = await exportFlows(service.store, path.join(await directory(), fileName), {
          format,
          target,
          where,
          params: params.values,
          ...(request.columns !== undefined ? { columns: stringList(request.columns, 'columns') } : {}),
          labeledOnly: request.labeledOnly === true,
          ...(request.split !== undefined && request.split !== null ? { split: checkSplit(request.split) } : {}),
          derived: request.derived === undefined ? [] : stringList(request.derived, 'derived').map(derivedFeature),
          neutralizeFormulas: request.neutralizeFormulas !== false,
          signal,
          onProgress,
        });
        return { jobId, files, elapsedMs: Date.now() - started };
      });
    },
    'export.carve': async (input) => {
      const request = requestObject<CarveRequest>(input, 'export.carve');
      const fileName = exportFileName(request.fileName, ['.pcap', '.pcapng']);
      const { where, params } = compileFlowFilter(request.filter);
      let condition = where;
      if (request.flowIds !== undefined && request.flowIds !== null) {
        const ids = request.flowIds;
        if (!Array.isArray(ids) || ids.length > 100_000) throw new FlowlabError(ErrorCode.invalidArgument, 'Expected flowIds to be a list of at most 100,000 flow ids');
        const checked = ids.map((id) => integerField(id, 'flowIds[]', { min: 0, max: Number.MAX_SAFE_INTEGER }));
        condition = `(${where}) AND flow_id IN (${checked.length ? checked.map((id) => params.add(id)).join(', ') : 'NULL'})`;
      }
      const resolution = request.timeResolution === undefined ? undefined : oneOf(request.timeResolution, 'timeResolution', ['ns', 'us'] as const);
      const started = Date.now();
      return jobs.run('carve', async (signal, onProgress, jobId) => {
        const summary = await carveFlows(service.store, { where: condition, params: params.values }, path.join(await directory(), fileName), {
          signal,
          onProgress,
          ...(resolution ? { pcapResolution: resolution } : {}),
        });
        return { jobId, path: summary.path, packets: summary.packets, bytes: summary.bytes, elapsedMs: Date.now() - started };
      });
    },
    'export.cancel': async (input) => {
      const { jobId } = requestObject<{ jobId?: unknown }>(input, 'export.cancel');
      jobs.cancel(jobId === undefined || jobId === null ? undefined : integerField(jobId, 'jobId', { min: 1, max: Number.MAX_SAFE_INTEGER }));
    },
    'export.directory': async () => {
      await removeStalePartials(exportDirectory(service.casePath));
      return { path: exportDirectory(service.casePath) };
    },
    'export.openInWireshark': async (input) => {
      const { path: requested } = requestObject<{ path?: unknown }>(input, 'export.openInWireshark');
      const file = path.resolve(stringField(requested, 'path', 4096));
      if (path.dirname(file) !== exportDirectory(service.casePath) || !/\.pcap(ng)?$/i.test(file) || !existsSync(file)) {
        throw new FlowlabError(ErrorCode.invalidArgument, `Expected a carved capture in ${exportDirectory(service.casePath)}, found ${file}`);
      }
      const wireshark = findOnPath('wireshark');
      if (!wireshark) return { opened: false, message: 'Wireshark is not installed (not found on PATH)' };
      spawn(wireshark, [file], { detached: true, stdio: 'ignore' }).unref();
      return { opened: true };
    },
  };
  return handlers;
}

function findOnPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of process.platform === 'win32' ? [`${program}.exe`] : [program]) {
      const candidate = path.join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new FlowlabError(ErrorCode.invalidArgument, `Expected ${name} to be one of ${allowed.join(', ')}, found ${JSON.stringify(value)?.slice(0, 60)}`);
  }
  return value as T;
}

function stringList(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.length > 500 || !value.every((entry) => typeof entry === 'string' && entry.length <= 200)) {
    throw new FlowlabError(ErrorCode.invalidArgument, `Expected ${name} to be a list of names, found ${JSON.stringify(value)?.slice(0, 80)}`);
  }
  return value as string[];
}

function derivedFeature(value: string): DerivedFeature {
  return oneOf(value, 'derived[]', DERIVED_FEATURES.map((feature) => feature.id));
}

function checkSplit(value: unknown): ExportSplit {
  const split = requestObject<Partial<ExportSplit>>(value, 'split');
  const fraction = split.trainFraction;
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
    throw new FlowlabError(ErrorCode.invalidArgument, `Expected split.trainFraction between 0 and 1, found ${JSON.stringify(fraction)}`);
  }
  const seed = integerField(split.seed, 'split.seed', { min: -(2 ** 31), max: 2 ** 31 - 1, fallback: 0 });
  const by = split.by === undefined ? 'class' : oneOf(split.by, 'split.by', ['class', 'capture'] as const);
  return { trainFraction: fraction, seed, by };
}
