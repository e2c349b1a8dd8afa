import { describe, expect, it } from 'vitest';
import { buildMenuTemplate } from '../../../src/main/shell/app-menu';
import { menuCommandSender } from '../../../src/main/shell/menu-commands';
import { API_EVENTS } from '../../../src/shared/api-contract';
import type { ApiEventName, ApiEvents } from '../../../src/shared/api-contract';
import { isMenuCommand, MENU_COMMAND_EVENT } from '../../../src/shared/menu-commands';
import type { MenuCommand } from '../../../src/shared/menu-commands';
import { onMenuCommand } from '../../../src/renderer/src/export/menu-command';

/** A fake BrowserWindow recording what the sender does to it. */
function fakeWindow(destroyed = false) {
  const log: unknown[][] = [];
  return {
    log,
    isDestroyed: () => destroyed,
    show: () => void log.push(['show']),
    focus: () => void log.push(['focus']),
    webContents: { send: (channel: string, ...args: unknown[]) => void log.push(['send', channel, ...args]) },
  };
}

describe('issue #4 - File > Export… reaches the renderer', () => {
  it('menu click → command sent to the window on the menu channel', () => {
    const window = fakeWindow();
    const send = menuCommandSender(() => window);
    const template = buildMenuTemplate(
      { openCaptures: () => undefined, openCase: () => undefined, openRecent: () => undefined, clearRecent: () => undefined, exportData: () => void send('export') },
      [],
      'linux',
      false,
    );
    const file = template.find((item) => item.label === 'File')!.submenu as { label?: string; click?: () => void }[];
    file.find((item) => item.label === 'Export…')!.click!();
    expect(window.log).toEqual([['show'], ['focus'], ['send', 'menu.command', { command: 'export' }]]);
    // An event of the contract, so the preload's `on` subscribes to it like any other.
    expect(API_EVENTS).toContain(MENU_COMMAND_EVENT);
  });

  it('does nothing without a live window', () => {
    expect(menuCommandSender(() => undefined)('export')).toBe(false);
    const closed = fakeWindow(true);
    expect(menuCommandSender(() => closed)('export')).toBe(false);
    expect(closed.log).toEqual([]);
  });

  it('the renderer runs the command only for its own command, and unsubscribes', () => {
    let listener: ((payload: ApiEvents['menu.command']) => void) | undefined;
    let subscribedTo: ApiEventName | undefined;
    const api = {
      on: ((event: ApiEventName, next: (payload: ApiEvents['menu.command']) => void) => {
        subscribedTo = event;
        listener = next;
        return () => {
          listener = undefined;
        };
      }) as never,
    };
    let opened = 0;
    const unsubscribe = onMenuCommand(api, 'export', () => opened++);
    expect(subscribedTo).toBe('menu.command');
    listener!({ command: 'export' });
    listener!({ command: 'other' as MenuCommand });
    listener!(null as never);
    expect(opened).toBe(1);
    unsubscribe();
    expect(listener).toBeUndefined();
  });

  it('knows its commands only', () => {
    expect(isMenuCommand('export')).toBe(true);
    for (const value of ['Export', 'labels.apply', '', null, 42, { command: 'export' }]) expect(isMenuCommand(value)).toBe(false);
  });
});
