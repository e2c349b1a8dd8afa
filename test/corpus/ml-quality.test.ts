/**
 * issue #6 - quality bar of the classifiers on real data:
 * 1. the CICIDS2017 samples of ../shared/datasets: random forest macro-F1 >= 0.95 on a
 *    stratified hold-out (several seeds); GBT and logistic regression reported;
 * 2. flows Flowlab extracts from ../shared/pcaps, each capture labeled benign/malicious as in its
 *    MANIFEST.tsv through the labels API, trained with a split by capture (test captures are
 *    never seen in training) — numbers printed for the README, whatever they are.
 * Skips with a reason when the data is missing, fails instead with FLOWLAB_REQUIRE_CORPUS=1.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiEventSink } from '../../src/main/query/api-event-sink';
import { createApiHandlers } from '../../src/main/query/api-handlers';
import { MlEngine } from '../../src/main/ml/ml-engine';
import { FlowlabService } from '../../src/main/service/flowlab-service';
import { CaseStore } from '../../src/main/store/case-store';
import type { ModelSummary } from '../../src/shared/ml-types';
import { corpusAvailable, corpusDir, corpusRequired } from '../helpers/corpus';

const datasetsDir = path.resolve(corpusDir, '../datasets');
const datasetsAvailable = existsSync(path.join(datasetsDir, 'MANIFEST.tsv'));
const work = mkdtempSync(path.join(os.tmpdir(), 'flowlab-ml-corpus-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function summaryLine(model: ModelSummary): string {
  const perClass = Object.entries(model.metrics.perClass)
    .map(
      ([name, value]) =>
        `${name}: P ${value.precision.toFixed(3)} R ${value.recall.toFixed(3)} F1 ${value.f1.toFixed(3)} (n=${value.support})`,
    )
    .join('; ');
  return `${model.kind} macro-F1 ${model.metrics.macroF1.toFixed(4)} accuracy ${model.metrics.accuracy.toFixed(4)} train ${model.metrics.trainRows} test ${model.metrics.testRows} | ${perClass}`;
}

describe.skipIf(!datasetsAvailable && !corpusRequired)(
  'classifiers on the CICIDS2017 samples (issue #6)',
  () => {
    it('imports every sample, reporting Infinity/NaN cells and the duplicated Fwd Header Length', async () => {
      expect(datasetsAvailable, `missing ${datasetsDir}`).toBe(true);
      const store = await CaseStore.open(path.join(work, 'cicids.duckdb'));
      const engine = new MlEngine(store);
      try {
        const files = readdirSync(datasetsDir)
          .filter((name) => name.endsWith('.csv'))
          .sort();
        const results = await engine.importFiles(files.map((name) => path.join(datasetsDir, name)));
        const manifest = readFileSync(path.join(datasetsDir, 'MANIFEST.tsv'), 'utf8')
          .trim()
          .split('\n')
          .slice(1);
        for (const line of manifest) {
          const [file, , , rows] = line.split('\t');
          const result = results.find((entry) => entry.dataset.name === file)!;
          expect(result.dataset.rows, file).toBe(Number(rows));
        }
        const original = results.find((entry) => entry.layout === 'original')!;
        expect(original.dataset.name).toContain('original_format');
        // The two Infinity cells of the 2017 file (Flow Bytes/s and Flow Packets/s of one row).
        expect(original.nonFiniteCells).toBe(2);
        expect(original.dataset.nonFinite).toEqual({ flow_bytes_s: 1, flow_packets_s: 1 });
        expect(original.dataset.warnings.join('\n')).toMatch(/Fwd Header Length.*appears twice/);
        expect(results.filter((entry) => entry.layout === 'improved')).toHaveLength(8);

        // The three web-attack classes have 13, 18 and 73 rows: 3, 4 and 15 in a 20% hold-out, so
        // one flow moves a seed's macro-F1 by up to 0.04. The bar is on the mean over five seeds;
        // every seed must still be clearly good.
        const scores: number[] = [];
        for (const seed of [1, 2, 3, 4, 5]) {
          const model = await engine.train({ kind: 'rf', source: 'imported', seed, testSize: 0.2 });
          console.log(`CICIDS2017 seed ${seed}: ${summaryLine(model)}`);
          scores.push(model.metrics.macroF1);
          expect(model.metrics.classes).toHaveLength(8);
          expect(model.metrics.testRows).toBeGreaterThan(2000);
        }
        const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length;
        console.log(
          `CICIDS2017 random forest macro-F1 over seeds 1-5: mean ${mean.toFixed(4)}, min ${Math.min(...scores).toFixed(4)}`,
        );
        expect(mean).toBeGreaterThanOrEqual(0.95);
        expect(Math.min(...scores)).toBeGreaterThanOrEqual(0.9);
        for (const kind of ['gbt', 'logreg'] as const) {
          const model = await engine.train({ kind, source: 'imported', seed: 1 });
          console.log(`CICIDS2017 seed 1: ${summaryLine(model)}`);
          expect(model.metrics.accuracy).toBeGreaterThan(0.9);
        }
      } finally {
        await engine.close();
        store.close();
      }
    }, 900_000);
  },
);

const silent: ApiEventSink = { emit: () => undefined };

describe.skipIf(!corpusAvailable && !corpusRequired)(
  'classifier on flows of labeled captures (issue #6)',
  () => {
    it('trains on some captures and is evaluated on other captures (split by capture)', async () => {
      expect(corpusAvailable, `missing ${corpusDir}`).toBe(true);
      const manifest = readFileSync(path.join(corpusDir, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
      const labeled = manifest
        .map((line) => line.split('\t'))
        .filter(
          ([file, label]) =>
            (label === 'benign' || label === 'malicious') && existsSync(path.join(corpusDir, file!)),
        )
        .map(([file, label]) => ({ file: file!, label: label! }));
      const service = await FlowlabService.open(path.join(work, 'pcaps.duckdb'), { workers: 1 });
      const handlers = createApiHandlers(service, silent);
      try {
        for (const { file, label } of labeled) {
          const result = await service.ingest(path.join(corpusDir, file), { workers: 1 });
          if (result.capture.flows === 0) continue;
          await handlers['labels.apply']({
            target: { captureId: result.capture.id },
            label,
            source: 'capture',
            reason: 'MANIFEST.tsv class',
          });
        }
        for (const kind of ['rf', 'gbt', 'logreg'] as const) {
          for (const seed of kind === 'rf' ? [1, 2, 3] : [1]) {
            const model = await handlers['ml.train']({
              kind,
              source: 'captured',
              split: 'group',
              seed,
              testSize: 0.3,
            });
            console.log(
              `pcaps by capture, seed ${seed}: ${summaryLine(model)} | test captures ${model.training.captureIds.length} used`,
            );
            // A split by capture: classes are benign and malicious, rows on both sides.
            expect(model.classes).toEqual(['benign', 'malicious']);
            expect(model.metrics.testRows).toBeGreaterThan(0);
            expect(model.metrics.trainRows).toBeGreaterThan(0);
          }
        }
      } finally {
        await (handlers as unknown as { mlEngine: MlEngine }).mlEngine.close();
        await service.close();
      }
    }, 1_800_000);
  },
);
