/** A dashboard card: the chart, or its loading / empty / error state, and the query time. */
import type { ReactNode } from 'react';
import type { AsyncState } from '../common/use-async';

interface Props {
  title: string;
  state: Pick<AsyncState<unknown>, 'loading' | 'error' | 'elapsedMs'>;
  empty: boolean;
  controls?: ReactNode;
  className?: string;
  children: ReactNode;
}

export function ChartCard({ title, state, empty, controls, className, children }: Props) {
  return (
    <section className={`card ${className ?? ''}`} aria-label={title} data-testid="chart-card">
      {controls && <div className="card-controls">{controls}</div>}
      <div className="card-body">
        {children}
        {state.error && <div className="card-overlay error">{state.error}</div>}
        {!state.error && empty && !state.loading && <div className="card-overlay muted">No data for the current filter</div>}
        {state.loading && <div className="card-spinner" aria-label="Loading" />}
      </div>
      {state.elapsedMs !== undefined && (
        <div className="card-timing" title="Query time">
          {Math.round(state.elapsedMs)} ms
        </div>
      )}
    </section>
  );
}
