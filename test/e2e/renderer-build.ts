/**
 * The built renderer for the browser-mode test: out/renderer when it is newer than every
 * source file it is built from, else a fresh build into a temporary directory.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

const repo = path.resolve(import.meta.dirname, '../..');

function newestMtime(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Returns a directory holding index.html and assets of the current renderer sources. */
export async function rendererDirectory(temporaryRoot: string): Promise<string> {
  const built = path.join(repo, 'out/renderer');
  const index = path.join(built, 'index.html');
  const sources = Math.max(newestMtime(path.join(repo, 'src/renderer')), newestMtime(path.join(repo, 'src/shared')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return built;
  const outDir = path.join(temporaryRoot, 'renderer');
  await build({
    configFile: false,
    root: path.join(repo, 'src/renderer'),
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir, emptyOutDir: true, reportCompressedSize: false },
  });
  return outDir;
}
