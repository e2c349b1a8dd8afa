/**
 * The world map of external peers (echarts map series): countries coloured by the bytes their
 * public addresses sent and received, on a log scale (traffic spans many orders of magnitude).
 */
import type { CountryTraffic } from '../../../shared/geo-types';
import { baseOption, escapeHtml } from '../charts/base-option';
import type { ChartOption } from '../charts/chart-types';
import { formatBytes, formatCount } from '../format/format-values';
import { WORLD_MAP_NAME } from './world-geometry';

/** Light to dark blue, as the other byte charts. */
const BYTE_COLORS = ['#dbeafe', '#93c5fd', '#3b82f6', '#1d4ed8', '#1e3a8a'];

export const WORLD_MAP_TITLE = 'External peers by country (bytes)';

/** Countries with traffic that the atlas has no shape for (listed beside the map). */
export function countriesWithoutShape(
  countries: readonly CountryTraffic[],
  shapes: ReadonlySet<string>,
): CountryTraffic[] {
  return countries.filter((entry) => !shapes.has(entry.country));
}

/**
 * The option: one map series whose data are the countries (`name` = alpha-2 code, `value` =
 * log10 of bytes for the colour scale); the tooltip shows bytes, packets, flows and addresses.
 */
export function buildWorldMapOption(
  countries: readonly CountryTraffic[],
  names: ReadonlyMap<string, string>,
): ChartOption {
  const byCode = new Map(countries.map((entry) => [entry.country, entry]));
  const maxBytes = Math.max(1, ...countries.map((entry) => entry.bytes));
  const minBytes = countries.length ? Math.max(1, Math.min(...countries.map((entry) => entry.bytes))) : 1;
  const logMax = Math.log10(maxBytes);
  const logMin = Math.min(Math.log10(minBytes), logMax);
  return {
    ...baseOption(WORLD_MAP_TITLE),
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const code = String((params as { name?: unknown }).name ?? '');
        const name = escapeHtml(names.get(code) ?? code);
        const entry = byCode.get(code);
        if (!entry) return code ? `${name}<br/>no traffic` : '';
        return `${name} (${escapeHtml(code)})<br/>${formatBytes(entry.bytes)} · ${formatCount(entry.packets)} packets · ${formatCount(entry.flows)} flows<br/>${formatCount(entry.hosts)} address${entry.hosts === 1 ? '' : 'es'}<br/><i>click to filter the flows to them</i>`;
      },
    },
    visualMap: {
      type: 'continuous',
      min: logMin,
      max: logMax === logMin ? logMin + 1 : logMax,
      left: 8,
      bottom: 8,
      itemHeight: 100,
      calculable: false,
      text: [formatBytes(maxBytes), formatBytes(minBytes)],
      // The scale is log10(bytes): the hover indicator shows bytes.
      formatter: (value: unknown) => formatBytes(Math.round(10 ** Number(value))),
      textStyle: { fontSize: 10 },
      inRange: { color: BYTE_COLORS },
    },
    series: [
      {
        name: 'Bytes',
        type: 'map',
        map: WORLD_MAP_NAME,
        roam: true,
        top: 36,
        bottom: 8,
        selectedMode: false,
        itemStyle: { areaColor: '#f3f4f6', borderColor: '#9ca3af', borderWidth: 0.4 },
        emphasis: { label: { show: false }, itemStyle: { areaColor: '#f59e0b' } },
        data: countries.map((entry) => ({
          name: entry.country,
          value: Math.log10(Math.max(1, entry.bytes)),
        })),
      },
    ],
  };
}
