/** Capture list rows for display, pure. */
import type { CaptureInfo, IngestProgress } from '../../../shared/api-types';
import { formatBytes, formatCount, formatDuration, formatEta, formatRate, formatTimestamp } from '../format/format-values';

export interface CaptureRowView {
  id: number;
  fileName: string;
  path: string;
  format: string;
  size: string;
  packets: string;
  flows: string;
  timeSpan: string;
  duration: string;
  status: CaptureInfo['status'];
  warnings: string[];
}

export function captureRowView(capture: CaptureInfo): CaptureRowView {
  const first = capture.firstPacket ? Date.parse(capture.firstPacket) : NaN;
  const last = capture.lastPacket ? Date.parse(capture.lastPacket) : NaN;
  return {
    id: capture.id,
    fileName: capture.fileName,
    path: capture.path,
    format: [capture.format ?? '?', capture.compressed ? 'gzip' : ''].filter(Boolean).join(' + '),
    size: formatBytes(capture.sizeBytes),
    packets: formatCount(capture.packets),
    flows: formatCount(capture.flows),
    timeSpan: capture.firstPacket ? `${formatTimestamp(capture.firstPacket)} → ${formatTimestamp(capture.lastPacket)}` : '',
    duration: Number.isFinite(first) && Number.isFinite(last) ? formatDuration(last - first) : '',
    status: capture.status,
    warnings: capture.warnings,
  };
}

/** While a capture ingests, its counts so far come from the progress events. */
export function withProgress(row: CaptureRowView, progress: IngestProgress | undefined): CaptureRowView {
  if (!progress || row.status !== 'ingesting') return row;
  return { ...row, packets: formatCount(progress.packets), flows: formatCount(progress.flows) };
}

export interface ProgressView {
  fraction: number;
  label: string;
}

export function progressView(progress: IngestProgress): ProgressView {
  const fraction = progress.totalBytes > 0 ? Math.min(1, progress.bytesRead / progress.totalBytes) : 0;
  const eta = formatEta(progress.etaMs);
  const parts = [
    `${formatBytes(progress.bytesRead)} / ${formatBytes(progress.totalBytes)}`,
    `${formatCount(progress.packets)} packets`,
    `${formatCount(Math.round(progress.packetsPerSecond))} pkt/s`,
    formatRate(progress.bytesPerSecond),
    `${formatCount(progress.flows)} flows`,
  ];
  if (eta) parts.push(`ETA ${eta}`);
  return { fraction, label: parts.join(' · ') };
}

/** Splits a text field of paths: one per line, or several on a line separated by spaces when unambiguous. */
export function parsePaths(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .flatMap((line) => {
      const unquoted = line.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
      // "/a.pcap /b.pcap": several absolute paths on one line (paths with spaces go one per line).
      const pieces = unquoted.split(/\s+(?=\/|[A-Za-z]:\\)/);
      return pieces.every((piece) => /^(\/|[A-Za-z]:\\)/.test(piece)) ? pieces : [unquoted];
    });
}
