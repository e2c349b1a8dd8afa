/** The Export dialog: flows or packets to CSV/Parquet/CICIDS2017, or the flows' packets carved to pcap. */
import { useEffect, useState } from 'react';
import { DERIVED_FEATURES } from '../../../shared/export-types';
import type { ExportProgress } from '../../../shared/export-types';
import { useClient } from '../api/api-context';
import { useFlowFilter } from '../filter/filter-context';
import { carveRequestFor, carveScopes, carveScopeText, defaultExportForm, exportFileName, exportRequest, formProblem, progressText } from './export-model';
import type { CarveScope, ExportForm } from './export-model';
import { useFlowSelection } from './flow-selection';
import './export-dialog.css';

interface Written {
  path: string;
  detail: string;
  carved: boolean;
}

export function ExportDialog({ onClose, openFlowId }: { onClose: () => void; openFlowId?: number | undefined }) {
  const { api } = useClient();
  const { filter } = useFlowFilter();
  const [form, setForm] = useState<ExportForm>(() => defaultExportForm());
  const selected = useFlowSelection();
  const scopes = carveScopes(selected.length, openFlowId);
  const [chosenScope, setScope] = useState<CarveScope>(() => scopes[0]!);
  const scope = scopes.includes(chosenScope) ? chosenScope : scopes[0]!;
  const [progress, setProgress] = useState<ExportProgress | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [written, setWritten] = useState<Written[]>([]);
  const [directory, setDirectory] = useState('');
  const [note, setNote] = useState('');
  const set = <K extends keyof ExportForm>(key: K, value: ExportForm[K]) => setForm((previous) => ({ ...previous, [key]: value }));
  const problem = formProblem(form);

  useEffect(() => api.on('export.progress', setProgress), [api]);
  useEffect(() => {
    void api.exportDirectory().then((result) => setDirectory(result.path), () => undefined);
  }, [api]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && !busy && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [busy, onClose]);

  const start = async () => {
    setBusy(true);
    setError(undefined);
    setWritten([]);
    try {
      if (form.kind === 'carve') {
        const result = await api.exportCarve(carveRequestFor(form, scope, filter, selected, openFlowId));
        setWritten([{ path: result.path, detail: `${result.packets} packets`, carved: true }]);
      } else {
        const result = await api.exportFlows(exportRequest(form, filter));
        setWritten(result.files.map((file) => ({ path: file.path, detail: `${file.rows} rows${file.part ? ` (${file.part})` : ''}`, carved: false })));
      }
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="export-backdrop" role="presentation">
      <div className="export-dialog" role="dialog" aria-modal="true" aria-label="Export" data-testid="export-dialog">
        <h2>Export</h2>
        <fieldset className="export-kind">
          {(['flows', 'packets', 'carve'] as const).map((kind) => (
            <label key={kind}>
              <input type="radio" name="export-kind" checked={form.kind === kind} onChange={() => set('kind', kind)} />
              {kind === 'flows' ? 'Flows' : kind === 'packets' ? 'Packet index' : 'Packets as pcap (carve)'}
            </label>
          ))}
        </fieldset>
        <p className="muted" data-testid="export-scope">
          {form.kind === 'carve' ? `Carves: ${carveScopeText(scope, selected.length, filter, openFlowId)}.` : `Rows of the current filter${filter.expression ? `: ${filter.expression}` : ' (all flows)'}.`}
        </p>
        {form.kind === 'carve' ? (
          <div className="export-grid">
            <label>
              Format
              <select aria-label="Capture format" value={form.carveFormat} onChange={(event) => set('carveFormat', event.target.value as 'pcap' | 'pcapng')}>
                <option value="pcapng">pcapng</option>
                <option value="pcap">pcap</option>
              </select>
            </label>
            {form.carveFormat === 'pcap' && (
              <label>
                <input type="checkbox" checked={form.carveMicroseconds} onChange={(event) => set('carveMicroseconds', event.target.checked)} /> Microsecond timestamps
              </label>
            )}
            <fieldset className="export-carve-scope" aria-label="Flows to carve">
              {scopes.map((option) => (
                <label key={option}>
                  <input type="radio" name="carve-scope" checked={scope === option} onChange={() => setScope(option)} />
                  {carveScopeText(option, selected.length, filter, openFlowId)}
                </label>
              ))}
            </fieldset>
          </div>
        ) : (
          <div className="export-grid">
            <label>
              Format
              <select aria-label="Export format" value={form.format} onChange={(event) => set('format', event.target.value as ExportForm['format'])}>
                <option value="csv">CSV</option>
                <option value="parquet">Parquet</option>
                {form.kind === 'flows' && <option value="cicids2017">CICIDS2017 layout (CSV)</option>}
              </select>
            </label>
            {form.format !== 'cicids2017' && (
              <label>
                Columns
                <input aria-label="Columns" placeholder="all columns + label" value={form.columns} onChange={(event) => set('columns', event.target.value)} />
              </label>
            )}
            <label>
              <input type="checkbox" checked={form.labeledOnly} onChange={(event) => set('labeledOnly', event.target.checked)} /> Labeled flows only
            </label>
            {form.format !== 'parquet' && (
              <label>
                <input type="checkbox" checked={form.neutralizeFormulas} onChange={(event) => set('neutralizeFormulas', event.target.checked)} /> Neutralise spreadsheet formulas
              </label>
            )}
            <label>
              <input type="checkbox" checked={form.split} onChange={(event) => set('split', event.target.checked)} /> Train/test split
            </label>
            {form.split && (
              <span className="export-split">
                <input aria-label="Train percent" type="number" min={1} max={99} value={form.trainPercent} onChange={(event) => set('trainPercent', Number(event.target.value))} /> % train, seed
                <input aria-label="Seed" type="number" value={form.seed} onChange={(event) => set('seed', Number(event.target.value))} /> by
                <select aria-label="Split by" value={form.splitBy} onChange={(event) => set('splitBy', event.target.value as 'class' | 'capture')}>
                  <option value="class">class</option>
                  <option value="capture">capture</option>
                </select>
              </span>
            )}
            {form.kind === 'flows' && form.format !== 'cicids2017' && (
              <fieldset className="export-derived">
                <legend>Derived ML features</legend>
                {DERIVED_FEATURES.map((feature) => (
                  <label key={feature.id} title={feature.columns.join(', ')}>
                    <input
                      type="checkbox"
                      checked={form.derived.includes(feature.id)}
                      onChange={(event) => set('derived', event.target.checked ? [...form.derived, feature.id] : form.derived.filter((id) => id !== feature.id))}
                    />
                    {feature.label}
                  </label>
                ))}
              </fieldset>
            )}
          </div>
        )}
        <label className="export-name">
          File name
          <input aria-label="File name" value={form.baseName} onChange={(event) => set('baseName', event.target.value)} />
          <span className="muted">→ {directory ? `${directory}/` : ''}{exportFileName(form)}</span>
        </label>
        {problem && <div className="error-text">{problem}</div>}
        {error && <div className="error-banner" data-testid="export-error">{error}</div>}
        <div className="export-status" data-testid="export-status">{busy || progress?.state !== 'running' ? progressText(progress) : ''}</div>
        {written.length > 0 && (
          <ul className="export-written" data-testid="export-written">
            {written.map((file) => (
              <li key={file.path}>
                <code>{file.path}</code> {file.detail}
                {file.carved && (
                  <button type="button" onClick={() => void api.exportOpenInWireshark({ path: file.path }).then((result) => setNote(result.opened ? 'Opened in Wireshark' : (result.message ?? '')), (caught: unknown) => setNote(String(caught)))}>
                    Open in Wireshark
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {note && <div className="muted">{note}</div>}
        <div className="export-actions">
          {busy ? (
            <button type="button" onClick={() => void api.exportCancel({})}>
              Cancel export
            </button>
          ) : (
            <button type="button" className="primary" disabled={problem !== undefined} onClick={() => void start()}>
              {form.kind === 'carve' ? 'Carve' : 'Export'}
            </button>
          )}
          <button type="button" disabled={busy} onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
