/** The active filter as removable chips, plus "Clear all". */
import { useMemo } from 'react';
import { FLOW_COLUMNS } from '../../../shared/flow-schema';
import { filterChips } from './filter-chips';
import { useFlowFilter } from './filter-context';

const TIMESTAMP_COLUMNS = new Set(FLOW_COLUMNS.filter((column) => column.type === 'TIMESTAMP').map((column) => column.name));

export function FilterChipsBar() {
  const { filter, dispatch } = useFlowFilter();
  const chips = useMemo(() => filterChips(filter, TIMESTAMP_COLUMNS), [filter]);
  return (
    <div className="filter-bar" role="toolbar" aria-label="Active filter">
      <span className="filter-bar-label">Filter</span>
      {chips.length === 0 && <span className="muted">none: all flows</span>}
      {chips.map((chip) => (
        <span className="chip" key={JSON.stringify(chip.key)} title={chip.title}>
          <span className="chip-label">{chip.label}</span>
          <button
            type="button"
            className="chip-remove"
            aria-label={`Remove filter ${chip.label}`}
            onClick={() => dispatch({ type: 'remove', chip: chip.key })}
          >
            ×
          </button>
        </span>
      ))}
      {chips.length > 0 && (
        <button type="button" className="link-button" onClick={() => dispatch({ type: 'clear' })}>
          Clear all
        </button>
      )}
    </div>
  );
}
