/** A dashboard query keyed on the shared filter and the data version; idle while hidden. */
import type { FlowFilter } from '../../../shared/query-types';
import { useAsync } from '../common/use-async';
import { filterKey } from '../filter/filter-model';
import { useFlowFilter } from '../filter/filter-context';
import { useDataVersion } from '../shell/live-data-context';

export function useDashboardQuery<T>(load: (filter: FlowFilter) => Promise<T>, extraKey: string, active: boolean) {
  const { filter } = useFlowFilter();
  const { version } = useDataVersion();
  return useAsync(() => load(filter), `${filterKey(filter)}#${version}#${extraKey}`, active);
}
