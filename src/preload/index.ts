/** Preload: exposes the typed API, one function per channel (never a generic invoke). */
import { contextBridge, ipcRenderer } from 'electron';
import type { ApiEvents, FlowlabApi } from '../shared/api-contract';

const api: FlowlabApi = {
  listCaptures: () => ipcRenderer.invoke('captures.list'),
  removeCapture: (request) => ipcRenderer.invoke('captures.remove', request),
  startIngest: (request) => ipcRenderer.invoke('ingest.start', request),
  cancelIngest: () => ipcRenderer.invoke('ingest.cancel'),
  onIngestProgress: (listener) => {
    const handler = (_event: unknown, progress: ApiEvents['ingest.progress']) => listener(progress);
    ipcRenderer.on('ingest.progress', handler);
    return () => ipcRenderer.off('ingest.progress', handler);
  },
};

contextBridge.exposeInMainWorld('flowlab', api);
