/**
 * Corpus suite: every capture of ../shared/pcaps ingested with timeouts off and compared with
 * tshark run live (../shared/tools/tshark-reference.py): exact per-capture totals, >= 99.5% of
 * conversations exact with every difference in a documented class, >= 99% of first names.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowlabService } from '../../src/main/service/flowlab-service';
import { compareConversations, compareNames, compareTotals } from '../helpers/compare-with-tshark';
import { corpusAvailable, corpusCaptures, corpusDir, corpusRequired } from '../helpers/corpus';
import { readExplainedConversations, unexplainedDifferences } from '../helpers/known-differences';

describe('corpus availability', () => {
  it('has ../shared/pcaps when FLOWLAB_REQUIRE_CORPUS=1', () => {
    if (corpusRequired) expect(corpusAvailable, `corpus missing at ${corpusDir}`).toBe(true);
    else if (!corpusAvailable) console.warn(`corpus suite skipped: ${corpusDir} not found`);
  });
});

describe.skipIf(!corpusAvailable)('corpus against tshark', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-corpus-'));
  const referenceDir = path.join(dir, 'reference');
  let service: FlowlabService;
  const failures: string[] = [];

  beforeAll(async () => {
    execFileSync(
      'python3',
      [path.join(corpusDir, '../tools/tshark-reference.py'), corpusDir, 'pcaps', referenceDir],
      {
        stdio: 'ignore',
      },
    );
    execFileSync(
      'python3',
      [
        path.resolve(import.meta.dirname, '../../scripts/explain-conversations.py'),
        corpusDir,
        'pcaps',
        referenceDir,
      ],
      {
        stdio: 'ignore',
      },
    );
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'));
    for (const file of corpusCaptures()) {
      try {
        await service.ingest(path.join(corpusDir, file), { idleTimeoutSeconds: 0, activeTimeoutSeconds: 0 });
      } catch (error) {
        failures.push(`${file}: ${(error as Error).message}`);
      }
    }
  }, 600_000);
  afterAll(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ingests every top-level corpus capture', () => {
    expect(failures).toEqual([]);
  });

  it('has exactly tshark packet and byte totals for every readable capture', async () => {
    const { total, mismatches } = await compareTotals(service, referenceDir, 'pcaps');
    expect(total).toBeGreaterThan(90);
    expect(mismatches).toEqual([]);
  });

  it('matches >= 99.5% of tshark conversations exactly, and every difference is a documented class', async () => {
    const result = await compareConversations(service, referenceDir, 'pcaps');
    const unexplained = unexplainedDifferences(
      result.differing,
      readExplainedConversations(referenceDir, 'pcaps'),
    );
    console.info(`corpus conversations: ${result.exact}/${result.total} exact`);
    expect(unexplained).toEqual([]);
    expect(result.exact / result.total).toBeGreaterThanOrEqual(0.995);
  });

  it('finds >= 99% of the first DNS names, TLS SNIs and HTTP Hosts per conversation', async () => {
    const names = await compareNames(service, referenceDir, 'pcaps');
    for (const kind of ['dns', 'sni', 'host'] as const) {
      console.info(
        `corpus ${kind}: ${names[kind].found}/${names[kind].total}`,
        names[kind].missing.slice(0, 10),
      );
      expect(names[kind].found / names[kind].total, kind).toBeGreaterThanOrEqual(0.99);
    }
  });
});
