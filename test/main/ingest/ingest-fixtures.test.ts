/**
 * End to end over the committed fixtures: ingest every capture with timeouts off and compare
 * with tshark 4.0's numbers (test/fixtures/reference, made by ../shared/tools/tshark-reference.py).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { compareConversations, compareNames, compareTotals } from '../../helpers/compare-with-tshark';
import { readExplainedConversations, unexplainedDifferences } from '../../helpers/known-differences';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures');
const captureFiles = readdirSync(path.join(fixtures, 'pcaps'))
  .filter((file) => !file.endsWith('.tsv') && !file.endsWith('.md'))
  .sort();

describe('ingest of the fixture captures against tshark', () => {
  let dir: string;
  let service: FlowlabService;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-fixtures-'));
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'), { workers: 2 });
    for (const file of captureFiles) {
      await service.ingest(path.join(fixtures, 'pcaps', file), {
        idleTimeoutSeconds: 0,
        activeTimeoutSeconds: 0,
      });
    }
  });
  afterAll(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has exactly tshark packet counts and frame.len sums for every capture', async () => {
    const { total, mismatches } = await compareTotals(service, path.join(fixtures, 'reference'), 'fixtures');
    expect(total).toBe(captureFiles.length);
    expect(mismatches).toEqual([]);
  });

  it('matches tshark conversations (frames and bytes per direction); every difference is a documented rule', async () => {
    const referenceDir = path.join(fixtures, 'reference');
    const result = await compareConversations(service, referenceDir, 'fixtures');
    // Made by scripts/explain-conversations.py from tshark's dissection (see known-differences.ts).
    const unexplained = unexplainedDifferences(
      result.differing,
      readExplainedConversations(referenceDir, 'fixtures'),
    );
    expect(unexplained).toEqual([]);
    // The rules do explain something here (ICMP errors, fragments): the check is not vacuous.
    expect(result.differing.length).toBeGreaterThan(0);
    // The 99.5% bar of issue #2 is over the whole corpus (test/corpus); these small fixtures were
    // chosen for their oddities (fragments, ICMP errors), so only the explanation is required here.
  });

  it('finds the first DNS name, TLS SNI and HTTP Host tshark shows for each conversation', async () => {
    const names = await compareNames(service, path.join(fixtures, 'reference'), 'fixtures');
    for (const kind of ['dns', 'sni', 'host'] as const) {
      expect(names[kind].total).toBeGreaterThan(0);
      expect(names[kind].missing, kind).toEqual([]);
    }
  });

  it('does not duplicate a capture that is already in the case', async () => {
    const before = await service.listCaptures();
    const again = await service.ingest(path.join(fixtures, 'pcaps', captureFiles[0]!));
    expect(again.alreadyPresent).toBe(true);
    expect(await service.listCaptures()).toHaveLength(before.length);
  });
});
