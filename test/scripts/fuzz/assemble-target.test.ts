/**
 * The fuzzer's flow assembler target (issue #7): it decodes captures as an ingest does (packet
 * counts as tshark gives them in test/fixtures/reference/fixtures-totals.tsv), runs mutated
 * streams clean, and its invariants catch an assembler that loses a flow or marks packets
 * differently per batch split.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeCapture, runAssemble } from '../../../scripts/fuzz/assemble-target';
import { emptyCase, type FuzzCase } from '../../../scripts/fuzz/fuzz-case';
import { FuzzFailure } from '../../../scripts/fuzz/fuzz-failure';
import { parseRegressionFile, regressionFileName } from '../../../scripts/fuzz/regression-file';
import { FlowAssembler } from '../../../src/workers/flows/flow-assembler';
import { emptyFlowBatch } from '../../../src/workers/flows/flow-batch-builder';

const pcaps = path.resolve(import.meta.dirname, '../../fixtures/pcaps');
const FIXTURES = [
  'tcp_scan_with_arp.pcap',
  'dns_lab_with_nxdomain.pcapng',
  'fmt_pcapng_be_3sections_5ifaces.pcapng',
];
const tsharkPackets = new Map(
  readFileSync(path.resolve(pcaps, '../reference/fixtures-totals.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .map((fields) => [fields[0]!, Number(fields[1])]),
);
const bytesOf = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(pcaps, name)));
const assembleCase = (name: string, extra: Partial<FuzzCase>): FuzzCase => ({
  ...emptyCase('assemble', bytesOf(name)),
  ...extra,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('flow assembler fuzz target', () => {
  it('decodes every record of a capture (tshark counts)', () => {
    for (const name of FIXTURES)
      expect(decodeCapture(bytesOf(name)).count, name).toBe(tsharkPackets.get(name));
  });

  it('runs mutated streams of real captures clean, with and without timeouts', () => {
    for (const name of FIXTURES)
      for (let seed = 1; seed <= 40; seed++)
        runAssemble(
          assembleCase(name, {
            mutationSeed: seed * 7919,
            idleTimeout: seed % 3 ? 0 : 1,
            activeTimeout: seed % 5 ? 0 : 5,
          }),
        );
  });

  it('round-trips its parameters through the regression file name', () => {
    const fuzz = assembleCase(FIXTURES[0]!, {
      mutationSeed: 4_000_000_000,
      idleTimeout: 0.5,
      activeTimeout: 1800,
    });
    const parsed = parseRegressionFile(regressionFileName(fuzz), fuzz.bytes)!;
    expect([parsed.target, parsed.mutationSeed, parsed.idleTimeout, parsed.activeTimeout]).toEqual([
      'assemble',
      4_000_000_000,
      0.5,
      1800,
    ]);
  });

  it('catches an assembler that loses the flows still open at the end', () => {
    vi.spyOn(FlowAssembler.prototype, 'finish').mockImplementation(() => emptyFlowBatch());
    expect(() => runAssemble(assembleCase(FIXTURES[1]!, { mutationSeed: 1 }))).toThrow(FuzzFailure);
  });

  it('catches an assembler whose packet marks depend on the batch split', () => {
    const push = FlowAssembler.prototype.push;
    vi.spyOn(FlowAssembler.prototype, 'push').mockImplementation(function (this: FlowAssembler, batch) {
      const flows = push.call(this, batch);
      // Flip the direction of a batch's first packet, as a split-dependent bug would.
      if (batch.count > 0 && batch.count < 50 && batch.flowIndex[0]! >= 0)
        batch.direction[0] = 1 - batch.direction[0]!;
      return flows;
    });
    let caught = 0;
    for (let seed = 1; seed <= 20; seed++) {
      try {
        runAssemble(assembleCase(FIXTURES[0]!, { mutationSeed: seed }));
      } catch (error) {
        expect(error).toBeInstanceOf(FuzzFailure);
        caught++;
      }
    }
    expect(caught).toBeGreaterThan(0);
  });
});
