/**
 * Delivers a native-menu command to the renderer of the current window as the `menu.command`
 * event (type-only electron import, so tests drive it with a fake window).
 */
import type { BrowserWindow } from 'electron';
import type { ApiEvents } from '../../shared/api-contract';
import { MENU_COMMAND_EVENT } from '../../shared/menu-commands';
import type { MenuCommand } from '../../shared/menu-commands';

type WindowLike = Pick<BrowserWindow, 'isDestroyed' | 'show' | 'focus'> & {
  webContents: Pick<BrowserWindow['webContents'], 'send'>;
};

/**
 * A sender of menu commands to the window `currentWindow()` returns: it brings the window to
 * the front and sends the event; with no live window it does nothing and says so (false).
 */
export function menuCommandSender(currentWindow: () => WindowLike | undefined): (command: MenuCommand) => boolean {
  return (command) => {
    const window = currentWindow();
    if (!window || window.isDestroyed()) return false;
    window.show();
    window.focus();
    const payload: ApiEvents['menu.command'] = { command };
    window.webContents.send(MENU_COMMAND_EVENT, payload);
    return true;
  };
}
