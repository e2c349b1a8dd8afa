/** Top-N bars (hosts, ports) or a mix donut (protocol, application); a click narrows the filter. */
import { useMemo } from 'react';
import type { TopRequest } from '../../../shared/query-types';
import { useClient } from '../api/api-context';
import { EChart } from '../charts/echart';
import { useFlowFilter } from '../filter/filter-context';
import { buildMixOption } from './build-mix-option';
import { buildTopOption, clickedEntry, topBarOrder } from './build-top-option';
import { ChartCard } from './chart-card';
import { narrowingFor } from './chart-selection';
import { useDashboardQuery } from './use-dashboard-query';

interface Props {
  by: TopRequest['by'];
  title: string;
  categoryName: string;
  color?: string;
  active: boolean;
  limit?: number;
}

export function TopCard({ by, title, categoryName, color, active, limit = 10 }: Props) {
  const { api } = useClient();
  const { dispatch } = useFlowFilter();
  const state = useDashboardQuery((filter) => api.dashboardTop({ filter, by, limit }), `top:${by}:${limit}`, active);
  const mix = by === 'protocol' || by === 'application';
  const option = useMemo(() => {
    const entries = state.data ?? [];
    return mix ? buildMixOption(entries, by, title) : buildTopOption(entries, title, categoryName, color);
  }, [state.data, mix, by, title, categoryName, color]);
  const events = useMemo(
    () => ({
      click: (params: unknown) => {
        const entries = state.data ?? [];
        const entry = clickedEntry(params, mix ? entries : topBarOrder(entries));
        const action = entry && narrowingFor(by, entry.key);
        if (action) dispatch(action);
      },
    }),
    [by, dispatch, mix, state.data],
  );
  return (
    <ChartCard title={title} state={state} empty={(state.data ?? []).length === 0}>
      <EChart option={option} events={events} label={`${title}; click to filter`} />
    </ChartCard>
  );
}
