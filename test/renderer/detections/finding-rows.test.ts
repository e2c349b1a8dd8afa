/** Detections view data shaping: filtering, per-kind summary, "show flows" actions, the label request, chart options. */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/shared/detect-types';
import { buildBeaconOption, buildKindsOption } from '../../../src/renderer/src/detections/build-detection-options';
import { kindSummary, labelRequest, severity, showFlowsActions, visibleFindings } from '../../../src/renderer/src/detections/finding-rows';
import { filterReducer } from '../../../src/renderer/src/filter/filter-model';

const finding = (kind: Finding['kind'], score: number, filter: Finding['filter'] = { captureIds: [1] }): Finding => ({
  kind,
  score,
  src_ip: '10.0.0.1',
  dst_ip: '10.0.0.2',
  capture_id: 1,
  flows: 3,
  summary: `${kind} ${score}`,
  why: [],
  metrics: {},
  filter,
  label: kind,
});

describe('finding rows', () => {
  const findings = [finding('beacon', 0.9), finding('burst', 0.3), finding('beacon', 0.75), finding('port-scan', 0.95)];

  it('filters by kind and minimum score, keeping the order', () => {
    expect(visibleFindings(findings, new Set(['beacon'] as const), 0.8).map((item) => item.score)).toEqual([0.9]);
    expect(visibleFindings(findings, undefined, 0.5)).toHaveLength(3);
  });

  it('summarises per kind, best score first', () => {
    expect(kindSummary(findings)).toEqual([
      { kind: 'port-scan', count: 1, best: 0.95 },
      { kind: 'beacon', count: 2, best: 0.9 },
      { kind: 'burst', count: 1, best: 0.3 },
    ]);
    expect([severity(0.8), severity(0.6), severity(0.59)]).toEqual(['high', 'medium', 'low']);
  });

  it('"show flows" replaces the shared filter with exactly the finding\'s filter', () => {
    const target = { captureIds: [4], expression: "src_ip = '10.0.0.1' and dst_ip = '10.0.0.2'" };
    const start = { expression: 'dst_port = 80', hosts: ['1.2.3.4'] };
    expect(showFlowsActions(target).reduce(filterReducer, start)).toEqual(target);
    const pair = { captureIds: [2], hostPair: { a: '10.0.0.1', b: '10.0.0.9' } };
    expect(showFlowsActions(pair).reduce(filterReducer, start)).toEqual(pair);
    const host = { captureIds: [2], hosts: ['10.0.0.7'] };
    expect(showFlowsActions(host).reduce(filterReducer, start)).toEqual(host);
  });

  it('"Label these…" sends the finding\'s filter as target, the confirmed class and source detection', () => {
    const request = labelRequest(finding('beacon', 0.9, { captureIds: [1], expression: 'flow_id in (1, 2, 3)' }), '  c2-beacon ');
    expect(request).toEqual({
      target: { filter: { captureIds: [1], expression: 'flow_id in (1, 2, 3)' } },
      label: 'c2-beacon',
      tags: ['beacon'],
      source: 'detection',
      reason: 'beacon (score 0.9): beacon 0.9',
    });
  });

  it('chart options: bars per kind coloured by best score; beacon interval and 24-bin bars', () => {
    const option = buildKindsOption(kindSummary(findings)) as { xAxis: { data: string[] }; series: { data: { value: number; itemStyle: { color: string } }[] }[] };
    expect(option.xAxis.data).toEqual(['port-scan', 'beacon', 'burst']);
    expect(option.series[0]!.data.map((bar) => bar.value)).toEqual([1, 2, 1]);
    expect(option.series[0]!.data[2]!.itemStyle.color).toBe('#64748b');
    const beacon = buildBeaconOption({ intervals: [{ seconds: 60, count: 30 }], sizes: [], histogram: new Array(24).fill(2) }) as {
      series: { data: number[] }[];
      xAxis: { data: string[] }[];
    };
    expect(beacon.series[0]!.data).toEqual([30]);
    expect(beacon.xAxis[0]!.data).toEqual(['60']);
    expect(beacon.series[1]!.data).toHaveLength(24);
  });
});
