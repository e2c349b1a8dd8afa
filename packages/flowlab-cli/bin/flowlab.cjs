#!/usr/bin/env node
// Thin launcher: the CLI is built by `npm install` (prepare) into out/cli/flowlab.js.
'use strict';
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const entry = path.resolve(__dirname, '../../../out/cli/flowlab.js');
import(pathToFileURL(entry).href).catch((error) => {
  process.stderr.write(`flowlab: cannot start (${error && error.message}); run \`npm install\` first\n`);
  process.exit(2);
});
