/**
 * The Electron security checklist applied to every web contents and to the session, in a module
 * a unit test can drive with fakes (type-only electron import): no navigation, redirect, new
 * window or <webview>; every permission request and check denied; the CSP set on every response
 * (replacing any the response carries); IPC answered only for the app's own pages.
 */
import type { Session, WebContents } from 'electron';

/** No navigation away from the app, no new windows, no <webview> (Electron security 12-14). */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Denies every permission (camera, notifications, openExternal, ...) and enforces `policy`. */
export function hardenSession(session: Session, policy: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    // Header names are case-insensitive: drop any policy of the response, then set ours.
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(
        ([name]) => name.toLowerCase() !== 'content-security-policy',
      ),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [policy] } });
  });
}

/**
 * True for the app's own pages: its files, or in development the Vite dev server (same origin,
 * not a mere prefix: `http://localhost:5173.evil.example` is not `http://localhost:5173`).
 */
export function isTrustedUrl(url: string, devServerUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'file:') return true;
  if (devServerUrl === undefined) return false;
  return parsed.origin === new URL(devServerUrl).origin;
}
