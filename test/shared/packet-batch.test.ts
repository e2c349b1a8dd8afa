import { describe, expect, it } from 'vitest';
import {
  PACKET_BATCH_COLUMNS,
  createPacketBatch,
  packetBatchTransferList,
} from '../../src/shared/packet-batch';

describe('createPacketBatch', () => {
  it('allocates every listed column with its element type and width, and nothing else typed', () => {
    const batch = createPacketBatch(10, 5);
    const record = batch as unknown as Record<string, unknown>;
    for (const column of PACKET_BATCH_COLUMNS) {
      const array = record[column.name];
      expect(array, column.name).toBeInstanceOf(column.type);
      expect((array as ArrayLike<number>).length, column.name).toBe(10 * column.width);
    }
    const typed = Object.keys(record).filter((key) => ArrayBuffer.isView(record[key]));
    expect(typed.sort()).toEqual(PACKET_BATCH_COLUMNS.map((column) => column.name).sort());
    expect(batch.firstPacketNumber).toBe(5);
    expect([...batch.metaIndex]).toEqual(new Array(10).fill(-1));
    expect([...batch.flowIndex]).toEqual(new Array(10).fill(-1));
    expect(new Set(packetBatchTransferList(batch)).size).toBe(PACKET_BATCH_COLUMNS.length);
  });
});
