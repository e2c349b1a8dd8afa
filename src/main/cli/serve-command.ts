/**
 * `flowlab serve <case.duckdb> [--port P] [--open capture...]`: browser mode. Prints one line,
 * `Flowlab at http://127.0.0.1:PORT/?token=...`, ingests `--open` captures in the background,
 * and stops cleanly on SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiEventHub } from '../query/api-event-sink';
import { BackendClient } from '../service/backend-client';
import { startServer } from '../server/start-server';
import { numberOption, UsageError } from './usage-error';
import type { ParsedArgs } from './usage-error';

/**
 * The built renderer: `--renderer-dir`, else out/renderer beside the built CLI (out/cli), else
 * out/renderer of the repository when running from source.
 */
export function findRendererDir(explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../renderer'), path.resolve(here, '../../../out/renderer')];
  return (
    candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? candidates[candidates.length - 1]!
  );
}

export async function runServe(args: ParsedArgs & { open?: string[] }): Promise<number> {
  const [casePath, ...extra] = args.positionals;
  if (!casePath) throw new UsageError('expected a case file');
  const open = [...(args.open ?? [])];
  if (extra.length) {
    // `--open a.pcap b.pcap`: parseArgs hands the files after the first to the positionals.
    if (!open.length) throw new UsageError('expected exactly one case file (use --open for captures)');
    open.push(...extra);
  }
  const port = numberOption(args, 'port') ?? 0;
  if (!Number.isInteger(port) || port > 65535)
    throw new UsageError(`--port expects 0..65535, got ${JSON.stringify(args.values.port)}`);
  const rendererDir = findRendererDir(
    typeof args.values['renderer-dir'] === 'string' ? args.values['renderer-dir'] : undefined,
  );
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(
      `the built renderer is missing (no ${path.join(rendererDir, 'index.html')}): run \`npm run build\` first`,
    );
  }

  // The case lives on a backend worker thread, as in the desktop app: an ingest's framing and
  // garbage collection never delay this thread's HTTP answers.
  const hub = new ApiEventHub();
  const client = new BackendClient(hub);
  let server;
  try {
    await client.open(casePath);
    server = await startServer({ backend: { client, hub }, port, rendererDir });
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
  // Listening for the stop signals before the URL is printed: whoever reads the URL may stop
  // the server at once.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stdout.write(`Flowlab at ${server.url}\n`);
  if (open.length) {
    server.handlers['ingest.start']({ paths: open }).then(
      (results) => {
        for (const { capture, alreadyPresent } of results) {
          process.stderr.write(
            `flowlab: ${alreadyPresent ? 'already in the case' : 'ingested'} ${capture.path} (${capture.flows} flows)\n`,
          );
        }
      },
      (error: unknown) =>
        process.stderr.write(
          `flowlab: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`,
        ),
    );
  }

  await stopped;
  await server.close();
  await client.close();
  return 0;
}
