/** Ground-truth import: a CSV file (five-tuple + time, IP + window, or CICIDS2017 rows). */
import { useState } from 'react';
import type { LabelImportFormat } from '../../../shared/label-types';
import { useClient } from '../api/api-context';
import { errorMessage } from '../common/use-async';

export function ImportPanel() {
  const { api } = useClient();
  const [format, setFormat] = useState<LabelImportFormat>('five-tuple');
  const [offset, setOffset] = useState('0');
  const [status, setStatus] = useState<{ text: string; error?: boolean } | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const load = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    setBusy(true);
    try {
      const result = await api.labelsImport({
        format,
        text: await file.text(),
        utcOffsetMinutes: Number(offset) || 0,
      });
      const examples = result.examples.length ? ` (${result.examples.join('; ')})` : '';
      setStatus({
        text: `${result.matchedRows} of ${result.rows} rows matched ${result.flows} flows, ${result.conflicts} in conflict, ${result.skippedRows} rows unreadable${examples}`,
      });
    } catch (error) {
      setStatus({ text: errorMessage(error), error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="labels-panel">
      <h3>Import ground truth</h3>
      <div className="form-row">
        <select
          aria-label="Import format"
          value={format}
          onChange={(event) => setFormat(event.target.value as LabelImportFormat)}
        >
          <option value="five-tuple">
            5-tuple + time (src_ip, src_port, dst_ip, dst_port, protocol, time, label)
          </option>
          <option value="ip">IP + time window (ip, label, start, end)</option>
          <option value="cicids2017">CICIDS2017 rows</option>
        </select>
        <label>
          UTC offset (min){' '}
          <input
            aria-label="UTC offset in minutes"
            value={offset}
            onChange={(event) => setOffset(event.target.value)}
            size={5}
          />
        </label>
        <input
          aria-label="CSV file"
          type="file"
          accept=".csv,text/csv"
          disabled={busy}
          onChange={(event) => void load(event.target.files?.[0])}
        />
      </div>
      {status && <p className={status.error ? 'error-text' : 'muted'}>{status.text}</p>}
    </section>
  );
}
