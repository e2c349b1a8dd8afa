/**
 * Electron shell: window, secure defaults, native menu, IPC handlers over the backend service.
 * Everything else (ingest, store, queries) is plain Node in src/main/{ingest,store,query,service}.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, Menu, screen, session } from 'electron';
import type { ApiHandlers } from '../shared/api-contract';
import type { ApiEventSink } from './query/api-event-sink';
import { BackendClient } from './service/backend-client';
import { buildMenuTemplate, CAPTURE_FILE_FILTERS } from './shell/app-menu';
import { menuCommandSender } from './shell/menu-commands';
import { registerApiIpc } from './shell/ipc-bridge';
import { addRecent, loadSettings, restoreBounds, saveSettings } from './shell/user-settings';
import type { RecentEntry, UserSettings } from './shell/user-settings';
import { contentSecurityPolicy, DEFAULT_BOUNDS, mainWindowOptions } from './shell/window-options';
import { hardenSession, hardenWebContents, isTrustedUrl as isTrustedPage } from './shell/web-hardening';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
let window: BrowserWindow | undefined;
// The case, its queries and ingests live on a worker thread (service/backend-worker.ts): this
// thread only runs windows, menus and IPC, so an ingest never stalls it.
let backend: BackendClient | undefined;
let opening: Promise<ApiHandlers> | undefined;
let settings: UserSettings = { recent: [] };

const settingsFile = () => path.join(app.getPath('userData'), 'flowlab-settings.json');
const events: ApiEventSink = {
  emit: (event, payload) => {
    if (window && !window.isDestroyed()) window.webContents.send(event, payload);
  },
};

function remember(update: (current: UserSettings) => UserSettings): void {
  settings = update(settings);
  saveSettings(settingsFile(), settings);
  installMenu();
}

/** Opens (or creates) a case; the backend cancels the previous case's ingests and closes it first. */
async function openCase(casePath: string): Promise<ApiHandlers> {
  const previous = opening;
  opening = (async () => {
    await previous?.catch(() => undefined);
    backend ??= new BackendClient(events);
    const opened = await backend.open(casePath);
    window?.setTitle(`Flowlab — ${path.basename(opened.casePath)}`);
    remember((current) => addRecent(current, { kind: 'case', path: opened.casePath }));
    return backend.handlers;
  })();
  return opening;
}

function currentHandlers(): Promise<ApiHandlers> {
  if (opening) return opening;
  const recentCase = settings.recent.find((entry) => entry.kind === 'case')?.path;
  return openCase(
    process.env.FLOWLAB_CASE ?? recentCase ?? path.join(app.getPath('userData'), 'default-case.duckdb'),
  );
}

async function ingest(paths: string[]): Promise<void> {
  const active = await currentHandlers();
  remember((current) =>
    paths.reduce((next, file) => addRecent(next, { kind: 'capture', path: file }), current),
  );
  try {
    await active['ingest.start']({ paths });
  } catch (error) {
    dialog.showErrorBox('Ingest failed', error instanceof Error ? error.message : String(error));
  }
}

async function chooseCaptures(): Promise<void> {
  if (!window) return;
  const result = await dialog.showOpenDialog(window, {
    title: 'Open capture',
    properties: ['openFile', 'multiSelections'],
    filters: CAPTURE_FILE_FILTERS,
  });
  if (!result.canceled && result.filePaths.length) await ingest(result.filePaths);
}

async function chooseCase(): Promise<void> {
  if (!window) return;
  const result = await dialog.showSaveDialog(window, {
    title: 'Open or create a case',
    buttonLabel: 'Open',
    filters: [{ name: 'Flowlab case', extensions: ['duckdb'] }],
    properties: ['createDirectory'],
  });
  if (!result.canceled && result.filePath) await switchCase(result.filePath);
}

async function switchCase(casePath: string): Promise<void> {
  try {
    await openCase(casePath);
    window?.webContents.reload();
  } catch (error) {
    dialog.showErrorBox('Cannot open case', error instanceof Error ? error.message : String(error));
  }
}

const sendMenuCommand = menuCommandSender(() => window);

function installMenu(): void {
  const template = buildMenuTemplate(
    {
      openCaptures: () => void chooseCaptures(),
      openCase: () => void chooseCase(),
      openRecent: (entry: RecentEntry) =>
        void (entry.kind === 'case' ? switchCase(entry.path) : ingest([entry.path])),
      clearRecent: () => remember((current) => ({ ...current, recent: [] })),
      exportData: () => void sendMenuCommand('export'),
    },
    settings.recent,
    process.platform,
    Boolean(devServerUrl),
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function isTrustedUrl(url: string): boolean {
  return isTrustedPage(url, devServerUrl);
}

function createWindow(): BrowserWindow {
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const bounds = restoreBounds(settings.window, workAreas, DEFAULT_BOUNDS);
  const created = new BrowserWindow(
    mainWindowOptions(path.join(import.meta.dirname, '../preload/index.cjs'), bounds),
  );
  if (settings.window?.maximized) created.maximize();
  created.once('ready-to-show', () => created.show());
  created.on('close', () => {
    remember((current) => ({
      ...current,
      window: { ...created.getNormalBounds(), maximized: created.isMaximized() },
    }));
  });
  if (devServerUrl) void created.loadURL(devServerUrl);
  else void created.loadFile(path.join(import.meta.dirname, '../renderer/index.html'));
  return created;
}

// Every web contents: no navigation away, no new windows, no <webview>.
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

void app.whenReady().then(() => {
  settings = loadSettings(settingsFile());
  hardenSession(session.defaultSession, contentSecurityPolicy(devServerUrl));
  registerApiIpc(currentHandlers, isTrustedUrl);
  installMenu();
  window = createWindow();
  void currentHandlers().catch((error: unknown) =>
    dialog.showErrorBox('Cannot open case', error instanceof Error ? error.message : String(error)),
  );
});

app.on('window-all-closed', () => {
  // Closing cancels the running ingest (the capture stays marked incomplete) and closes the case.
  void (backend?.close() ?? Promise.resolve()).finally(() => app.quit());
});
