/** Native-menu commands in the renderer (the `menu.command` event; desktop only). */
import { useEffect, useRef } from 'react';
import type { FlowlabApi } from '../../../shared/api-contract';
import { isMenuCommand } from '../../../shared/menu-commands';
import type { MenuCommand } from '../../../shared/menu-commands';
import { useClient } from '../api/api-context';

/** Calls `run` on every `command` from the menu; returns the unsubscribe. */
export function onMenuCommand(api: Pick<FlowlabApi, 'on'>, command: MenuCommand, run: () => void): () => void {
  return api.on('menu.command', (payload) => {
    if (isMenuCommand(payload?.command) && payload.command === command) run();
  });
}

/** Runs `run` (latest render's) whenever the native menu sends `command`. */
export function useMenuCommand(command: MenuCommand, run: () => void): void {
  const { api } = useClient();
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  useEffect(() => onMenuCommand(api, command, () => latest.current()), [api, command]);
}
