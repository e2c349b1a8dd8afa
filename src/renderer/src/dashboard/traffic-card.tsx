/** Traffic over time with brush-to-filter: a brushed range sets the shared time range. */
import { useMemo } from 'react';
import type { ECharts } from 'echarts/core';
import { useClient } from '../api/api-context';
import { EChart } from '../charts/echart';
import { useFlowFilter } from '../filter/filter-context';
import { brushToTimeRange, buildTrafficOption, denseBins } from './build-traffic-option';
import { ChartCard } from './chart-card';
import { useDashboardQuery } from './use-dashboard-query';

const BINS = 120;

/** Arms the lineX brush so a drag selects without picking the toolbox tool first. */
function armBrush(chart: ECharts): void {
  chart.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: { brushType: 'lineX', brushMode: 'single' } });
}

export function TrafficCard({ active }: { active: boolean }) {
  const { api } = useClient();
  const { dispatch } = useFlowFilter();
  const state = useDashboardQuery((filter) => api.dashboardTimeseries({ filter, bins: BINS }), 'traffic', active);
  const binSeconds = state.data?.binSeconds ?? 1;
  const bins = useMemo(() => (state.data ? denseBins(state.data) : []), [state.data]);
  const option = useMemo(() => buildTrafficOption(bins, binSeconds), [bins, binSeconds]);
  const events = useMemo(
    () => ({
      brushEnd: (params: unknown, chart: ECharts) => {
        const area = (params as { areas?: { coordRange?: number[] }[] }).areas?.[0];
        const range = area?.coordRange ? brushToTimeRange(area.coordRange, bins, binSeconds) : undefined;
        if (!range) return;
        chart.dispatchAction({ type: 'brush', areas: [] });
        dispatch({ type: 'setTimeRange', timeRange: range });
      },
    }),
    [bins, binSeconds, dispatch],
  );
  return (
    <ChartCard title="Traffic over time" state={state} empty={bins.length === 0} className="wide">
      <EChart option={option} events={events} afterSetOption={armBrush} label="Traffic over time: bytes and packets per time bin; drag to filter by time" />
    </ChartCard>
  );
}
