/** Row count of the current filter (flowsCount), refreshed with the data. */
import { useClient } from '../api/api-context';
import { useAsync } from '../common/use-async';
import { filterKey } from '../filter/filter-model';
import { useFlowFilter } from '../filter/filter-context';
import { useDataVersion } from '../shell/live-data-context';

export function useFlowCount(enabled = true) {
  const { api } = useClient();
  const { filter } = useFlowFilter();
  const { version } = useDataVersion();
  return useAsync(async () => (await api.flowsCount({ filter })).count, `${filterKey(filter)}#${version}`, enabled);
}
