/**
 * issue #6 - the ml.* API end to end on a small case: import CICFlowMeter CSVs (both header
 * layouts, Infinity/NaN), train in the worker, apply the model to a capture, filter flows by
 * prediction, page predictions, active learning's uncertain flows, cancel, and request checks.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEventSink } from '../../../src/main/query/api-event-sink';
import { createApiHandlers } from '../../../src/main/query/api-handlers';
import type { MlEngine } from '../../../src/main/ml/ml-engine';
import type { FlowlabService } from '../../../src/main/service/flowlab-service';
import type { ApiEventName } from '../../../src/shared/api-contract';
import { buildSyntheticCase } from '../query/synthetic-case';

const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-ml-'));
const events: { name: ApiEventName; payload: unknown }[] = [];
const sink: ApiEventSink = { emit: (name, payload) => void events.push({ name, payload }) };
let service: FlowlabService;
let handlers: ReturnType<typeof createApiHandlers>;

/** "improved" layout: no leading spaces; two classes told apart by Flow Duration and packet counts. */
function improvedCsv(rows: number): string {
  const header =
    'id,Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Total Fwd Packet,Total Bwd packets,Flow Bytes/s,Fwd Header Length,Label';
  const lines = [header];
  for (let i = 0; i < rows; i++) {
    const attack = i % 3 === 0;
    const duration = attack ? 10 + (i % 7) : 1_000_000 + i * 13;
    const bytesPerSecond = i === 4 ? 'Infinity' : i === 5 ? 'NaN' : String((i * 37) % 1000);
    lines.push(
      `${i},x,10.0.0.${i % 250},${40000 + i},10.0.1.1,80,6,2017-07-07 12:00:00,${duration},${attack ? 1 : 10 + (i % 5)},${attack ? 0 : 8},${bytesPerSecond},${attack ? 20 : 200},${attack ? 'PortScan' : 'BENIGN'}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** 2017 layout: leading spaces, "Total Backward Packets", duplicated Fwd Header Length, " Label". */
function originalCsv(): string {
  const header =
    'Flow ID, Source IP, Source Port, Destination IP, Destination Port, Protocol, Timestamp, Flow Duration, Total Fwd Packets, Total Backward Packets, Flow Bytes/s, Fwd Header Length, Fwd Header Length, Label';
  return (
    [
      header,
      'x, 1.1.1.1, 1, 2.2.2.2, 443, 6, t, 5, 1, 0, Infinity, 20, 21, BENIGN',
      'x, 1.1.1.1, 2, 2.2.2.2, 443, 6, t, 7, 2, 1, -Infinity, 40, 40, BENIGN',
    ].join('\n') + '\n'
  );
}

beforeAll(async () => {
  ({ service } = await buildSyntheticCase(dir));
  handlers = createApiHandlers(service, sink);
  writeFileSync(path.join(dir, 'improved.csv'), improvedCsv(300));
  writeFileSync(path.join(dir, 'original.csv'), originalCsv());
}, 120_000);

afterAll(async () => {
  await (handlers as unknown as { mlEngine: MlEngine }).mlEngine.close();
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ml.* channels (issue #6)', () => {
  it('imports both header layouts, counts Infinity/NaN cells as missing and reports the duplicate column', async () => {
    const [improved, original] = await handlers['ml.import']({
      paths: [path.join(dir, 'improved.csv'), path.join(dir, 'original.csv')],
    });
    expect(improved!.layout).toBe('improved');
    expect(improved!.dataset.classCounts).toEqual({ BENIGN: 200, PortScan: 100 });
    expect(improved!.dataset.nonFinite).toEqual({ flow_bytes_s: 2 });
    expect(original!.layout).toBe('original');
    expect(original!.nonFiniteCells).toBe(2);
    expect(original!.dataset.warnings.join('\n')).toContain(
      'Column "Fwd Header Length" appears twice (columns 12 and 13); the second copy is ignored (it differs in 1 rows)',
    );
    const rows = await service.store.rows(
      'SELECT row_number, label, flow_duration, flow_bytes_s, total_bwd_packets, fwd_header_length, dst_port FROM ml_imported_flows WHERE dataset_id = $id ORDER BY row_number',
      { id: original!.dataset.id },
    );
    expect(rows).toEqual([
      {
        row_number: 1,
        label: 'BENIGN',
        flow_duration: 5,
        flow_bytes_s: null,
        total_bwd_packets: 0,
        fwd_header_length: 20,
        dst_port: 443,
      },
      {
        row_number: 2,
        label: 'BENIGN',
        flow_duration: 7,
        flow_bytes_s: null,
        total_bwd_packets: 1,
        fwd_header_length: 40,
        dst_port: 443,
      },
    ]);
    expect((await handlers['ml.datasets']()).map((dataset) => dataset.rows)).toEqual([300, 2]);
    await expect(handlers['ml.import']({ paths: [path.join(dir, 'missing.csv')] })).rejects.toThrow(
      /Cannot open/,
    );
  });

  it('trains a random forest in the worker with progress events, and saves it with its metrics', async () => {
    events.length = 0;
    const model = await handlers['ml.train']({
      kind: 'rf',
      source: 'imported',
      datasetIds: [1],
      seed: 3,
      trees: 20,
    });
    expect(model.classes).toEqual(['BENIGN', 'PortScan']);
    expect(model.metrics.macroF1).toBe(1);
    expect(model.metrics.testRows).toBe(60);
    expect(model.features).not.toContain('dst_port');
    expect(model.features).toContain('flow_duration');
    expect(model.importance[0]!.importance).toBeGreaterThan(0);
    expect(model.metrics.curves.PortScan!.auc).toBe(1);
    const phases = events
      .filter((event) => event.name === 'ml.progress')
      .map((event) => (event.payload as { phase: string }).phase);
    expect(phases).toContain('training');
    expect(phases.at(-1)).toBe('done');
    expect((await handlers['ml.models']()).map((entry) => entry.id)).toEqual([model.id]);
    const gbt = await handlers['ml.train']({
      kind: 'gbt',
      source: 'imported',
      datasetIds: [1],
      seed: 3,
      trees: 10,
    });
    const logreg = await handlers['ml.train']({
      kind: 'logreg',
      source: 'imported',
      datasetIds: [1],
      seed: 3,
    });
    expect(gbt.metrics.macroF1).toBe(1);
    expect(logreg.metrics.accuracy).toBeGreaterThan(0.95);
  });

  it('applies a model to a capture: predictions become filterable and pageable, most uncertain first', async () => {
    const result = await handlers['ml.predict']({ modelId: 1, captureId: 1 });
    const flows = (await service.store.rows('SELECT count(*) AS n FROM flows WHERE capture_id = 1'))[0]!.n;
    expect(result.flows).toBe(flows);
    expect(Object.values(result.byClass).reduce((sum, n) => sum + n, 0)).toBe(flows);
    const page = await handlers['ml.predictions']({ modelId: 1, captureId: 1, limit: 100 });
    expect(page.total).toBe(flows);
    for (const row of page.rows) expect(['BENIGN', 'PortScan']).toContain(row.predictedClass);
    const probabilities = page.rows.map((row) => row.probability);
    expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
    const uncertain = await handlers['ml.predictions']({ modelId: 1, order: 'uncertain', limit: 3 });
    const all = (await handlers['ml.predictions']({ modelId: 1, limit: 100 })).rows
      .map((row) => row.uncertainty)
      .sort((a, b) => b - a);
    expect(uncertain.rows.map((row) => row.uncertainty)).toEqual(all.slice(0, uncertain.rows.length));
    // The shared filter narrows any view to a model's predictions.
    for (const [name, count] of Object.entries(result.byClass)) {
      const filtered = await handlers['flows.count']({
        filter: { prediction: { modelId: 1, classes: [name] } },
      });
      expect(filtered.count).toBe(count);
    }
    expect(
      (
        await handlers['flows.count']({
          filter: { prediction: { modelId: 1, minProbability: 1.0001 - 1e-4, classes: [] } },
        })
      ).count,
    ).toBe(0);
    await expect(
      handlers['flows.count']({ filter: { prediction: { modelId: 1, minProbability: 2 } } }),
    ).rejects.toThrow(/minProbability from 0 to 1/);
    // Confirming predictions goes through the labels API with provenance 'model'.
    const [predictedClass, predictedCount] = Object.entries(result.byClass)[0]!;
    const confirmed = await handlers['labels.apply']({
      target: { filter: { prediction: { modelId: 1, classes: [predictedClass] }, captureIds: [1] } },
      label: predictedClass.toLowerCase(),
      source: 'model',
      reason: 'model #1',
    });
    expect(confirmed.flows).toBe(predictedCount);
    const sources = await service.store.rows(
      'SELECT DISTINCT source FROM flow_labels_current WHERE capture_id = 1',
    );
    expect(sources).toEqual([{ source: 'model' }]);
    // Predicting again replaces the earlier predictions.
    await handlers['ml.predict']({ modelId: 1, captureId: 1 });
    expect((await handlers['ml.predictions']({ modelId: 1, captureId: 1 })).total).toBe(flows);
  });

  it('trains on captured flows labeled through the labels API; active learning skips labeled flows', async () => {
    const ids = (
      await service.store.rows('SELECT flow_id FROM flows WHERE capture_id = 1 ORDER BY flow_id')
    ).map((row) => Number(row.flow_id));
    await handlers['labels.apply']({
      target: { flowIds: ids.slice(0, 3) },
      label: 'benign',
      source: 'manual',
    });
    await handlers['labels.apply']({
      target: { flowIds: ids.slice(3) },
      label: 'malicious',
      source: 'manual',
    });
    const model = await handlers['ml.train']({
      kind: 'rf',
      source: 'captured',
      seed: 1,
      trees: 10,
      testSize: 0.3,
    });
    expect(model.classes).toEqual(['benign', 'malicious']);
    expect(model.training.captureIds).toEqual([1]);
    expect(model.features).toContain('bidirectional_packets');
    for (const identifier of ['flow_id', 'capture_id', 'src_port', 'dst_port', 'src_ip', 'first_seen'])
      expect(model.features).not.toContain(identifier);
    await handlers['ml.predict']({ modelId: model.id, captureId: 1 });
    await handlers['ml.predict']({ modelId: model.id, captureId: 2 });
    const labeledToo = await handlers['ml.predictions']({ modelId: model.id, limit: 100 });
    expect(labeledToo.total).toBe(ids.length + 1);
    expect(labeledToo.rows.filter((row) => row.label !== null)).toHaveLength(ids.length);
    // "Next flows to label": only capture 2's unlabeled flow is proposed.
    const next = await handlers['ml.predictions']({ modelId: model.id, order: 'uncertain' });
    expect(next.rows.map((row) => row.captureId)).toEqual([2]);
    expect(next.rows[0]!.label).toBeNull();
  });

  it('cancels a running training job as a cancellation, not a failure', async () => {
    writeFileSync(path.join(dir, 'large.csv'), improvedCsv(20_000));
    const [large] = await handlers['ml.import']({ paths: [path.join(dir, 'large.csv')] });
    events.length = 0;
    const training = handlers['ml.train']({
      kind: 'rf',
      source: 'imported',
      datasetIds: [large!.dataset.id],
      trees: 2000,
    });
    // Cancel once the worker reports its first trees.
    while (
      !events.some(
        (event) =>
          event.name === 'ml.progress' &&
          (event.payload as { fraction: number; phase: string }).phase === 'training' &&
          (event.payload as { fraction: number }).fraction > 0,
      )
    )
      await new Promise((resolve) => setTimeout(resolve, 20));
    await handlers['ml.cancel']();
    await expect(training).rejects.toMatchObject({ code: 'CANCELLED' });
    expect((await handlers['ml.models']()).length).toBe(4);
  });

  it('rejects malformed requests with what was expected', async () => {
    await expect(handlers['ml.train']({ kind: 'svm' } as never)).rejects.toThrow(
      /Expected kind rf, gbt or logreg/,
    );
    await expect(handlers['ml.train']({ kind: 'rf', source: 'imported', testSize: 0.99 })).rejects.toThrow(
      /testSize/,
    );
    await expect(
      handlers['ml.train']({ kind: 'rf', source: 'imported', features: ['flow_duration; DROP TABLE flows'] }),
    ).rejects.toThrow(/Unknown imported features/);
    await expect(handlers['ml.predict']({ modelId: 99, captureId: 1 })).rejects.toThrow(/No model 99/);
    await expect(handlers['ml.predictions']({ modelId: -1 })).rejects.toThrow(/modelId/);
  });
});
