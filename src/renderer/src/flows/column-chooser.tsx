/** Column chooser: every flow column by group, with search, defaults, all and none. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_VISIBLE_COLUMNS, GRID_COLUMNS, groupColumns } from './flow-columns';

interface Props {
  visible: ReadonlySet<string>;
  onChange: (next: ReadonlySet<string>) => void;
}

export function ColumnChooser({ visible, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const panel = useRef<HTMLDivElement>(null);
  const groups = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const columns = needle
      ? GRID_COLUMNS.filter((column) => column.name.includes(needle) || column.description.toLowerCase().includes(needle))
      : GRID_COLUMNS;
    return groupColumns(columns);
  }, [search]);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent): void => {
      if (panel.current && !panel.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const toggle = (name: string): void => {
    const next = new Set(visible);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    onChange(next);
  };

  return (
    <div className="popover-anchor" ref={panel}>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} title="Choose columns">
        Columns ({visible.size}/{GRID_COLUMNS.length})
      </button>
      {open && (
        <div
          className="popover column-chooser"
          role="dialog"
          aria-label="Choose columns"
          onKeyDown={(event) => event.key === 'Escape' && setOpen(false)}
        >
          <div className="row gap">
            <input autoFocus type="search" placeholder="Search columns" value={search} onChange={(event) => setSearch(event.target.value)} />
            <button type="button" onClick={() => onChange(new Set(DEFAULT_VISIBLE_COLUMNS))}>
              Defaults
            </button>
            <button type="button" onClick={() => onChange(new Set(GRID_COLUMNS.map((column) => column.name)))}>
              All
            </button>
            <button type="button" onClick={() => onChange(new Set(['first_seen', 'src_ip', 'dst_ip']))}>
              Minimal
            </button>
          </div>
          <div className="column-chooser-groups">
            {groups.map(({ group, columns }) => (
              <fieldset key={group}>
                <legend>{group}</legend>
                {columns.map((column) => (
                  <label key={column.name} title={column.description}>
                    <input type="checkbox" checked={visible.has(column.name)} onChange={() => toggle(column.name)} />
                    {column.name}
                  </label>
                ))}
              </fieldset>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
