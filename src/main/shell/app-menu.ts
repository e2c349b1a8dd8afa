/**
 * The native menu as a template (type-only electron import, so tests can inspect it):
 * File > Open capture…, Open case…, Recent, Export… (issue 4), Quit; Edit, View, Window.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { RecentEntry } from './user-settings';

export interface MenuActions {
  openCaptures(): void;
  openCase(): void;
  openRecent(entry: RecentEntry): void;
  clearRecent(): void;
  /** File > Export…: the renderer opens the Export dialog (menu-commands.ts). */
  exportData(): void;
}

/** The capture file types of the Open dialog. */
export const CAPTURE_FILE_FILTERS = [
  { name: 'Captures', extensions: ['pcap', 'pcapng', 'cap', 'gz'] },
  { name: 'All files', extensions: ['*'] },
];

export function buildMenuTemplate(
  actions: MenuActions,
  recent: readonly RecentEntry[],
  platform: string,
  development: boolean,
): MenuItemConstructorOptions[] {
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? [
        ...recent.map((entry) => ({
          label: `${entry.kind === 'case' ? 'Case' : 'Capture'}: ${entry.path}`,
          click: () => actions.openRecent(entry),
        })),
        { type: 'separator' as const },
        { label: 'Clear Recent', click: () => actions.clearRecent() },
      ]
    : [{ label: 'No recent files', enabled: false }];
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Open Capture…', accelerator: 'CmdOrCtrl+O', click: () => actions.openCaptures() },
      { label: 'Open Case…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openCase() },
      { label: 'Recent', submenu: recentItems },
      { type: 'separator' },
      { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportData() },
      { type: 'separator' },
      platform === 'darwin' ? { role: 'close' } : { role: 'quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'reload', accelerator: 'CmdOrCtrl+R' },
      ...(development ? [{ role: 'toggleDevTools' as const }] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    file,
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
  ];
}
