/** The workstation's views, in tab order (Ctrl+1..4 selects). */
export const TABS = [
  { id: 'captures', label: 'Captures' },
  { id: 'flows', label: 'Flows' },
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'hosts', label: 'Hosts' },
  { id: 'labels', label: 'Labels' },
  { id: 'detections', label: 'Detections' },
  { id: 'statistics', label: 'Statistics' },
  { id: 'models', label: 'Models' },
] as const;

export type TabId = (typeof TABS)[number]['id'];

/** Ctrl/Cmd/Alt + digit → tab, else undefined. */
export function tabForKey(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): TabId | undefined {
  if (!(event.ctrlKey || event.metaKey || event.altKey)) return undefined;
  const index = Number(event.key) - 1;
  return Number.isInteger(index) && index >= 0 && index < TABS.length ? TABS[index]!.id : undefined;
}
