/**
 * The Electron security checklist (issue #7; electronjs.org/docs/latest/tutorial/security),
 * checked on the shell's own code with fake web contents and session objects (Electron cannot
 * be launched here): navigation, redirects, <webview> and new windows refused; every permission
 * denied; the CSP forced on every response and loading nothing remote; IPC answered only for
 * the app's pages; and the entry point wires all of it up for every window.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { hardenSession, hardenWebContents, isTrustedUrl } from '../../../src/main/shell/web-hardening';
import {
  CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  mainWindowOptions,
} from '../../../src/main/shell/window-options';

const root = path.resolve(import.meta.dirname, '../../..');

function fakeContents() {
  const listeners = new Map<string, (event: { preventDefault(): void }, ...args: unknown[]) => void>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (name: string, listener: (event: { preventDefault(): void }) => void) =>
      listeners.set(name, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
  };
  hardenWebContents(contents as unknown as WebContents);
  /** Fires `name` and reports whether the listener prevented it. */
  const prevented = (name: string, ...args: unknown[]): boolean => {
    let stopped = false;
    listeners.get(name)?.({ preventDefault: () => (stopped = true) }, ...args);
    return stopped;
  };
  return { prevented, openHandler: () => openHandler };
}

function fakeSession() {
  let request:
    ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  let check: ((contents: unknown, permission: string) => boolean) | undefined;
  let headers:
    | ((
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders: Record<string, string[]> }) => void,
      ) => void)
    | undefined;
  const session = {
    setPermissionRequestHandler: (handler: typeof request) => (request = handler),
    setPermissionCheckHandler: (handler: typeof check) => (check = handler),
    webRequest: { onHeadersReceived: (handler: typeof headers) => (headers = handler) },
  };
  hardenSession(session as unknown as Session, CONTENT_SECURITY_POLICY);
  return { request: () => request!, check: () => check!, headers: () => headers! };
}

const PERMISSIONS = [
  'media',
  'geolocation',
  'notifications',
  'midi',
  'midiSysex',
  'pointerLock',
  'fullscreen',
  'openExternal',
  'clipboard-read',
  'clipboard-sanitized-write',
  'display-capture',
  'hid',
  'serial',
  'usb',
  'idle-detection',
  'window-management',
  'unknown',
];

describe('Electron security checklist', () => {
  it('blocks navigation, redirects and <webview>, and denies every new window', () => {
    const contents = fakeContents();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'about:blank'])
      expect(contents.prevented('will-navigate', url), url).toBe(true);
    expect(contents.prevented('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.prevented('will-attach-webview', {}, { src: 'https://evil.example/' })).toBe(true);
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', ''])
      expect(contents.openHandler()!({ url })).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    const session = fakeSession();
    for (const permission of PERMISSIONS) {
      let granted: boolean | undefined;
      session.request()({}, permission, (value) => (granted = value));
      expect(granted, permission).toBe(false);
      expect(session.check()({}, permission), permission).toBe(false);
    }
  });

  it('puts the CSP on every response, replacing a weaker one the response carries', () => {
    const session = fakeSession();
    let result: Record<string, string[]> = {};
    session.headers()(
      {
        responseHeaders: {
          'content-security-policy': ["script-src *  'unsafe-eval'"],
          'Content-Type': ['text/html'],
        },
      },
      (response) => (result = response.responseHeaders),
    );
    expect(result).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
    session.headers()({}, (response) => (result = response.responseHeaders));
    expect(result).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('the CSP loads nothing remote and runs no inline or eval script', () => {
    for (const policy of [CONTENT_SECURITY_POLICY, contentSecurityPolicy()]) {
      for (const directive of policy.split(';').map((part) => part.trim().split(/\s+/))) {
        const [name, ...sources] = directive;
        for (const source of sources)
          expect(["'self'", "'none'", 'data:', 'blob:', "'unsafe-inline'"], `${name} ${source}`).toContain(
            source,
          );
        if (name === 'script-src' || name === 'default-src') expect(sources).toEqual(["'self'"]);
      }
    }
  });

  it("answers IPC only for the app's own pages (origin, not prefix, of the dev server)", () => {
    expect(isTrustedUrl('file:///opt/flowlab/out/renderer/index.html')).toBe(true);
    expect(isTrustedUrl('https://evil.example/')).toBe(false);
    expect(isTrustedUrl('http://localhost:5173/')).toBe(false);
    expect(isTrustedUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isTrustedUrl('http://localhost:5173.evil.example/', 'http://localhost:5173')).toBe(false);
    expect(isTrustedUrl('http://localhost:51730/', 'http://localhost:5173')).toBe(false);
    expect(isTrustedUrl('not a url', 'http://localhost:5173')).toBe(false);
    expect(isTrustedUrl('')).toBe(false);
  });

  it('the entry point applies all of it to every window, and no code weakens it', () => {
    const entry = readFileSync(path.join(root, 'src/main/index.ts'), 'utf8');
    expect(entry).toMatch(
      /app\.on\('web-contents-created', \(_event, contents\) => hardenWebContents\(contents\)\)/,
    );
    expect(entry).toMatch(/hardenSession\(session\.defaultSession, contentSecurityPolicy\(devServerUrl\)\)/);
    expect(entry).toMatch(/new BrowserWindow\(\s*mainWindowOptions\(/);
    expect(entry).toMatch(/registerApiIpc\(currentHandlers, isTrustedUrl\)/);
    // Remote content: only the local renderer file, or the dev server in development.
    for (const load of entry.match(/\.load(URL|File)\([^)]*\)/g) ?? [])
      expect(load).toMatch(/loadURL\(devServerUrl\)|loadFile\(path\.join/);
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const full = path.join(dir, name);
        return statSync(full).isDirectory() ? sources(full) : /\.tsx?$/.test(name) ? [full] : [];
      });
    for (const file of [
      ...sources(path.join(root, 'src/main')),
      ...sources(path.join(root, 'src/preload')),
    ]) {
      const text = readFileSync(file, 'utf8');
      for (const weak of [
        /nodeIntegration:\s*true/,
        /contextIsolation:\s*false/,
        /sandbox:\s*false/,
        /webSecurity:\s*false/,
        /allowRunningInsecureContent:\s*true/,
        /webviewTag:\s*true/,
        /enableRemoteModule/,
        /openExternal\(/,
      ])
        expect(weak.test(text), `${path.relative(root, file)} ${weak}`).toBe(false);
    }
    expect(mainWindowOptions('/p.cjs').webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
  });
});
