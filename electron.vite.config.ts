import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// Main bundles the backend plus the piscina workers as extra entries (out/main/workers/*.js),
// which src/main/ingest/worker-pools.ts finds next to the bundle. Dependencies stay external
// (DuckDB is N-API and must be loaded from node_modules).
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          // The backend thread (service/backend-client.ts finds it next to index.js).
          'backend-worker': resolve(import.meta.dirname, 'src/main/service/backend-worker.ts'),
          'workers/decode-worker': resolve(import.meta.dirname, 'src/workers/decode-worker.ts'),
          'workers/assemble-worker': resolve(import.meta.dirname, 'src/workers/assemble-worker.ts'),
          'workers/ml/ml-worker': resolve(import.meta.dirname, 'src/workers/ml/ml-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    build: {
      // electron-vite leaves bundles unminified by default; the renderer ships ~5 MB of
      // echarts/ag-grid/cytoscape code, so production builds minify it (vite's default minifier).
      minify: true,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } },
    },
    plugins: [react()],
  },
});
