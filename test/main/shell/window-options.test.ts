import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, CAPTURE_FILE_FILTERS } from '../../../src/main/shell/app-menu';
import type { MenuActions } from '../../../src/main/shell/app-menu';
import {
  addRecent,
  loadSettings,
  MAX_RECENT,
  restoreBounds,
  saveSettings,
} from '../../../src/main/shell/user-settings';
import type { UserSettings } from '../../../src/main/shell/user-settings';
import {
  CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  mainWindowOptions,
} from '../../../src/main/shell/window-options';

describe('Electron shell security settings', () => {
  it('isolates and sandboxes the renderer without Node', () => {
    const options = mainWindowOptions('/app/preload/index.cjs');
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(options.show).toBe(false);
  });

  it('has a strict CSP: self only, no eval or inline script, no objects, no framing', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split(';')
        .map((part) => part.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(contentSecurityPolicy()).toBe(CONTENT_SECURITY_POLICY);
    expect(contentSecurityPolicy('http://localhost:5173')).toContain(
      "connect-src 'self' ws://localhost:5173",
    );
  });
});

describe('native menu', () => {
  const calls: string[] = [];
  const actions: MenuActions = {
    openCaptures: () => calls.push('captures'),
    openCase: () => calls.push('case'),
    openRecent: (entry) => calls.push(`recent:${entry.path}`),
    clearRecent: () => calls.push('clear'),
    exportData: () => calls.push('export'),
  };

  it('has File > Open capture, Open case, Recent, Export and Quit with accelerators', () => {
    const template = buildMenuTemplate(actions, [{ kind: 'case', path: '/cases/a.duckdb' }], 'linux', false);
    const file = template.find((item) => item.label === 'File')!;
    const items = file.submenu as {
      label?: string;
      accelerator?: string;
      enabled?: boolean;
      role?: string;
      submenu?: unknown;
      click?: () => void;
    }[];
    expect(items.find((item) => item.label === 'Open Capture…')?.accelerator).toBe('CmdOrCtrl+O');
    expect(items.find((item) => item.label === 'Open Case…')?.accelerator).toBe('CmdOrCtrl+Shift+O');
    // issue #4: Export… is enabled and asks the renderer to open the Export dialog.
    const exportItem = items.find((item) => item.label === 'Export…')!;
    expect(exportItem.enabled).not.toBe(false);
    expect(exportItem.accelerator).toBe('CmdOrCtrl+E');
    expect(items.find((item) => item.role === 'quit')?.accelerator).toBe('CmdOrCtrl+Q');
    const recent = items.find((item) => item.label === 'Recent')!.submenu as {
      label?: string;
      click?: () => void;
    }[];
    recent[0]!.click!();
    items[0]!.click!();
    exportItem.click!();
    expect(calls).toEqual(['recent:/cases/a.duckdb', 'captures', 'export']);
    expect(CAPTURE_FILE_FILTERS[0]!.extensions).toEqual(['pcap', 'pcapng', 'cap', 'gz']);
  });
});

describe('remembered settings', () => {
  it('round-trips window bounds and recent files, ignoring damaged files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-settings-'));
    try {
      const file = path.join(dir, 'sub', 'settings.json');
      expect(loadSettings(file)).toEqual({ recent: [] });
      let settings: UserSettings = {
        recent: [],
        window: { x: 10, y: 20, width: 1000, height: 700, maximized: true },
      };
      for (let i = 0; i < 12; i++)
        settings = addRecent(settings, { kind: 'capture', path: `/p/${i % 11}.pcap` });
      saveSettings(file, settings);
      const loaded = loadSettings(file);
      expect(loaded.window).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
      expect(loaded.recent).toHaveLength(MAX_RECENT);
      expect(loaded.recent[0]).toEqual({ kind: 'capture', path: '/p/0.pcap' });
      writeFileSync(file, '{broken');
      expect(loadSettings(file)).toEqual({ recent: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('restores a position only while it is on a display', () => {
    const screenArea = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(
      restoreBounds({ x: 100, y: 100, width: 800, height: 600 }, screenArea, { width: 1400, height: 900 }),
    ).toEqual({ x: 100, y: 100, width: 800, height: 600 });
    expect(
      restoreBounds({ x: 5000, y: 100, width: 800, height: 600 }, screenArea, { width: 1400, height: 900 }),
    ).toEqual({ width: 800, height: 600 });
    expect(restoreBounds(undefined, screenArea, { width: 1400, height: 900 })).toEqual({
      width: 1400,
      height: 900,
    });
  });
});
