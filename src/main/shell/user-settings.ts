/**
 * The desktop app's remembered state in userData/flowlab-settings.json: window bounds and the
 * recent cases and captures. Plain Node (tested without Electron).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WindowBounds } from './window-options';

export interface RecentEntry {
  kind: 'case' | 'capture';
  path: string;
}

export interface UserSettings {
  window?: WindowBounds & { maximized?: boolean };
  recent: RecentEntry[];
}

export const MAX_RECENT = 10;

/** Reads the settings; a missing or damaged file gives the defaults. */
export function loadSettings(file: string): UserSettings {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<UserSettings>;
    const recent = Array.isArray(parsed.recent)
      ? parsed.recent.filter(
          (entry): entry is RecentEntry =>
            (entry?.kind === 'case' || entry?.kind === 'capture') && typeof entry.path === 'string',
        )
      : [];
    const window =
      parsed.window && Number.isFinite(parsed.window.width) && Number.isFinite(parsed.window.height)
        ? parsed.window
        : undefined;
    return { recent: recent.slice(0, MAX_RECENT), ...(window ? { window } : {}) };
  } catch {
    return { recent: [] };
  }
}

/** Writes the settings atomically (temp file + rename). */
export function saveSettings(file: string, settings: UserSettings): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(settings, null, 2));
  renameSync(temporary, file);
}

/** `entry` first, without duplicates, at most MAX_RECENT. */
export function addRecent(settings: UserSettings, entry: RecentEntry): UserSettings {
  const rest = settings.recent.filter((item) => !(item.kind === entry.kind && item.path === entry.path));
  return { ...settings, recent: [entry, ...rest].slice(0, MAX_RECENT) };
}

/**
 * The remembered bounds if they still overlap a display's work area by at least 100x100
 * pixels (a monitor may have been unplugged); otherwise only the size, clamped to 400x300.
 */
export function restoreBounds(
  saved: WindowBounds | undefined,
  workAreas: { x: number; y: number; width: number; height: number }[],
  fallback: WindowBounds,
): WindowBounds {
  if (!saved) return fallback;
  const size = {
    width: Math.max(400, Math.round(saved.width)),
    height: Math.max(300, Math.round(saved.height)),
  };
  if (saved.x === undefined || saved.y === undefined) return size;
  const { x, y } = saved;
  const visible = workAreas.some((area) => {
    const overlapX = Math.min(x + size.width, area.x + area.width) - Math.max(x, area.x);
    const overlapY = Math.min(y + size.height, area.y + area.height) - Math.max(y, area.y);
    return overlapX >= 100 && overlapY >= 100;
  });
  return visible ? { x: Math.round(x), y: Math.round(y), ...size } : size;
}
