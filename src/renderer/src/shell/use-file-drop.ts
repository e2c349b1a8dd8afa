/** Desktop only: capture files dropped onto the window are ingested by path. */
import { useEffect } from 'react';
import { useClient } from '../api/api-context';

export function useFileDrop(onDropped: () => void): void {
  const { api, pathForFile } = useClient();
  useEffect(() => {
    if (!pathForFile) return;
    const over = (event: DragEvent): void => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    };
    const drop = (event: DragEvent): void => {
      const files = [...(event.dataTransfer?.files ?? [])];
      if (!files.length) return;
      event.preventDefault();
      const paths = files.map((file) => pathForFile(file)).filter(Boolean);
      if (!paths.length) return;
      onDropped();
      void api.ingestStart({ paths }).catch((error: unknown) => console.error('Ingest of dropped files failed', error));
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [api, pathForFile, onDropped]);
}
