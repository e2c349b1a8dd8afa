import { describe, expect, it } from 'vitest';
import type { CaptureInfo } from '../../../src/shared/api-types';
import { captureRowView, parsePaths, progressView, withProgress } from '../../../src/renderer/src/captures/capture-rows';

const capture: CaptureInfo = {
  id: 3,
  path: '/data/a.pcapng.gz',
  fileName: 'a.pcapng.gz',
  sizeBytes: 3 * 1024 * 1024,
  fingerprint: 'f',
  format: 'pcapng',
  compressed: true,
  linkTypes: [1],
  packets: 123456,
  bytes: 99,
  flows: 789,
  firstPacket: '2024-01-01T00:00:00Z',
  lastPacket: '2024-01-01T00:01:30Z',
  status: 'complete',
  warnings: ['Truncated last packet'],
  elapsedMs: 1000,
};

describe('captureRowView', () => {
  it('formats size, counts, span and format', () => {
    expect(captureRowView(capture)).toMatchObject({
      format: 'pcapng + gzip',
      size: '3.00 MB',
      packets: '123,456',
      flows: '789',
      timeSpan: '2024-01-01 00:00:00 → 2024-01-01 00:01:30',
      duration: '1m 30s',
      warnings: ['Truncated last packet'],
    });
    expect(captureRowView({ ...capture, firstPacket: null, lastPacket: null, format: null, compressed: false })).toMatchObject({ format: '?', timeSpan: '', duration: '' });
  });
});

describe('progressView', () => {
  it('shows fraction, rates and ETA', () => {
    const view = progressView({
      captureId: 3,
      path: '/x',
      bytesRead: 512,
      totalBytes: 1024,
      packets: 1000,
      flows: 10,
      elapsedMs: 1000,
      packetsPerSecond: 1000,
      bytesPerSecond: 512,
      etaMs: 1000,
    });
    expect(view.fraction).toBe(0.5);
    expect(view.label).toBe('512 B / 1.00 KB · 1,000 packets · 1,000 pkt/s · 512 B/s · 10 flows · ETA 1.00 s');
    expect(progressView({ captureId: 1, path: '', bytesRead: 0, totalBytes: 0, packets: 0, flows: 0, elapsedMs: 0, packetsPerSecond: 0, bytesPerSecond: 0, etaMs: null }).fraction).toBe(0);
  });
});

describe('parsePaths', () => {
  it('accepts one path per line, several absolute paths on a line, and quotes', () => {
    expect(parsePaths('/a.pcap\n\n  /b dir/c.pcapng  \n')).toEqual(['/a.pcap', '/b dir/c.pcapng']);
    expect(parsePaths('/a.pcap /b.pcap')).toEqual(['/a.pcap', '/b.pcap']);
    expect(parsePaths('"/with space/x.pcap"')).toEqual(['/with space/x.pcap']);
    expect(parsePaths('C:\\caps\\a.pcap D:\\b.pcap')).toEqual(['C:\\caps\\a.pcap', 'D:\\b.pcap']);
  });
});

describe('withProgress', () => {
  it('shows the counts so far of a capture being ingested', () => {
    const progress = { captureId: 3, path: '/x', bytesRead: 1, totalBytes: 2, packets: 5000, flows: 70, elapsedMs: 1, packetsPerSecond: 1, bytesPerSecond: 1, etaMs: null };
    const ingesting = captureRowView({ ...capture, status: 'ingesting', packets: 0, flows: 0 });
    expect(withProgress(ingesting, progress)).toMatchObject({ packets: '5,000', flows: '70' });
    expect(withProgress(captureRowView(capture), progress).packets).toBe('123,456');
  });
});
