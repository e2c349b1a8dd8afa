/**
 * Electron shell: window, secure defaults, IPC handlers over the backend service. Everything
 * else (ingest, store, analytics) is plain Node in src/main/{ingest,store,service}.
 */
import path from 'node:path';
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { FlowlabService } from './service/flowlab-service';

const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

let service: FlowlabService | undefined;
let ingestAbort: AbortController | undefined;

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    show: false,
    title: 'Flowlab',
    webPreferences: {
      preload: path.join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void window.loadFile(path.join(import.meta.dirname, '../renderer/index.html'));
  return window;
}

async function openService(): Promise<FlowlabService> {
  const casePath = process.env.FLOWLAB_CASE ?? path.join(app.getPath('userData'), 'default-case.duckdb');
  return (service ??= await FlowlabService.open(casePath));
}

function registerIpc(window: BrowserWindow): void {
  ipcMain.handle('captures.list', async () => (await openService()).listCaptures());
  ipcMain.handle('captures.remove', async (_event, request: { captureId: number }) =>
    (await openService()).store.deleteCapture(request.captureId),
  );
  ipcMain.handle('ingest.start', async (_event, request: { paths: string[] }) => {
    const backend = await openService();
    ingestAbort = new AbortController();
    const results = [];
    for (const file of request.paths) {
      results.push(
        await backend.ingest(file, {
          signal: ingestAbort.signal,
          onProgress: (progress) => window.webContents.send('ingest.progress', progress),
        }),
      );
    }
    return results;
  });
  ipcMain.handle('ingest.cancel', () => ingestAbort?.abort());
}

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  const window = createWindow();
  registerIpc(window);
});

app.on('window-all-closed', () => {
  void service?.close();
  app.quit();
});
