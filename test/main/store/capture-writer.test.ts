import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ASSEMBLED_NUMBER_COLUMNS, ASSEMBLED_STRING_COLUMNS } from '../../../src/shared/flow-schema';
import { encodeStrings } from '../../../src/shared/encoded-strings';
import type { FlowBatch } from '../../../src/shared/flow-schema';
import { DecodeStatus, createPacketBatch } from '../../../src/shared/packet-batch';
import { CaseStore } from '../../../src/main/store/case-store';
import { CaptureWriter, flowId } from '../../../src/main/store/capture-writer';

describe('CaptureWriter', () => {
  let dir: string;
  let store: CaseStore;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-store-'));
    store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes packet columns exactly, including nanosecond timestamps beyond 2^53 ns and NULL flow ids', async () => {
    const count = 5000; // spans three 2048-row vectors
    const batch = createPacketBatch(count, 101);
    batch.count = count;
    for (let i = 0; i < count; i++) {
      batch.tsSec[i] = 1700000000 + i;
      batch.tsNsec[i] = 999999999 - i;
      batch.fileOffset[i] = 2 ** 40 + i * 100; // past 4 GiB
      batch.frameLength[i] = 60 + (i % 1400);
      batch.tcpSeq[i] = 4294967295 - i;
      batch.flowIndex[i] = i % 3 === 0 ? -1 : i;
      batch.direction[i] = i & 1;
    }
    batch.decodeStatus[1] = DecodeStatus.nonIp;
    // ARP rows: operation and [IPv4, MAC bytes 0-1, MAC bytes 2-5] per side (see PacketBatch).
    batch.arpOperation[1] = 1;
    batch.srcAddr.set([0x0a000002, 0x6677, 0x8899aabb], 1 * 4);
    batch.dstAddr.set([0x0a000001, 0, 0], 1 * 4);
    batch.decodeStatus[2] = DecodeStatus.nonIp;
    batch.arpOperation[2] = 2;
    batch.srcAddr.set([0xc0a80101, 0x00ff, 0xfe0a0b0c], 2 * 4);
    batch.dstAddr.set([0xffffffff, 0xffff, 0xffffffff], 2 * 4);
    batch.decodeStatus[3] = DecodeStatus.nonIp;
    batch.arpOperation[3] = 3;
    batch.decodeStatus[4] = DecodeStatus.nonIp;
    batch.arpOperation[4] = 4;
    batch.arpOperation[5] = 1; // an IP row (decodeStatus ok): not an ARP packet
    const writer = await CaptureWriter.create(store, 7);
    writer.appendPackets(batch);
    await writer.close();

    const rows = await store.rows(
      `SELECT packet_number, epoch_ns(ts)::VARCHAR AS ns, file_offset, frame_length, tcp_seq, flow_id, direction
       FROM packets ORDER BY packet_number`,
    );
    expect(rows).toHaveLength(count);
    for (const i of [0, 1, 2047, 2048, 4095, 4999]) {
      const row = rows[i]!;
      expect(row.packet_number).toBe(101 + i);
      // Expected value computed with BigInt, independently of the writer's split arithmetic.
      expect(row.ns).toBe((BigInt(1700000000 + i) * 1000000000n + BigInt(999999999 - i)).toString());
      expect(row.file_offset).toBe(2 ** 40 + i * 100);
      expect(row.frame_length).toBe(60 + (i % 1400));
      expect(row.tcp_seq).toBe(4294967295 - i);
      expect(row.flow_id).toBe(i % 3 === 0 ? null : 7 * 2 ** 32 + i);
      expect(row.direction).toBe(i & 1);
    }
    const arp = await store.rows(
      `SELECT capture_id, packet_number, operation, sender_mac, sender_ip, target_mac, target_ip, summary
       FROM arp_packets ORDER BY packet_number`,
    );
    expect(arp).toEqual([
      {
        capture_id: 7,
        packet_number: 102,
        operation: 1,
        sender_mac: '66:77:88:99:aa:bb',
        sender_ip: '10.0.0.2',
        target_mac: '00:00:00:00:00:00',
        target_ip: '10.0.0.1',
        summary: 'who-has 10.0.0.1 tell 10.0.0.2',
      },
      {
        capture_id: 7,
        packet_number: 103,
        operation: 2,
        sender_mac: '00:ff:fe:0a:0b:0c',
        sender_ip: '192.168.1.1',
        target_mac: 'ff:ff:ff:ff:ff:ff',
        target_ip: '255.255.255.255',
        summary: '192.168.1.1 is-at 00:ff:fe:0a:0b:0c',
      },
      {
        capture_id: 7,
        packet_number: 104,
        operation: 3,
        sender_mac: '00:00:00:00:00:00',
        sender_ip: '0.0.0.0',
        target_mac: '00:00:00:00:00:00',
        target_ip: '0.0.0.0',
        summary: 'rarp who-is 00:00:00:00:00:00 tell 00:00:00:00:00:00',
      },
      {
        capture_id: 7,
        packet_number: 105,
        operation: 4,
        sender_mac: '00:00:00:00:00:00',
        sender_ip: '0.0.0.0',
        target_mac: '00:00:00:00:00:00',
        target_ip: '0.0.0.0',
        summary: 'rarp reply 00:00:00:00:00:00 at 0.0.0.0',
      },
    ]);
  });

  it('writes flows with NaN as NULL and strings', async () => {
    const count = 3;
    const numbers: Record<string, Float64Array> = {};
    for (const name of ASSEMBLED_NUMBER_COLUMNS) numbers[name] = new Float64Array(count).fill(Number.NaN);
    const strings: Record<string, (string | null)[]> = {};
    for (const name of ASSEMBLED_STRING_COLUMNS) strings[name] = [null, null, null];
    numbers.src2dst_packets!.set([1, 2, 2 ** 40]);
    numbers.duration_ms!.set([0.5, Number.NaN, 1e6]);
    numbers.first_seen!.set([1700000000123456, 0, 1]);
    numbers.src_port!.set([443, 53, Number.NaN]);
    strings.src_ip = ['10.0.0.1', '2001:db8::1', 'x'];
    strings.tls_sni = ['example.org', null, "it's <b>"];
    const encoded: FlowBatch['strings'] = {};
    for (const [name, values] of Object.entries(strings)) encoded[name] = encodeStrings(values);
    const flows: FlowBatch = { count, numbers, strings: encoded, flowIndex: new Float64Array([0, 1, 5]) };
    const writer = await CaptureWriter.create(store, 2);
    writer.appendFlows(flows);
    await writer.close();
    const rows = await store.rows(
      'SELECT flow_id, capture_id, src2dst_packets, duration_ms, epoch_us(first_seen) AS us, src_port, src_ip, tls_sni FROM flows ORDER BY flow_id',
    );
    expect(rows).toEqual([
      {
        flow_id: flowId(2, 0),
        capture_id: 2,
        src2dst_packets: 1,
        duration_ms: 0.5,
        us: 1700000000123456,
        src_port: 443,
        src_ip: '10.0.0.1',
        tls_sni: 'example.org',
      },
      {
        flow_id: flowId(2, 1),
        capture_id: 2,
        src2dst_packets: 2,
        duration_ms: null,
        us: 0,
        src_port: 53,
        src_ip: '2001:db8::1',
        tls_sni: null,
      },
      {
        flow_id: flowId(2, 5),
        capture_id: 2,
        src2dst_packets: 2 ** 40,
        duration_ms: 1e6,
        us: 1,
        src_port: null,
        src_ip: 'x',
        tls_sni: "it's <b>",
      },
    ]);
  });

  it('commits whole multiples of alignRows of the table and keeps the rest for the next commit', async () => {
    const packetBatch = (first: number, count: number) => {
      const batch = createPacketBatch(count, first);
      batch.count = count;
      for (let i = 0; i < count; i++) {
        batch.tsSec[i] = 1700000000 + first + i;
        batch.flowIndex[i] = first + i;
      }
      return batch;
    };
    const flowBatch = (first: number, count: number): FlowBatch => {
      const numbers: Record<string, Float64Array> = {};
      for (const name of ASSEMBLED_NUMBER_COLUMNS) numbers[name] = new Float64Array(count).fill(Number.NaN);
      const strings: FlowBatch['strings'] = {};
      for (const name of ASSEMBLED_STRING_COLUMNS)
        strings[name] = encodeStrings(new Array<null>(count).fill(null));
      return {
        count,
        numbers,
        strings,
        flowIndex: Float64Array.from({ length: count }, (_, i) => first + i),
      };
    };
    const counts = async () => {
      const [row] = await store.rows(
        'SELECT (SELECT count(*) FROM packets) AS packets, (SELECT count(*) FROM flows) AS flows',
      );
      return { packets: Number(row!.packets), flows: Number(row!.flows) };
    };
    const align = 100;
    // Another capture already left 30 packets and 130 flows: boundaries count from the table's rows.
    const earlier = await CaptureWriter.create(store, 1);
    earlier.appendPackets(packetBatch(0, 30));
    earlier.appendFlows(flowBatch(0, 130));
    await earlier.close();

    const writer = await CaptureWriter.create(store, 2);
    let packets = 0;
    let flows = 0;
    const seen: { packets: number; flows: number }[] = [];
    // Batches of several sizes, some larger than a row group, some spanning two spool files.
    for (const [p, f] of [
      [45, 10],
      [5000, 33],
      [120, 250],
      [7, 0],
      [260, 61],
    ] as const) {
      writer.appendPackets(packetBatch(packets, p));
      writer.appendFlows(flowBatch(flows, f));
      packets += p;
      flows += f;
      await writer.flush(align);
      await writer.flush(align); // a second flush adds nothing: less than a row group waits
      // Loads run behind flush(); close the gap before counting.
      await (writer as unknown as { moves: Promise<void> }).moves;
      const now = await counts();
      seen.push(now);
      // Nothing of this capture yet, or up to a boundary of the table.
      expect(now.packets === 30 || now.packets % align === 0).toBe(true);
      expect(now.flows === 130 || now.flows % align === 0).toBe(true);
      // Everything but less than one row group per table is loaded.
      expect(30 + packets - now.packets).toBeLessThan(align);
      expect(130 + flows - now.flows).toBeLessThan(align);
    }
    expect(seen.map((c) => c.packets)).toEqual([30, 5000, 5100, 5200, 5400]);
    expect(seen.map((c) => c.flows)).toEqual([130, 130, 400, 400, 400]);
    await writer.close();
    expect(await counts()).toEqual({ packets: 30 + packets, flows: 130 + flows });
    // Every row exactly once, in order.
    const rows = await store.rows(
      'SELECT list(packet_number ORDER BY rowid) AS numbers FROM packets WHERE capture_id = 2',
    );
    expect(rows[0]!.numbers).toEqual(Array.from({ length: packets }, (_, i) => i));
    const flowRows = await store.rows(
      'SELECT list(flow_id - 2 * 4294967296 ORDER BY rowid) AS ids FROM flows WHERE capture_id = 2',
    );
    expect(flowRows[0]!.ids).toEqual(Array.from({ length: flows }, (_, i) => i));
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]); // spool files and folder gone
  });
});
