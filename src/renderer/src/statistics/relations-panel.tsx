/**
 * Two-group comparison (Welch t-test and two-sample KS of one column between two filter
 * expressions, e.g. malicious vs benign) and linear regression of one column on others, both
 * within the shared filter.
 */
import { useState } from 'react';
import type { FlowFilter } from '../../../shared/query-types';
import type { CompareResult, RegressionResult, StatsSource } from '../../../shared/stats-types';
import { useClient } from '../api/api-context';
import { errorMessage } from '../common/use-async';
import {
  compareRequest,
  compareTable,
  regressionRequest,
  regressionTable,
  regressorList,
} from './build-relations';
import type { StatsTable } from './build-relations';

interface Props {
  source: StatsSource;
  filter: FlowFilter;
  column: string;
}

function Table({ table, testId }: { table: StatsTable; testId: string }) {
  return (
    <table className="profile-table" data-testid={testId}>
      <thead>
        <tr>
          {table.headers.map((header, index) => (
            <th key={index}>{header}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map(([name, ...cells]) => (
          <tr key={name}>
            <th>{name}</th>
            {cells.map((cell, index) => (
              <td key={index}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RelationsPanel({ source, filter, column }: Props) {
  const { api } = useClient();
  const [groupA, setGroupA] = useState("label = 'malicious'");
  const [groupB, setGroupB] = useState("label = 'benign'");
  const [regressors, setRegressors] = useState('bidirectional_packets, duration_ms');
  const [comparison, setComparison] = useState<{ result: CompareResult; a: string; b: string }>();
  const [fit, setFit] = useState<RegressionResult>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  const compare = () =>
    attempt(async () =>
      setComparison({
        result: await api.statsCompare(compareRequest(filter, source, column, groupA, groupB)),
        a: groupA,
        b: groupB,
      }),
    );
  const regress = () =>
    attempt(async () =>
      setFit(
        await api.statsRegression(
          regressionRequest(filter, source, column, regressorList(regressors, column)),
        ),
      ),
    );
  const fitTables = fit ? regressionTable(fit) : undefined;

  return (
    <section className="stats-relations" data-testid="stats-relations">
      <div className="toolbar">
        <strong>Compare {column}</strong>
        <label>
          group A{' '}
          <input
            value={groupA}
            onChange={(event) => setGroupA(event.target.value)}
            aria-label="Group A expression"
            size={24}
          />
        </label>
        <label>
          group B{' '}
          <input
            value={groupB}
            onChange={(event) => setGroupB(event.target.value)}
            aria-label="Group B expression"
            size={24}
          />
        </label>
        <button type="button" onClick={() => void compare()} disabled={busy} data-testid="stats-compare">
          t-test and KS
        </button>
      </div>
      <div className="toolbar">
        <strong>Regress {column} on</strong>
        <input
          value={regressors}
          onChange={(event) => setRegressors(event.target.value)}
          aria-label="Explanatory columns"
          size={48}
        />
        <button
          type="button"
          onClick={() => void regress()}
          disabled={busy || regressorList(regressors, column).length === 0}
          data-testid="stats-regress"
        >
          Linear regression
        </button>
      </div>
      {error && <div className="error-banner">{error}</div>}
      {comparison && (
        <>
          <h4>
            {column}: {comparison.a || '(all)'} vs {comparison.b || '(all)'}
          </h4>
          <Table table={compareTable(comparison.result, comparison.a, comparison.b)} testId="compare-table" />
        </>
      )}
      {fit && fitTables && (
        <>
          <h4>Linear regression of {fit.y}</h4>
          <Table table={fitTables.coefficients} testId="regression-table" />
          <p className="muted" data-testid="regression-summary">
            {fitTables.summary.map(([name, value]) => `${name} ${value}`).join(' · ')}
          </p>
        </>
      )}
    </section>
  );
}
