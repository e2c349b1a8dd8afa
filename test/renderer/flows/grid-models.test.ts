import { describe, expect, it } from 'vitest';
import type { ColumnFilter } from '../../../src/shared/query-types';
import { FLOW_COLUMN_TYPES } from '../../../src/renderer/src/flows/flow-column-types';
import {
  formatGridDate,
  parseGridDate,
  toAgFilterModel,
  toColumnFilter,
  toColumnFilters,
  toSortKeys,
} from '../../../src/renderer/src/flows/grid-models';

describe('toSortKeys', () => {
  it('maps the grid sort model in order', () => {
    expect(toSortKeys([{ colId: 'bidirectional_bytes', sort: 'desc' }, { colId: 'first_seen', sort: 'asc' }])).toEqual([
      { column: 'bidirectional_bytes', direction: 'desc' },
      { column: 'first_seen', direction: 'asc' },
    ]);
  });
});

describe('toColumnFilters', () => {
  it('maps number, text, blank and range models', () => {
    const filters = toColumnFilters(
      {
        dst_port: { filterType: 'number', type: 'equals', filter: 443 },
        src2dst_packets: { filterType: 'number', type: 'inRange', filter: 10, filterTo: 20 },
        duration_ms: { filterType: 'number', type: 'greaterThanOrEqual', filter: 1.5 },
        tls_sni: { filterType: 'text', type: 'contains', filter: 'example' },
        dns_query: { filterType: 'text', type: 'blank' },
        http_host: { filterType: 'text', type: 'notBlank' },
      },
      FLOW_COLUMN_TYPES,
    );
    expect(filters).toEqual({
      dst_port: { kind: 'number', op: 'eq', value: 443 },
      src2dst_packets: { kind: 'number', op: 'between', value: 10, valueTo: 20 },
      duration_ms: { kind: 'number', op: 'ge', value: 1.5 },
      tls_sni: { kind: 'text', op: 'contains', value: 'example' },
      dns_query: { kind: 'blank', blank: true },
      http_host: { kind: 'blank', blank: false },
    });
  });

  it('maps date filters on TIMESTAMP columns to epoch milliseconds (UTC)', () => {
    const at = Date.UTC(2024, 4, 24, 10, 30, 0);
    expect(toColumnFilter({ filterType: 'date', type: 'greaterThan', dateFrom: '2024-05-24T10:30:00' }, 'TIMESTAMP')).toEqual({ kind: 'number', op: 'gt', value: at });
    expect(toColumnFilter({ filterType: 'date', type: 'equals', dateFrom: '2024-05-24 10:30:00' }, 'TIMESTAMP')).toEqual({
      kind: 'number',
      op: 'between',
      value: at,
      valueTo: at + 999,
    });
    expect(
      toColumnFilter({ filterType: 'date', type: 'inRange', dateFrom: '2024-05-24T10:30:00', dateTo: '2024-05-25T00:00:00' }, 'TIMESTAMP'),
    ).toEqual({ kind: 'number', op: 'between', value: at, valueTo: Date.UTC(2024, 4, 25) });
  });

  it('drops incomplete and unsupported models instead of sending them', () => {
    expect(toColumnFilter({ filterType: 'number', type: 'equals', filter: null }, 'INTEGER')).toBeUndefined();
    expect(toColumnFilter({ filterType: 'number', type: 'inRange', filter: 1 }, 'INTEGER')).toBeUndefined();
    expect(toColumnFilter({ filterType: 'text', type: 'contains', filter: '' }, 'VARCHAR')).toBeUndefined();
    expect(toColumnFilter({ filterType: 'text', type: 'regex', filter: '.*' }, 'VARCHAR')).toBeUndefined();
    expect(toColumnFilter({ filterType: 'date', type: 'equals', dateFrom: 'garbage' }, 'TIMESTAMP')).toBeUndefined();
    expect(
      toColumnFilter(
        { filterType: 'number', operator: 'OR', conditions: [{ filterType: 'number', type: 'equals', filter: 1 }, { filterType: 'number', type: 'equals', filter: 2 }] },
        'INTEGER',
      ),
    ).toBeUndefined();
    expect(toColumnFilters(null, FLOW_COLUMN_TYPES)).toEqual({});
  });
});

describe('toAgFilterModel', () => {
  it('round-trips every column filter the grid can produce', () => {
    const at = Date.UTC(2024, 0, 1, 8, 0, 0);
    const columns: Record<string, ColumnFilter> = {
      dst_port: { kind: 'number', op: 'ne', value: 53 },
      src2dst_bytes: { kind: 'number', op: 'between', value: 100, valueTo: 200 },
      http_host: { kind: 'text', op: 'endsWith', value: '.example' },
      dns_query: { kind: 'blank', blank: false },
      first_seen: { kind: 'number', op: 'between', value: at, valueTo: at + 999 },
      last_seen: { kind: 'number', op: 'lt', value: at },
    };
    expect(toColumnFilters(toAgFilterModel(columns, FLOW_COLUMN_TYPES), FLOW_COLUMN_TYPES)).toEqual(columns);
  });

  it('formats and parses grid dates as UTC', () => {
    expect(formatGridDate(Date.UTC(2024, 1, 29, 23, 59, 58))).toBe('2024-02-29T23:59:58');
    expect(parseGridDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseGridDate(null)).toBeUndefined();
  });
});

describe('issue #4 / #6 - label and prediction columns in the grid models', () => {
  it('the label column (field __label) sorts and filters as the API column label, and back', () => {
    expect(toSortKeys([{ colId: '__label', sort: 'desc' }, { colId: 'predicted_probability', sort: 'asc' }])).toEqual([
      { column: 'label', direction: 'desc' },
      { column: 'predicted_probability', direction: 'asc' },
    ]);
    const columns = toColumnFilters(
      {
        __label: { filterType: 'text', type: 'equals', filter: 'malicious' },
        predicted_probability: { filterType: 'number', type: 'greaterThan', filter: 0.9 },
        predicted_class: { filterType: 'text', type: 'blank' },
      },
      FLOW_COLUMN_TYPES,
    );
    expect(columns).toEqual({
      label: { kind: 'text', op: 'equals', value: 'malicious' },
      predicted_probability: { kind: 'number', op: 'gt', value: 0.9 },
      predicted_class: { kind: 'blank', blank: true },
    });
    expect(toAgFilterModel(columns, FLOW_COLUMN_TYPES)).toEqual({
      __label: { filterType: 'text', type: 'equals', filter: 'malicious' },
      predicted_probability: { filterType: 'number', type: 'greaterThan', filter: 0.9 },
      predicted_class: { filterType: 'text', type: 'blank' },
    });
  });
});
