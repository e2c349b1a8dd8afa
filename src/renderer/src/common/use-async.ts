/**
 * Runs a query when its key changes (and only while `enabled`, so hidden views do not load);
 * keeps the previous data while the next loads, drops stale responses, times each call.
 */
import { useEffect, useRef, useState } from 'react';

export interface AsyncState<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  /** Milliseconds the last successful call took (the speed budgets, shown in the UI). */
  elapsedMs: number | undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function useAsync<T>(load: () => Promise<T>, key: string, enabled = true): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ data: undefined, error: undefined, loading: false, elapsedMs: undefined });
  const loadRef = useRef(load);
  const loadedKey = useRef<string | undefined>(undefined);
  useEffect(() => {
    loadRef.current = load;
  });
  useEffect(() => {
    if (!enabled || loadedKey.current === key) return;
    loadedKey.current = key;
    let current = true;
    let done = false;
    const started = performance.now();
    setState((previous) => ({ ...previous, loading: true }));
    loadRef.current().then(
      (data) => {
        done = true;
        if (current) setState({ data, error: undefined, loading: false, elapsedMs: performance.now() - started });
      },
      (error: unknown) => {
        done = true;
        if (current) setState((previous) => ({ ...previous, error: errorMessage(error), loading: false }));
      },
    );
    return () => {
      current = false;
      // A call cut short must not leave this key marked as loaded.
      if (!done && loadedKey.current === key) loadedKey.current = undefined;
    };
  }, [key, enabled]);
  return state;
}
