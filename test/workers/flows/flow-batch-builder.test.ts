import { describe, expect, it } from 'vitest';
import { decodeStrings } from '../../../src/shared/encoded-strings';
import { ASSEMBLED_NUMBER_COLUMNS, ASSEMBLED_STRING_COLUMNS } from '../../../src/shared/flow-schema';
import { CHUNK_ROWS, FlowBatchBuilder } from '../../../src/workers/flows/flow-batch-builder';

/** Writes `count` rows whose every value derives from (batch, row, column). */
function addRows(builder: FlowBatchBuilder, batch: number, count: number): void {
  for (let r = 0; r < count; r++) {
    const row = builder.beginRow(batch * 100_000 + r);
    builder.numbers.forEach((column, c) => (column[row] = batch * 1e6 + r * 1000 + c));
    builder.strings.forEach((column, c) => (column[row] = (r + c) % 3 === 0 ? null : `${batch}-${r}-${c}`));
    builder.endRow();
  }
}

function expectRows(builder: FlowBatchBuilder, batch: number, count: number): void {
  const taken = builder.take()!;
  expect(taken.count).toBe(count);
  expect([...taken.flowIndex]).toEqual(Array.from({ length: count }, (_v, r) => batch * 100_000 + r));
  ASSEMBLED_NUMBER_COLUMNS.forEach((name, c) => {
    expect(taken.numbers[name]).toHaveLength(count);
    expect(taken.numbers[name]![count - 1]).toBe(batch * 1e6 + (count - 1) * 1000 + c);
    expect(taken.numbers[name]![0]).toBe(batch * 1e6 + c);
  });
  ASSEMBLED_STRING_COLUMNS.forEach((name, c) => {
    const expected = Array.from({ length: count }, (_v, r) =>
      (r + c) % 3 === 0 ? null : `${batch}-${r}-${c}`,
    );
    expect(decodeStrings(taken.strings[name]!)).toEqual(expected);
  });
}

describe('FlowBatchBuilder', () => {
  it('returns null with no rows', () => {
    expect(new FlowBatchBuilder().take()).toBeNull();
  });

  it('keeps rows in order across chunks and reuses chunks for the next batches', () => {
    const builder = new FlowBatchBuilder();
    addRows(builder, 1, CHUNK_ROWS * 3 + 7); // a burst: several chunks
    expectRows(builder, 1, CHUNK_ROWS * 3 + 7);
    addRows(builder, 2, 5); // fewer rows than before: no value of batch 1 may leak in
    expectRows(builder, 2, 5);
    addRows(builder, 3, CHUNK_ROWS); // exactly one chunk
    expectRows(builder, 3, CHUNK_ROWS);
    addRows(builder, 4, CHUNK_ROWS + 1);
    expectRows(builder, 4, CHUNK_ROWS + 1);
    expect(builder.take()).toBeNull();
  });

  it('checks every value of a multi-chunk batch', () => {
    const builder = new FlowBatchBuilder();
    const count = CHUNK_ROWS * 2 + 3;
    addRows(builder, 5, count);
    const taken = builder.take()!;
    for (let r = 0; r < count; r++) {
      ASSEMBLED_NUMBER_COLUMNS.forEach((name, c) => {
        if (taken.numbers[name]![r] !== 5e6 + r * 1000 + c) throw new Error(`row ${r} column ${name}`);
      });
    }
  });
});
