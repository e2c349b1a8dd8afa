/** The flows grid's visible columns, remembered across sessions (localStorage). */
import { useCallback, useState } from 'react';
import { DEFAULT_VISIBLE_COLUMNS, GRID_COLUMN_NAMES } from './flow-columns';

const STORAGE_KEY = 'flowlab.flows.visibleColumns';

function readStored(): string[] {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as unknown;
    if (Array.isArray(stored)) {
      const known = stored.filter((name): name is string => typeof name === 'string' && GRID_COLUMN_NAMES.includes(name));
      if (known.length) return known;
    }
  } catch {
    // Unreadable storage: fall back to the defaults.
  }
  return [...DEFAULT_VISIBLE_COLUMNS];
}

export function useVisibleColumns(): [ReadonlySet<string>, (next: ReadonlySet<string>) => void] {
  const [visible, setVisibleState] = useState<ReadonlySet<string>>(() => new Set(readStored()));
  const setVisible = useCallback((next: ReadonlySet<string>) => {
    setVisibleState(next);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify([...next]));
    } catch {
      // Storage full or disabled: the choice lasts for this session only.
    }
  }, []);
  return [visible, setVisible];
}
