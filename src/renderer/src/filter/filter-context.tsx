/** The one shared FlowFilter in a React context: every view reads it and narrows it. */
import { createContext, useContext, useMemo, useReducer } from 'react';
import type { Dispatch, ReactNode } from 'react';
import type { FlowFilter } from '../../../shared/query-types';
import { filterReducer } from './filter-model';
import type { FilterAction } from './filter-model';

interface FilterState {
  filter: FlowFilter;
  dispatch: Dispatch<FilterAction>;
}

const FilterContext = createContext<FilterState | undefined>(undefined);

export function FilterProvider({ initial = {}, children }: { initial?: FlowFilter; children: ReactNode }) {
  const [filter, dispatch] = useReducer(filterReducer, initial);
  const value = useMemo(() => ({ filter, dispatch }), [filter]);
  return <FilterContext.Provider value={value}>{children}</FilterContext.Provider>;
}

export function useFlowFilter(): FilterState {
  const state = useContext(FilterContext);
  if (!state) throw new Error('useFlowFilter outside <FilterProvider>');
  return state;
}
