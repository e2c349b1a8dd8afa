/**
 * Commands the desktop app's native menu sends to the renderer as the `menu.command` event
 * (Electron only; the browser mode has no native menu and never sends it).
 */

/** `export`: File > Export… opens the Export dialog (on the Flows view). */
export type MenuCommand = 'export';

export const MENU_COMMANDS: readonly MenuCommand[] = ['export'];

/** The event that carries them (ApiEvents['menu.command']). */
export const MENU_COMMAND_EVENT = 'menu.command';

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}
