/** Inter-arrival time histogram card. */
import { useMemo } from 'react';
import { useClient } from '../api/api-context';
import { EChart } from '../charts/echart';
import { buildIatOption } from './build-iat-option';
import { ChartCard } from './chart-card';
import { useDashboardQuery } from './use-dashboard-query';

export function IatCard({ active }: { active: boolean }) {
  const { api } = useClient();
  const state = useDashboardQuery((filter) => api.dashboardIatHistogram({ filter, bins: 40 }), 'iat', active);
  const option = useMemo(() => buildIatOption(state.data ?? []), [state.data]);
  return (
    <ChartCard title="Inter-arrival time histogram" state={state} empty={(state.data ?? []).every((bin) => bin.count === 0)}>
      <EChart option={option} label="Histogram of packet inter-arrival times" />
    </ChartCard>
  );
}
