/**
 * Worker thread of the fuzzer: loads the seed corpus once, then runs the ranges of cases the
 * parent sends (gzip cases are awaited: they read a file through a stream). Before each case it stores the case index in shared memory (the parent's hang
 * detector watches it); a thrown error is reported with the input and the run goes on. The
 * thread's heap is capped by the parent (resourceLimits), so unbounded allocation ends it.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { generateCase, type FuzzCase } from './fuzz-case';
import { loadSeedCorpus } from './fuzz-seeds';
import { runCase as realRunCase } from './fuzz-targets';
import { Heartbeat, type FromWorker, type ToWorker, type WorkerSetup } from './fuzz-messages';

const setup = workerData as WorkerSetup;
const heartbeat = new Int32Array(setup.heartbeat);
const corpus = loadSeedCorpus(setup.seedDirs);
const runCase: (fuzz: FuzzCase) => void | Promise<void> = setup.targetModule
  ? ((await import(setup.targetModule)) as { runCase: (fuzz: FuzzCase) => void | Promise<void> }).runCase
  : realRunCase;

/** FNV-1a over the case's target, length and up to 64 sampled bytes: a cheap fingerprint of the run. */
function digestCase(digest: number, fuzz: FuzzCase): number {
  let h = digest ^ fuzz.target.charCodeAt(0);
  h = Math.imul(h ^ fuzz.bytes.length, 0x01000193);
  const step = Math.max(1, Math.floor(fuzz.bytes.length / 64));
  for (let i = 0; i < fuzz.bytes.length; i += step) h = Math.imul(h ^ fuzz.bytes[i]!, 0x01000193);
  return h >>> 0;
}

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

parentPort!.on('message', async (message: ToWorker) => {
  const counts = { packet: 0, protocol: 0, capture: 0, assemble: 0, gzip: 0 };
  let digest = message.digest;
  for (let index = message.start; index < message.end; index++) {
    const fuzz = generateCase(corpus, setup.seed, index, { maxCaptureBytes: setup.maxCaptureBytes });
    digest = digestCase(digest, fuzz);
    counts[fuzz.target]++;
    Atomics.store(heartbeat, Heartbeat.index, index);
    Atomics.store(heartbeat, Heartbeat.running, 1);
    try {
      // Only the gzip target is asynchronous; awaiting the others would cost a tick per case.
      const pending = runCase(fuzz);
      if (pending) await pending;
    } catch (error) {
      const { name, message: text, stack } = error instanceof Error ? error : new Error(String(error));
      const bytes = fuzz.bytes.slice();
      post(
        {
          type: 'failure',
          index,
          error: { name, message: text, stack: stack ?? '' },
          fuzz: { ...fuzz, bytes },
        },
        [bytes.buffer],
      );
    }
    Atomics.store(heartbeat, Heartbeat.running, 0);
  }
  post({ type: 'done', end: message.end, counts, digest, heapUsedBytes: getHeapStatistics().used_heap_size });
});

post({ type: 'ready', packets: corpus.packets.length, captures: corpus.captures.length });
