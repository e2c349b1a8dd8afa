/**
 * Traffic over time: bytes (bars) and packets (line) per bin, with a lineX brush whose
 * selection becomes the shared filter's time range. Bins are made dense (empty bins shown)
 * so that the category axis is linear in time.
 */
import type { TimeSeries } from '../../../shared/query-types';
import { baseOption } from '../charts/base-option';
import { byteAxisScale } from '../charts/byte-axis';
import type { ChartOption } from '../charts/chart-types';
import { formatBytes, formatCount, formatDuration, formatTimestamp } from '../format/format-values';

export interface TrafficBin {
  startMs: number;
  bytes: number;
  packets: number;
  flows: number;
}

/** Most bins drawn; a backend that returns more is shown as is. */
const MAX_DENSE_BINS = 5000;

/** Points → consecutive bins of `binSeconds`, zero-filled between the first and last point. */
export function denseBins(series: TimeSeries): TrafficBin[] {
  const points = series.points
    .map((point) => ({ startMs: Date.parse(point.t), bytes: point.bytes, packets: point.packets, flows: point.flows }))
    .filter((point) => Number.isFinite(point.startMs))
    .sort((a, b) => a.startMs - b.startMs);
  const binMs = series.binSeconds * 1000;
  if (points.length < 2 || !(binMs > 0)) return points;
  const first = points[0]!.startMs;
  const count = Math.round((points[points.length - 1]!.startMs - first) / binMs) + 1;
  if (count > MAX_DENSE_BINS) return points;
  const bins: TrafficBin[] = Array.from({ length: count }, (_, index) => ({ startMs: first + index * binMs, bytes: 0, packets: 0, flows: 0 }));
  for (const point of points) {
    const bin = bins[Math.round((point.startMs - first) / binMs)];
    if (!bin) continue;
    bin.bytes += point.bytes;
    bin.packets += point.packets;
    bin.flows += point.flows;
  }
  return bins;
}

/** Axis label for a bin start: the time of day, with the date when bins are a day or longer. */
export function binLabel(startMs: number, binSeconds: number): string {
  const text = formatTimestamp(startMs);
  if (binSeconds >= 86_400) return text.slice(0, 10);
  if (binSeconds >= 60) return text.slice(5, 16);
  if (binSeconds >= 1) return text.slice(11, 19);
  return text.slice(11, 23);
}

/** A brush over bin indexes [first, last] → ISO time range [start of first, end of last). */
export function brushToTimeRange(coordRange: readonly number[], bins: readonly TrafficBin[], binSeconds: number): { from: string; to: string } | undefined {
  if (!bins.length || coordRange.length < 2) return undefined;
  const first = Math.max(0, Math.min(bins.length - 1, Math.floor(Math.min(coordRange[0]!, coordRange[1]!))));
  const last = Math.max(0, Math.min(bins.length - 1, Math.ceil(Math.max(coordRange[0]!, coordRange[1]!))));
  const binMs = Math.max(1, binSeconds * 1000);
  return { from: new Date(bins[first]!.startMs).toISOString(), to: new Date(bins[last]!.startMs + binMs).toISOString() };
}

export function buildTrafficOption(bins: readonly TrafficBin[], binSeconds: number): ChartOption {
  const title = 'Traffic over time';
  return {
    ...baseOption(title),
    legend: { top: 4, left: 'center', data: ['Bytes', 'Packets'] },
    toolbox: {
      right: 8,
      top: 2,
      itemSize: 13,
      feature: {
        brush: { type: ['lineX', 'clear'], title: { lineX: 'Select a time range', clear: 'Clear selection' } },
        saveAsImage: { title: 'Save as PNG', name: 'flowlab-traffic-over-time', pixelRatio: 2, backgroundColor: '#ffffff' },
      },
    },
    brush: { xAxisIndex: 0, brushType: 'lineX', brushMode: 'single', throttleType: 'debounce', throttleDelay: 300 },
    grid: { left: 72, right: 72, top: 44, bottom: 52 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const items = params as { dataIndex: number }[];
        const bin = bins[items[0]?.dataIndex ?? -1];
        if (!bin) return '';
        return `${formatTimestamp(bin.startMs)} (+${formatDuration(binSeconds * 1000)})<br/>Bytes: ${formatBytes(bin.bytes)}<br/>Packets: ${formatCount(bin.packets)}<br/>Flows: ${formatCount(bin.flows)}`;
      },
    },
    xAxis: {
      type: 'category',
      name: `Flow start (UTC), ${formatDuration(binSeconds * 1000)} bins`,
      nameLocation: 'middle',
      nameGap: 30,
      data: bins.map((bin) => binLabel(bin.startMs, binSeconds)),
      axisTick: { alignWithLabel: true },
    },
    yAxis: [
      {
        type: 'value',
        name: 'Bytes',
        nameLocation: 'middle',
        nameGap: 56,
        ...byteAxisScale(Math.max(0, ...bins.map((bin) => bin.bytes))),
        axisLabel: { formatter: (value: number) => formatBytes(value) },
      },
      { type: 'value', name: 'Packets', nameLocation: 'middle', nameGap: 52, minInterval: 1, splitLine: { show: false }, axisLabel: { formatter: (value: number) => formatCount(value) } },
    ],
    series: [
      { name: 'Bytes', type: 'bar', yAxisIndex: 0, data: bins.map((bin) => bin.bytes), itemStyle: { color: '#3b82f6' }, barCategoryGap: '10%', large: true },
      { name: 'Packets', type: 'line', yAxisIndex: 1, data: bins.map((bin) => bin.packets), itemStyle: { color: '#f59e0b' }, showSymbol: false, lineStyle: { width: 1.5 } },
    ],
  };
}
