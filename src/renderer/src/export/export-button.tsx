/** "Export…" in the flows toolbar (also Ctrl+E and File > Export…): opens the Export dialog, loaded on first use. */
import { Suspense, lazy, useEffect, useState } from 'react';
import { useMenuCommand } from './menu-command';

const ExportDialog = lazy(() => import('./export-dialog').then((module) => ({ default: module.ExportDialog })));

export function ExportButton({ openFlowId, active = true }: { openFlowId?: number | undefined; active?: boolean }) {
  const [open, setOpen] = useState(false);
  // File > Export… in the desktop menu (the app switches to the Flows view, see app.tsx).
  useMenuCommand('export', () => setOpen(true));
  useEffect(() => {
    if (!active) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'e') {
        event.preventDefault();
        setOpen(true);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [active]);
  return (
    <>
      <button type="button" title="Export flows, packets or a pcap (Ctrl+E)" onClick={() => setOpen(true)}>
        Export…
      </button>
      {open && (
        <Suspense fallback={null}>
          <ExportDialog onClose={() => setOpen(false)} openFlowId={openFlowId} />
        </Suspense>
      )}
    </>
  );
}
