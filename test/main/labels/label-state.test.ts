import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../../src/main/store/case-store';
import { applyLabels, clearLabels, redoLabels, undoLabels } from '../../../src/main/labels/apply-labels';
import { LabelDb } from '../../../src/main/labels/label-db';
import { LIVE_TABLES, recomputeLabelState } from '../../../src/main/labels/label-state';
import { LABEL_SOURCES } from '../../../src/shared/label-types';
import type { LabelSource } from '../../../src/shared/label-types';
import { addSyntheticCapture } from './bulk-case';

const STRIDE = 2 ** 32;
const FLOWS = 24;

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function stateSnapshot(store: CaseStore): Promise<string> {
  const rows = await store.rows(
    `SELECT flow_id, label, tags, source, batch_id, conflict, claims FROM flow_label_status ORDER BY flow_id`,
  );
  return JSON.stringify(rows);
}

describe('label state', () => {
  let dir: string;
  let store: CaseStore;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-label-state-'));
    store = await CaseStore.open(path.join(dir, 'case.duckdb'));
    await addSyntheticCapture(store, 1, FLOWS);
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the incremental fold of each act equals a full recompute from the history (60 random acts)', async () => {
    const next = random(4);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const db = await LabelDb.for(store);
    for (let step = 0; step < 60; step++) {
      const choice = next();
      const flowIds = Array.from({ length: FLOWS }, (_, n) => STRIDE + n).filter(() => next() < 0.4);
      if (choice < 0.1) await undoLabels(store);
      else if (choice < 0.15) await redoLabels(store);
      else if (choice < 0.2) await clearLabels(store, { target: { flowIds } });
      else {
        await applyLabels(store, {
          target: { flowIds },
          label: pick(['benign', 'malicious', 'c2-beacon']),
          tags: [pick(['a', 'b', 'c'])].filter(() => next() < 0.5),
          source: pick(LABEL_SOURCES) as LabelSource,
        });
      }
      const incremental = await stateSnapshot(store);
      await db.transaction(async () => {
        await db.run(`CREATE OR REPLACE TEMP TABLE every_flow AS SELECT flow_id FROM flows`);
        await recomputeLabelState(db, LIVE_TABLES, 'every_flow');
      });
      expect(await stateSnapshot(store), `step ${step}`).toBe(incremental);
    }
    // The walk must have produced both labels and conflicts to mean anything.
    const summary = await store.rows(
      'SELECT count(*) AS n, count(*) FILTER (WHERE conflict) AS conflicts FROM flow_label_status',
    );
    expect(Number(summary[0]!.n)).toBeGreaterThan(0);
    expect(Number(summary[0]!.conflicts)).toBeGreaterThan(0);
  });
});
