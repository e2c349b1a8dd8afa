/** Chooses the transport at startup: the Electron preload's `window.flowlab`, else HTTP. */
import type { FlowlabApi } from '../../../shared/api-contract';
import { createHttpClient } from './http-client';

declare global {
  interface Window {
    flowlab?: FlowlabApi;
  }
}

export interface PickedClient {
  api: FlowlabApi;
  /** 'desktop' opens captures from the menu and drag-drop; 'browser' by typed paths. */
  mode: 'desktop' | 'browser';
  /** Desktop only: the path of a dropped file. */
  pathForFile?: (file: File) => string;
}

export function pickClient(host: { flowlab?: FlowlabApi } = window): PickedClient {
  const desktop = host.flowlab;
  if (desktop) {
    const picked: PickedClient = { api: desktop, mode: 'desktop' };
    if (typeof desktop.pathForFile === 'function') picked.pathForFile = (file) => desktop.pathForFile!(file);
    return picked;
  }
  return { api: createHttpClient(), mode: 'browser' };
}
