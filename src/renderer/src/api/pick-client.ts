/** Chooses the transport at startup: the Electron preload's `window.flowlab`, else HTTP. */
import type { FlowlabApi } from '../../../shared/api-contract';
import { createHttpClient } from './http-client';

/** What the Electron preload exposes: the API plus a path for a dropped file. */
export type DesktopApi = FlowlabApi & { pathForFile?: (file: File) => string };

declare global {
  interface Window {
    flowlab?: DesktopApi;
  }
}

export interface PickedClient {
  api: FlowlabApi;
  /** 'desktop' opens captures from the menu and drag-drop; 'browser' by typed paths. */
  mode: 'desktop' | 'browser';
  pathForFile?: (file: File) => string;
}

export function pickClient(host: { flowlab?: DesktopApi } = window): PickedClient {
  const desktop = host.flowlab;
  if (desktop) {
    const picked: PickedClient = { api: desktop, mode: 'desktop' };
    if (typeof desktop.pathForFile === 'function') picked.pathForFile = (file) => desktop.pathForFile!(file);
    return picked;
  }
  return { api: createHttpClient(), mode: 'browser' };
}
