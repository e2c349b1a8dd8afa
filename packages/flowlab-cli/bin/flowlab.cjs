#!/bin/sh
":" //; MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}" exec node "$0" "$@"
// The line above is for sh, which runs this file first: it execs node on this same file (same
// process id, so signals and kills reach the CLI itself) with glibc's mmap threshold fixed at
// 128 KiB. Left dynamic, glibc raises the threshold after the first large free, so DuckDB's
// 256 KiB blocks then come from malloc arenas whose freed holes are never returned: an ingest's
// resident memory grew with the capture's size (README, "Memory"). To node, that line is a string
// and a comment. Thin launcher: the CLI is built by `npm install` (prepare) into out/cli/flowlab.js.
'use strict';
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const entry = path.resolve(__dirname, '../../../out/cli/flowlab.js');
import(pathToFileURL(entry).href).catch((error) => {
  process.stderr.write(`flowlab: cannot start (${error && error.message}); run \`npm install\` first\n`);
  process.exit(2);
});
