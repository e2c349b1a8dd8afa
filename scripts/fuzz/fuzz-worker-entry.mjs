// Worker entry in plain JavaScript: Node 20 does not carry the parent's `--import tsx` module
// hooks into worker threads, so the worker registers tsx itself before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./fuzz-worker.ts');
