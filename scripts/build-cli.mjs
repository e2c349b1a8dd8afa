// Builds the plain-Node parts (CLI, backend, workers) with esbuild into out/cli and
// out/workers, so `npx flowlab` starts fast without a TypeScript loader. Run by `prepare`.
import { build } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cliEntry = path.join(root, 'src/main/cli/flowlab.ts');
if (!existsSync(cliEntry)) {
  console.log('build-cli: no CLI sources yet, skipping');
  process.exit(0);
}
const workerDir = path.join(root, 'src/workers');
const workerEntries = readdirSync(workerDir)
  .filter((name) => name.endsWith('-worker.ts'))
  .map((name) => path.join(workerDir, name));
// Workers in sub-folders (src/workers/ml) keep their folder under out/workers.
for (const folder of ['ml']) {
  const dir = path.join(workerDir, folder);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) if (name.endsWith('-worker.ts')) workerEntries.push(path.join(dir, name));
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  // Native and worker-pool packages stay external: they are resolved from node_modules.
  external: ['@duckdb/node-api', '@duckdb/node-bindings*', 'piscina'],
  banner: {
    js: "import { createRequire as __flowlabCreateRequire } from 'node:module'; const require = __flowlabCreateRequire(import.meta.url);",
  },
};
await build({ ...common, entryPoints: [cliEntry], outfile: path.join(root, 'out/cli/flowlab.js') });
// The backend worker thread of `flowlab serve` (src/main/service/backend-client.ts looks for it
// next to the CLI bundle).
await build({
  ...common,
  entryPoints: [path.join(root, 'src/main/service/backend-worker.ts')],
  outfile: path.join(root, 'out/cli/backend-worker.js'),
});
await build({ ...common, entryPoints: workerEntries, outbase: workerDir, outdir: path.join(root, 'out/workers') });
console.log(`build-cli: built out/cli/flowlab.js and ${workerEntries.length} worker(s)`);
