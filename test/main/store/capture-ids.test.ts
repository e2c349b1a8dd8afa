/** Captures created at the same moment get distinct ids (one INSERT ... SELECT max(id) + 1). */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { CaseStore } from '../../../src/main/store/case-store';

it('gives captures created at once distinct, consecutive ids', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-capture-ids-'));
  const store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  try {
    const fields = (name: string) => ({ path: `/x/${name}`, fileName: name, sizeBytes: 1, fingerprint: name, idleTimeoutSeconds: 120, activeTimeoutSeconds: 1800 });
    const ids = await Promise.all(['a', 'b', 'c', 'd'].map((name) => store.createCapture(fields(name))));
    expect([...ids].sort()).toEqual([1, 2, 3, 4]);
    const rows = await store.rows('SELECT id, file_name FROM captures ORDER BY id');
    expect(rows.map((row) => Number(row.id))).toEqual([1, 2, 3, 4]);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
