/**
 * Keyboard shortcuts of labeling in the flows view (ignored while typing in a field):
 * B / M label the selected rows benign / malicious, L the selected rows with the chosen class,
 * Shift+B / Shift+M / Shift+L the same for every row matching the filter, U clears the selected
 * rows' labels, Ctrl+Z undoes and Ctrl+Shift+Z or Ctrl+Y redoes.
 */
export type LabelShortcut =
  | { kind: 'label'; label: 'benign' | 'malicious' | 'chosen'; scope: 'selected' | 'matching' }
  | { kind: 'clear' }
  | { kind: 'undo' }
  | { kind: 'redo' };

type KeyFields = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** The shortcut for a key press, or undefined; `typing` is true when focus is in a text field. */
export function labelShortcutForKey(event: KeyFields, typing: boolean): LabelShortcut | undefined {
  if (typing || event.altKey) return undefined;
  const key = event.key.toLowerCase();
  if (event.ctrlKey || event.metaKey) {
    if (key === 'z') return event.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
    if (key === 'y' && !event.shiftKey) return { kind: 'redo' };
    return undefined;
  }
  const scope = event.shiftKey ? 'matching' : 'selected';
  if (key === 'b') return { kind: 'label', label: 'benign', scope };
  if (key === 'm') return { kind: 'label', label: 'malicious', scope };
  if (key === 'l') return { kind: 'label', label: 'chosen', scope };
  if (key === 'u' && !event.shiftKey) return { kind: 'clear' };
  return undefined;
}

/** True when the event target is a text input, so letters must type, not label. */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const element = target as HTMLElement;
  const tag = element.tagName.toLowerCase();
  return tag === 'input' || tag === 'textarea' || tag === 'select' || element.isContentEditable === true;
}
