import { describe, expect, it } from 'vitest';
import type { PacketRow } from '../../../src/shared/query-types';
import { buildPacketSizeOption } from '../../../src/renderer/src/details/build-packet-size-option';
import { flowFieldGroups, flowTitle } from '../../../src/renderer/src/details/flow-field-groups';
import { hexDumpLines } from '../../../src/renderer/src/details/hex-dump';

const packet = (packetNumber: number, direction: 0 | 1, frameLength: number, relativeSeconds: number): PacketRow => ({
  packetNumber,
  ts: '2024-01-01T00:00:00Z',
  relativeSeconds,
  direction,
  frameLength,
  capturedLength: frameLength,
  tcpFlags: 0x18,
  ttl: 64,
  tcpSeq: 1,
  tcpAck: 1,
  tcpWindow: 512,
  payloadLength: frameLength - 54,
});

describe('hexDumpLines', () => {
  it('writes offset, two groups of 8 hex bytes and printable ASCII', () => {
    const bytes = [...new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n')];
    const lines = hexDumpLines(bytes);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ offset: '0000', hex: '47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a', ascii: 'GET / HTTP/1.1..' });
    expect(lines[1]!.offset).toBe('0010');
    expect(lines[1]!.ascii).toBe('Host: x..');
    // The short last line is padded so the ASCII column lines up.
    expect(lines[1]!.hex.length).toBe(lines[0]!.hex.length);
  });

  it('shows markup and control bytes as inert characters', () => {
    const [line] = hexDumpLines([0x3c, 0x73, 0x3e, 0x00, 0x7f, 0xff]);
    expect(line!.ascii).toBe('<s>...');
    expect(hexDumpLines([])).toEqual([]);
  });
});

describe('flowFieldGroups', () => {
  it('groups non-empty fields with formatted and raw values', () => {
    const groups = flowFieldGroups({ src_ip: '10.0.0.1', dst_port: 443, bidirectional_bytes: 2048, dns_query: null, tls_sni: '<b>evil</b>' });
    const all = groups.flatMap((group) => group.fields);
    expect(all.map((field) => field.name).sort()).toEqual(['bidirectional_bytes', 'dst_port', 'src_ip', 'tls_sni']);
    expect(all.find((field) => field.name === 'bidirectional_bytes')).toMatchObject({ display: '2.00 KB', raw: '2048' });
    expect(all.find((field) => field.name === 'tls_sni')!.display).toBe('<b>evil</b>');
    expect(groups.map((group) => group.group)).toEqual(['Endpoints', 'Volume', 'Application']);
  });

  it('titles a flow with endpoints, protocol and application', () => {
    expect(flowTitle({ src_ip: '10.0.0.1', src_port: 51000, dst_ip: '2001:db8::1', dst_port: 443, protocol: 6, application: 'TLS' })).toBe(
      '10.0.0.1:51000 → [2001:db8::1]:443 TCP · TLS',
    );
    expect(flowTitle({ src_ip: '10.0.0.1', src_port: 0, dst_ip: '10.0.0.2', dst_port: 0, protocol: 1 })).toBe('10.0.0.1 → 10.0.0.2 ICMP');
  });
});

describe('buildPacketSizeOption', () => {
  it('puts each direction in its own series of [seconds, length]', () => {
    const option = buildPacketSizeOption([packet(1, 0, 74, 0), packet(2, 1, 74, 0.01), packet(3, 0, 1514, 0.02)]);
    const series = option.series as { name: string; data: number[][] }[];
    expect(series.map((entry) => entry.name)).toEqual(['src → dst', 'dst → src']);
    expect(series[0]!.data.map((point) => point.slice(0, 2))).toEqual([
      [0, 74],
      [0.02, 1514],
    ]);
    expect(option.title).toMatchObject({ text: 'Packet sizes over time' });
    expect(option.xAxis).toMatchObject({ name: 'Time since first packet (s)' });
    expect(option.yAxis).toMatchObject({ name: 'Frame length (bytes)' });
  });
});
