import { describe, expect, it } from 'vitest';
import {
  PACKET_BATCH_COLUMNS,
  createPacketBatch,
  packetBatchTransferList,
  metaForFlows,
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

describe('metaForFlows', () => {
  it('keeps the flow metadata and blanks the ARP entries, leaving the original untouched', () => {
    const dns = { dnsQuery: 'example.org', dnsIsResponse: false };
    const arp = { arpOperation: 1, arpSummary: 'who-has 10.0.0.1 tell 10.0.0.2' };
    const tls = { tlsSni: 'a.example' };
    const meta = [dns, arp, tls, arp];
    const forFlows = metaForFlows(meta);
    expect(forFlows).toHaveLength(4);
    expect(forFlows[0]).toBe(dns);
    expect(forFlows[2]).toBe(tls);
    expect(forFlows[1]).toEqual({});
    expect(forFlows[3]).toEqual({});
    expect(meta).toEqual([dns, arp, tls, arp]);
  });

  it('returns the same array when there is no ARP entry', () => {
    const meta = [{ httpMethod: 'GET' }];
    expect(metaForFlows(meta)).toBe(meta);
  });
});
