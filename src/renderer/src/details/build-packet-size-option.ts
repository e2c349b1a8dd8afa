/** echarts option: one flow's packet sizes over time, one series per direction. */
import type { PacketRow } from '../../../shared/query-types';
import { formatBytes, formatDuration, formatTcpFlags } from '../format/format-values';
import type { ChartOption } from '../charts/chart-types';
import { baseOption } from '../charts/base-option';

export const DIRECTION_LABELS = ['src → dst', 'dst → src'] as const;
const DIRECTION_COLORS = ['#2563eb', '#ea580c'];

export function buildPacketSizeOption(packets: readonly PacketRow[], title = 'Packet sizes over time'): ChartOption {
  const series = DIRECTION_LABELS.map((label, direction) => ({
    name: label,
    type: 'scatter' as const,
    symbolSize: 6,
    itemStyle: { color: DIRECTION_COLORS[direction] },
    // [seconds since first packet, frame length, packet number, tcp flags]
    data: packets
      .filter((packet) => packet.direction === direction)
      .map((packet) => [packet.relativeSeconds, packet.frameLength, packet.packetNumber, packet.tcpFlags]),
  }));
  return {
    ...baseOption(title),
    legend: { top: 4, right: 90 },
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const { seriesName, value } = params as { seriesName: string; value: number[] };
        const [seconds = 0, size = 0, packetNumber = 0, flags = 0] = value;
        const flagText = formatTcpFlags(flags);
        return `#${packetNumber} ${seriesName}<br/>+${formatDuration(seconds * 1000)}<br/>${formatBytes(size)}${flagText ? ` [${flagText}]` : ''}`;
      },
    },
    xAxis: { type: 'value', name: 'Time since first packet (s)', nameLocation: 'middle', nameGap: 24, scale: true },
    yAxis: { type: 'value', name: 'Frame length (bytes)', nameLocation: 'middle', nameGap: 44 },
    series,
  };
}
