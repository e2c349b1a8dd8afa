/**
 * Serves the built renderer: only regular files inside the renderer directory, `/` as
 * index.html, no directory listings; `..`, encoded traversal, backslashes and NUL are refused.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The content type for a file name (application/octet-stream when unknown). */
export function contentType(fileName: string): string {
  return CONTENT_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file a URL path names inside `root`, or undefined when the path is unsafe or names
 * nothing servable. `rawPath` is the URL's path as received (still percent-encoded).
 */
export async function resolveStaticFile(root: string, rawPath: string): Promise<string | undefined> {
  if (!rawPath.startsWith('/') || rawPath.includes('\\') || rawPath.includes('\0')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.startsWith('//')) return undefined;
  const segments = decoded.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.')) return undefined;
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  if (path.isAbsolute(relative)) return undefined;
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return undefined;
  }
  const candidate = path.resolve(realRoot, relative);
  if (!candidate.startsWith(realRoot + path.sep)) return undefined;
  try {
    const real = await realpath(candidate);
    // Symbolic links must not lead out of the renderer directory either.
    if (!real.startsWith(realRoot + path.sep)) return undefined;
    const info = await stat(real);
    return info.isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

/** Streams `file` with its content type (body omitted for HEAD). */
export async function sendFile(response: ServerResponse, file: string, headOnly: boolean): Promise<void> {
  const info = await stat(file);
  response.writeHead(200, {
    'Content-Type': contentType(file),
    'Content-Length': info.size,
    'Cache-Control': path.basename(file) === 'index.html' ? 'no-store' : 'no-cache',
  });
  if (headOnly) {
    response.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file);
    stream.on('error', () => {
      response.destroy();
      resolve();
    });
    stream.on('end', () => resolve());
    stream.pipe(response);
  });
}
