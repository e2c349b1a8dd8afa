import { describe, expect, it } from 'vitest';
import { carveRequest, carveRequestFor, carveScopes, carveScopeText, defaultExportForm, exportFileName, exportRequest, formProblem, progressText } from '../../../src/renderer/src/export/export-model';

const filter = { expression: 'dst_port = 443' };

describe('export dialog model (issue #4)', () => {
  const form = { ...defaultExportForm(new Date('2024-05-06T07:08:09Z')) };

  it('names the file after the time and the chosen format', () => {
    expect(exportFileName(form)).toBe('flows-20240506-070809.csv');
    expect(exportFileName({ ...form, format: 'parquet' })).toBe('flows-20240506-070809.parquet');
    expect(exportFileName({ ...form, kind: 'carve', carveFormat: 'pcap' })).toBe('flows-20240506-070809.pcap');
  });

  it('turns the form into an export request with the current filter', () => {
    expect(exportRequest({ ...form, columns: ' flow_id, label ,', labeledOnly: true, split: true, trainPercent: 75, seed: 9, derived: ['ip_integers'] }, filter)).toEqual({
      fileName: 'flows-20240506-070809.csv',
      format: 'csv',
      target: 'flows',
      filter,
      columns: ['flow_id', 'label'],
      labeledOnly: true,
      split: { trainFraction: 0.75, seed: 9, by: 'class' },
      derived: ['ip_integers'],
      neutralizeFormulas: true,
    });
  });

  it('drops columns and derived features the CICIDS2017 layout and packet export cannot take', () => {
    const cic = exportRequest({ ...form, format: 'cicids2017', columns: 'flow_id', derived: ['ip_integers'] }, {});
    expect(cic.columns).toBeUndefined();
    expect(cic.derived).toBeUndefined();
    expect(exportRequest({ ...form, kind: 'packets', derived: ['ip_integers'] }, {}).derived).toBeUndefined();
  });

  it('carves the filter, or only the given flows', () => {
    expect(carveRequest({ ...form, kind: 'carve' }, filter)).toEqual({ fileName: 'flows-20240506-070809.pcapng', filter });
    expect(carveRequest({ ...form, kind: 'carve' }, filter, [7]).flowIds).toEqual([7]);
  });

  it('explains what blocks sending', () => {
    expect(formProblem(form)).toBeUndefined();
    expect(formProblem({ ...form, baseName: '../etc/passwd' })).toMatch(/File name/);
    expect(formProblem({ ...form, split: true, trainPercent: 100 })).toMatch(/Train share/);
    expect(formProblem({ ...form, kind: 'packets', format: 'cicids2017' })).toMatch(/for flows/);
  });

  it('describes progress events', () => {
    expect(progressText({ jobId: 1, kind: 'export', fraction: 0.426, state: 'running' })).toBe('Exporting… 43 %');
    expect(progressText({ jobId: 1, kind: 'carve', fraction: 1, state: 'failed', message: 'No packets match' })).toBe('Failed: No packets match');
  });
});

describe('issue #4 - the carve action carves the selected flows when rows are selected', () => {
  const form = { ...defaultExportForm(new Date('2024-05-06T07:08:09Z')), kind: 'carve' as const };

  it('offers the selection first when there is one, then the filter, then the open flow', () => {
    expect(carveScopes(3, 42)).toEqual(['selected', 'filter', 'open']);
    expect(carveScopes(0, 42)).toEqual(['filter', 'open']);
    expect(carveScopes(0, undefined)).toEqual(['filter']);
  });

  it('says which flows it carves', () => {
    expect(carveScopeText('selected', 3, filter)).toBe('The 3 selected flows');
    expect(carveScopeText('selected', 1, filter)).toBe('The 1 selected flow');
    expect(carveScopeText('filter', 3, filter)).toBe('Every flow of the current filter: dst_port = 443');
    expect(carveScopeText('filter', 0, { expression: '' })).toBe('Every flow of the current filter (all flows)');
    expect(carveScopeText('open', 0, filter, 42)).toBe('The open flow (42)');
  });

  it('sends exactly the selected or open flows, or the filter', () => {
    expect(carveRequestFor(form, 'selected', filter, [5, 9], 42)).toEqual({ fileName: 'flows-20240506-070809.pcapng', flowIds: [5, 9] });
    expect(carveRequestFor(form, 'open', filter, [5, 9], 42)).toEqual({ fileName: 'flows-20240506-070809.pcapng', flowIds: [42] });
    expect(carveRequestFor(form, 'filter', filter, [5, 9], 42)).toEqual({ fileName: 'flows-20240506-070809.pcapng', filter });
    // An empty selection falls back to the filter rather than carving nothing.
    expect(carveRequestFor(form, 'selected', filter, [], undefined)).toEqual({ fileName: 'flows-20240506-070809.pcapng', filter });
  });

  it('asks for microsecond timestamps only for a .pcap', () => {
    const pcap = { ...form, carveFormat: 'pcap' as const, carveMicroseconds: true };
    expect(carveRequestFor(pcap, 'selected', filter, [5], undefined)).toEqual({ fileName: 'flows-20240506-070809.pcap', flowIds: [5], timeResolution: 'us' });
    expect(carveRequestFor({ ...pcap, carveFormat: 'pcapng' }, 'selected', filter, [5], undefined).timeResolution).toBeUndefined();
  });
});
