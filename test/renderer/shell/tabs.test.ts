import { describe, expect, it } from 'vitest';
import { TABS, tabForKey } from '../../../src/renderer/src/shell/tabs';

describe('tabForKey', () => {
  it('maps Ctrl/Cmd/Alt + 1..4 to the views and ignores plain digits', () => {
    expect(tabForKey({ key: '1', ctrlKey: true, metaKey: false, altKey: false })).toBe('captures');
    expect(tabForKey({ key: '4', ctrlKey: false, metaKey: true, altKey: false })).toBe('hosts');
    expect(tabForKey({ key: '2', ctrlKey: false, metaKey: false, altKey: false })).toBeUndefined();
    expect(tabForKey({ key: String(TABS.length + 1), ctrlKey: true, metaKey: false, altKey: false })).toBeUndefined();
  });
});
