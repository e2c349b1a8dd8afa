import { describe, expect, it } from 'vitest';
import type { ValueFormatterParams } from 'ag-grid-community';
import { FLOW_COLUMNS } from '../../../src/shared/flow-schema';
import { flowColumnDefs } from '../../../src/renderer/src/flows/column-defs';
import type { FlowRow } from '../../../src/renderer/src/flows/column-defs';
import { COLUMN_GROUPS, DEFAULT_VISIBLE_COLUMNS, GRID_COLUMNS, columnGroup, displayKind, groupColumns } from '../../../src/renderer/src/flows/flow-columns';

const byName = (name: string) => FLOW_COLUMNS.find((column) => column.name === name)!;
const defs = flowColumnDefs(FLOW_COLUMNS);
const def = (name: string) => defs.find((entry) => entry.colId === name)!;
const format = (name: string, value: unknown) =>
  (def(name).valueFormatter as ((params: ValueFormatterParams<FlowRow>) => string) | undefined)?.({ value } as ValueFormatterParams<FlowRow>) ?? String(value);

describe('flowColumnDefs', () => {
  it('offers every flow column, the default set visible and first', () => {
    expect(defs.map((entry) => entry.colId).sort()).toEqual(FLOW_COLUMNS.map((column) => column.name).sort());
    expect(defs.slice(0, DEFAULT_VISIBLE_COLUMNS.length).map((entry) => entry.colId)).toEqual([...DEFAULT_VISIBLE_COLUMNS]);
    expect(defs.filter((entry) => !entry.hide).map((entry) => entry.colId)).toEqual([...DEFAULT_VISIBLE_COLUMNS]);
  });

  it('chooses the filter by SQL type, one condition per column', () => {
    expect(def('dst_port').filter).toBe('agNumberColumnFilter');
    expect(def('tls_sni').filter).toBe('agTextColumnFilter');
    expect(def('first_seen').filter).toBe('agDateColumnFilter');
    expect(def('first_seen').filterParams).toMatchObject({ includeTime: true, maxNumConditions: 1 });
  });

  it('formats for humans while the field stays the raw column', () => {
    expect(def('bidirectional_bytes').field).toBe('bidirectional_bytes');
    expect(format('bidirectional_bytes', 1_572_864)).toBe('1.50 MB');
    expect(format('duration_ms', 1500)).toBe('1.50 s');
    expect(format('first_seen', '2024-01-01T00:00:01.5Z')).toBe('2024-01-01 00:00:01.5');
    expect(format('protocol', 17)).toBe('UDP');
    expect(format('bidirectional_packets', 12345)).toBe('12,345');
    expect(def('dst_port').valueFormatter).toBeUndefined();
  });

  it('puts every column in a group', () => {
    expect(displayKind(byName('src2dst_mean_ps'))).toBe('decimal');
    expect(displayKind(byName('src2dst_header_bytes'))).toBe('bytes');
    expect(columnGroup('src2dst_syn_packets')).toBe('TCP');
    expect(columnGroup('bidirectional_bytes')).toBe('Volume');
    expect(columnGroup('dns_query')).toBe('Application');
    expect(columnGroup('idle_max_ms')).toBe('Activity and bulk');
    expect(columnGroup('predicted_class')).toBe('Model');
    expect(columnGroup('predicted_probability')).toBe('Model');
    // Every flow column plus the two prediction columns (issue #6), each in one group.
    const grouped = groupColumns().flatMap((entry) => entry.columns);
    expect(grouped).toHaveLength(GRID_COLUMNS.length);
    expect(GRID_COLUMNS.length).toBe(FLOW_COLUMNS.length + 2);
    expect(new Set(groupColumns().map((entry) => entry.group)).size).toBeLessThanOrEqual(COLUMN_GROUPS.length);
  });
});
