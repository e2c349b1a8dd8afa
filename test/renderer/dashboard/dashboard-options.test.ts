import { describe, expect, it } from 'vitest';
import type { ChartOption } from '../../../src/renderer/src/charts/chart-types';
import { escapeHtml, imageName } from '../../../src/renderer/src/charts/base-option';
import { buildIatOption, iatBinLabel } from '../../../src/renderer/src/dashboard/build-iat-option';
import { buildMixOption, mixLabel } from '../../../src/renderer/src/dashboard/build-mix-option';
import { buildPacketSizesOption } from '../../../src/renderer/src/dashboard/build-packet-sizes-option';
import { buildTopOption, clickedEntry, topBarOrder } from '../../../src/renderer/src/dashboard/build-top-option';
import { binLabel, brushToTimeRange, buildTrafficOption, denseBins } from '../../../src/renderer/src/dashboard/build-traffic-option';
import { narrowingFor } from '../../../src/renderer/src/dashboard/chart-selection';

/** Every chart has a title, a PNG export and (for cartesian charts) named axes. */
function expectChartBasics(option: ChartOption, cartesian = true): void {
  expect((option.title as { text: string }).text).toBeTruthy();
  expect((option.toolbox as { feature: Record<string, unknown> }).feature.saveAsImage).toBeTruthy();
  expect(option.tooltip).toBeTruthy();
  if (cartesian) {
    for (const axis of [option.xAxis, option.yAxis].flat()) expect((axis as { name?: string }).name).toBeTruthy();
  }
}

const series = {
  binSeconds: 60,
  points: [
    { t: '2024-01-01T00:00:00Z', bytes: 1000, packets: 10, flows: 1 },
    { t: '2024-01-01T00:03:00Z', bytes: 500, packets: 5, flows: 2 },
  ],
};

describe('traffic over time', () => {
  it('fills empty bins so the category axis is linear in time', () => {
    const bins = denseBins(series);
    expect(bins.map((bin) => bin.bytes)).toEqual([1000, 0, 0, 500]);
    expect(bins[1]!.startMs).toBe(Date.UTC(2024, 0, 1, 0, 1));
  });

  it('turns a brush over bin indexes into a time range covering whole bins', () => {
    const bins = denseBins(series);
    expect(brushToTimeRange([1.2, 2.6], bins, 60)).toEqual({ from: '2024-01-01T00:01:00.000Z', to: '2024-01-01T00:04:00.000Z' });
    expect(brushToTimeRange([-5, 99], bins, 60)).toEqual({ from: '2024-01-01T00:00:00.000Z', to: '2024-01-01T00:04:00.000Z' });
    expect(brushToTimeRange([0, 1], [], 60)).toBeUndefined();
  });

  it('draws bytes and packets on named axes with a lineX brush', () => {
    const option = buildTrafficOption(denseBins(series), 60);
    expectChartBasics(option);
    expect(option.brush).toMatchObject({ brushType: 'lineX', xAxisIndex: 0 });
    expect((option.series as { name: string }[]).map((entry) => entry.name)).toEqual(['Bytes', 'Packets']);
    expect(binLabel(Date.UTC(2024, 0, 1, 12, 30), 60)).toBe('01-01 12:30');
  });
});

describe('top and mix charts', () => {
  const entries = [
    { key: '10.0.0.2', bytes: 10, packets: 1, flows: 1 },
    { key: '10.0.0.1', bytes: 500, packets: 5, flows: 2 },
  ];

  it('draws the largest bar on top and finds the clicked entry by index', () => {
    const option = buildTopOption(entries, 'Top source hosts by bytes', 'Source');
    expectChartBasics(option);
    const ordered = topBarOrder(entries);
    expect((option.yAxis as { data: string[] }).data).toEqual(['10.0.0.2', '10.0.0.1']);
    expect(clickedEntry({ dataIndex: 1 }, ordered)!.key).toBe('10.0.0.1');
  });

  it('labels protocols and NULL keys but narrows by the raw key', () => {
    expect(mixLabel('protocol', { key: '6', bytes: 1, packets: 1, flows: 1 })).toBe('TCP');
    expect(mixLabel('application', { key: '', label: '(none)', bytes: 1, packets: 1, flows: 1 })).toBe('(none)');
    const option = buildMixOption([{ key: '17', label: 'UDP', bytes: 5, packets: 1, flows: 1 }], 'protocol', 'Protocol mix by bytes');
    expectChartBasics(option, false);
    expect((option.series as { data: { name: string }[] }[])[0]!.data[0]!.name).toBe('UDP');
  });

  it('escapes names in HTML tooltips', () => {
    const option = buildTopOption([{ key: '<img src=x onerror=alert(1)>', bytes: 1, packets: 1, flows: 1 }], 'Top', 'Host');
    const html = (option.tooltip as { formatter: (params: unknown) => string }).formatter({ dataIndex: 0 });
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img');
    expect(escapeHtml(`"'&`)).toBe('&#34;&#39;&#38;');
  });
});

describe('narrowingFor', () => {
  it('narrows hosts, ports (with their protocol), applications and protocols', () => {
    expect(narrowingFor('src_ip', '10.0.0.1')).toEqual({ type: 'narrowColumns', columns: { src_ip: { kind: 'text', op: 'equals', value: '10.0.0.1' } } });
    expect(narrowingFor('udp_port', '53')).toEqual({
      type: 'narrowColumns',
      columns: { protocol: { kind: 'number', op: 'eq', value: 17 }, dst_port: { kind: 'number', op: 'eq', value: 53 } },
    });
    expect(narrowingFor('protocol', '6')).toEqual({ type: 'narrowColumns', columns: { protocol: { kind: 'number', op: 'eq', value: 6 } } });
    expect(narrowingFor('application', '')).toEqual({ type: 'narrowColumns', columns: { application: { kind: 'blank', blank: true } } });
    expect(narrowingFor('tcp_port', 'x')).toBeUndefined();
    expect(narrowingFor('tcp_port', '70000')).toBeUndefined();
  });
});

describe('packet sizes and inter-arrival charts', () => {
  it('colours packet sizes by destination', () => {
    const option = buildPacketSizesOption(
      [
        { ts: '2024-01-01T00:00:00Z', size: 60, dst: 'b' },
        { ts: '2024-01-01T00:00:01Z', size: 1500, dst: 'a' },
        { ts: '2024-01-01T00:00:02Z', size: 70, dst: 'b' },
      ],
      'a',
      'b',
    );
    expectChartBasics(option);
    const drawn = option.series as { name: string; data: number[][] }[];
    expect(drawn.map((entry) => [entry.name, entry.data.length])).toEqual([
      ['to b', 2],
      ['to a', 1],
    ]);
  });

  it('labels log-spaced bins with durations', () => {
    const bins = [
      { from: 0, to: 0.5, count: 3 },
      { from: 0.5, to: 12, count: 7 },
    ];
    expect(iatBinLabel(bins[1]!)).toBe('500 µs–12.0 ms');
    const option = buildIatOption(bins);
    expectChartBasics(option);
    expect((option.series as { data: number[] }[])[0]!.data).toEqual([3, 7]);
    expect(imageName('Inter-arrival time histogram')).toBe('flowlab-inter-arrival-time-histogram');
  });
});
