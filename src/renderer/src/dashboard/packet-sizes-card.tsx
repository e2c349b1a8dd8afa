/**
 * Packet sizes over time for a chosen host pair, coloured by destination. The pair defaults to
 * the filter's host pair, else the heaviest edge of the host graph.
 */
import { useEffect, useMemo, useState } from 'react';
import { useClient } from '../api/api-context';
import { useAsync } from '../common/use-async';
import { EChart } from '../charts/echart';
import { filterKey } from '../filter/filter-model';
import { useFlowFilter } from '../filter/filter-context';
import { useDataVersion } from '../shell/live-data-context';
import { buildPacketSizesOption } from './build-packet-sizes-option';
import { ChartCard } from './chart-card';
import { useDashboardQuery } from './use-dashboard-query';

export function PacketSizesCard({ active }: { active: boolean }) {
  const { api } = useClient();
  const { filter, dispatch } = useFlowFilter();
  const { version } = useDataVersion();
  const [pair, setPair] = useState<{ a: string; b: string } | undefined>(filter.hostPair);
  const [draft, setDraft] = useState({ a: filter.hostPair?.a ?? '', b: filter.hostPair?.b ?? '' });

  const needDefault = !filter.hostPair && !pair;
  const heaviest = useAsync(
    () => api.hostsGraph({ filter, topN: 1 }),
    `${filterKey(filter)}#${version}`,
    active && needDefault,
  );
  useEffect(() => {
    if (filter.hostPair) setPair(filter.hostPair);
  }, [filter.hostPair]);
  useEffect(() => {
    const edge = heaviest.data?.edges[0];
    if (needDefault && edge) setPair({ a: edge.source, b: edge.target });
  }, [heaviest.data, needDefault]);
  useEffect(() => {
    if (pair) setDraft(pair);
  }, [pair]);

  const state = useDashboardQuery(
    (current) => (pair ? api.dashboardPacketSizes({ filter: current, hostA: pair.a, hostB: pair.b, limit: 5000 }) : Promise.resolve([])),
    `sizes:${pair?.a}:${pair?.b}`,
    active,
  );
  const option = useMemo(() => buildPacketSizesOption(state.data ?? [], pair?.a ?? '', pair?.b ?? ''), [state.data, pair]);
  const controls = (
    <form
      className="row gap"
      aria-label="Host pair"
      onSubmit={(event) => {
        event.preventDefault();
        if (draft.a.trim() && draft.b.trim()) setPair({ a: draft.a.trim(), b: draft.b.trim() });
      }}
    >
      <span className="muted">Host pair</span>
      <input aria-label="Host A" placeholder="host A" value={draft.a} onChange={(event) => setDraft({ ...draft, a: event.target.value })} />
      <span>↔</span>
      <input aria-label="Host B" placeholder="host B" value={draft.b} onChange={(event) => setDraft({ ...draft, b: event.target.value })} />
      <button type="submit">Show</button>
      <button type="button" disabled={!pair} onClick={() => pair && dispatch({ type: 'setHostPair', a: pair.a, b: pair.b })} title="Narrow every view to this pair">
        Filter pair
      </button>
    </form>
  );
  return (
    <ChartCard title="Packet sizes over time" state={pair ? state : heaviest} empty={!pair || (state.data ?? []).length === 0} controls={controls} className="full">
      <EChart option={option} label="Packet sizes over time between the chosen hosts, coloured by destination" />
    </ChartCard>
  );
}
