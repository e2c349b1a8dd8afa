/**
 * Live state of the case: a data version that changes when captures change (and every few
 * seconds while an ingest runs, so flows appear in the views as they are written) and the
 * latest ingest progress per capture. Two contexts, so that views keyed on the version do not
 * re-render on every progress tick.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { IngestProgress } from '../../../shared/api-types';
import { useClient } from '../api/api-context';

/** How often views refresh while an ingest is writing flows. */
const INGEST_REFRESH_MS = 2000;

interface DataVersion {
  /** Changes whenever the case's data changed; views put it in their query keys. */
  version: number;
  bump: () => void;
}

interface IngestState {
  /** Progress of ingests under way, by capture id. */
  progress: ReadonlyMap<number, IngestProgress>;
  /** Forgets an ingest's progress once the captures list says it ended. */
  finish: (captureId: number) => void;
}

const DataVersionContext = createContext<DataVersion | undefined>(undefined);
const IngestContext = createContext<IngestState | undefined>(undefined);

export function LiveDataProvider({ children }: { children: ReactNode }) {
  const { api } = useClient();
  const [version, setVersion] = useState(0);
  const [progress, setProgress] = useState<ReadonlyMap<number, IngestProgress>>(new Map());
  const lastBump = useRef(0);
  const bump = useCallback(() => {
    lastBump.current = Date.now();
    setVersion((value) => value + 1);
  }, []);

  useEffect(() => {
    const offChanged = api.on('captures.changed', bump);
    const offProgress = api.on('ingest.progress', (update) => {
      setProgress((previous) => new Map(previous).set(update.captureId, update));
      if (Date.now() - lastBump.current >= INGEST_REFRESH_MS) bump();
      // The file is read: the capture's status changes soon after, even if no event says so.
      if (update.totalBytes > 0 && update.bytesRead >= update.totalBytes) setTimeout(bump, 1000);
    });
    return () => {
      offChanged();
      offProgress();
    };
  }, [api, bump]);

  const finish = useCallback(
    (captureId: number) =>
      setProgress((previous) => {
        if (!previous.has(captureId)) return previous;
        const next = new Map(previous);
        next.delete(captureId);
        return next;
      }),
    [],
  );
  const versionValue = useMemo(() => ({ version, bump }), [version, bump]);
  const ingestValue = useMemo(() => ({ progress, finish }), [progress, finish]);
  return (
    <DataVersionContext.Provider value={versionValue}>
      <IngestContext.Provider value={ingestValue}>{children}</IngestContext.Provider>
    </DataVersionContext.Provider>
  );
}

export function useDataVersion(): DataVersion {
  const value = useContext(DataVersionContext);
  if (!value) throw new Error('useDataVersion outside <LiveDataProvider>');
  return value;
}

export function useIngestProgress(): IngestState {
  const value = useContext(IngestContext);
  if (!value) throw new Error('useIngestProgress outside <LiveDataProvider>');
  return value;
}
