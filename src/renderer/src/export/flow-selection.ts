/**
 * The flows grid's selected rows, for the Export dialog's carve action. The label bar (which
 * receives the selection from the flows view) publishes it here; the dialog reads it. One
 * selection per window, like the grid.
 */
import { useSyncExternalStore } from 'react';

let selected: readonly number[] = [];
const listeners = new Set<() => void>();

export function publishFlowSelection(flowIds: readonly number[]): void {
  if (flowIds === selected) return;
  selected = flowIds;
  for (const listener of listeners) listener();
}

export function currentFlowSelection(): readonly number[] {
  return selected;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useFlowSelection(): readonly number[] {
  return useSyncExternalStore(subscribe, currentFlowSelection);
}
