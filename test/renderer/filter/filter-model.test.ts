import { describe, expect, it } from 'vitest';
import type { FlowFilter } from '../../../src/shared/query-types';
import { filterKey, filterReducer, isEmptyFilter, normalizeFilter } from '../../../src/renderer/src/filter/filter-model';
import { describeColumnFilter, filterChips } from '../../../src/renderer/src/filter/filter-chips';

describe('filterReducer', () => {
  it('narrows with every kind of selection and clears', () => {
    let filter: FlowFilter = {};
    filter = filterReducer(filter, { type: 'setExpression', expression: ' dst_port = 443 ' });
    filter = filterReducer(filter, { type: 'narrowColumns', columns: { protocol: { kind: 'number', op: 'eq', value: 6 } } });
    filter = filterReducer(filter, { type: 'setTimeRange', timeRange: { from: '2024-01-01T00:00:00.000Z', to: '2024-01-01T01:00:00.000Z' } });
    filter = filterReducer(filter, { type: 'selectHost', host: '10.0.0.1' });
    expect(filter).toEqual({
      expression: 'dst_port = 443',
      columns: { protocol: { kind: 'number', op: 'eq', value: 6 } },
      timeRange: { from: '2024-01-01T00:00:00.000Z', to: '2024-01-01T01:00:00.000Z' },
      hosts: ['10.0.0.1'],
    });
    expect(filterReducer(filter, { type: 'clear' })).toEqual({});
  });

  it('turns a second host click into a host pair, and a host inside the pair changes nothing', () => {
    let filter = filterReducer({}, { type: 'selectHost', host: 'a' });
    filter = filterReducer(filter, { type: 'selectHost', host: 'b' });
    expect(filter).toEqual({ hostPair: { a: 'a', b: 'b' } });
    expect(filterReducer(filter, { type: 'selectHost', host: 'b' })).toBe(filter);
    expect(filterReducer(filter, { type: 'selectHost', host: 'c' })).toEqual({ hosts: ['c'] });
  });

  it('keeps the same object when nothing changes, so views do not refetch', () => {
    const filter = filterReducer({}, { type: 'setExpression', expression: 'a = 1' });
    expect(filterReducer(filter, { type: 'setExpression', expression: 'a = 1' })).toBe(filter);
    expect(filterReducer(filter, { type: 'setColumns', columns: {} })).toBe(filter);
  });

  it('removes one chip at a time', () => {
    const filter: FlowFilter = {
      expression: 'x',
      columns: { dst_port: { kind: 'number', op: 'eq', value: 53 }, src_ip: { kind: 'text', op: 'equals', value: '1.2.3.4' } },
      hosts: ['h1'],
      hostPair: { a: 'p', b: 'q' },
      captureIds: [2],
    };
    expect(filterReducer(filter, { type: 'remove', chip: { part: 'column', column: 'dst_port' } }).columns).toEqual({
      src_ip: { kind: 'text', op: 'equals', value: '1.2.3.4' },
    });
    expect(filterReducer(filter, { type: 'remove', chip: { part: 'expression' } }).expression).toBeUndefined();
    expect(filterReducer(filter, { type: 'remove', chip: { part: 'host', host: 'h1' } }).hosts).toBeUndefined();
    expect(filterReducer(filter, { type: 'remove', chip: { part: 'hostPair' } }).hostPair).toBeUndefined();
    expect(filterReducer(filter, { type: 'remove', chip: { part: 'captures' } }).captureIds).toBeUndefined();
  });

  it('normalises so that equal filters have equal keys', () => {
    expect(filterKey({ columns: { b: { kind: 'blank', blank: true }, a: { kind: 'blank', blank: false } } })).toBe(
      filterKey({ columns: { a: { kind: 'blank', blank: false }, b: { kind: 'blank', blank: true } }, hosts: [] }),
    );
    expect(normalizeFilter({ expression: '   ', columns: {}, captureIds: [] })).toEqual({});
    expect(isEmptyFilter({ hosts: [] })).toBe(true);
  });
});

describe('filterChips', () => {
  it('describes every part, timestamps as dates', () => {
    const chips = filterChips(
      {
        expression: 'dst_port = 23',
        columns: { first_seen: { kind: 'number', op: 'ge', value: Date.UTC(2024, 0, 1) }, dst_port: { kind: 'number', op: 'between', value: 1, valueTo: 1023 } },
        hostPair: { a: '10.0.0.1', b: '10.0.0.2' },
      },
      new Set(['first_seen']),
    );
    expect(chips.map((chip) => chip.label)).toEqual([
      'dst_port = 23',
      'first_seen ≥ 2024-01-01 00:00:00.000',
      'dst_port in [1, 1023]',
      '10.0.0.1 ↔ 10.0.0.2',
    ]);
  });

  it('quotes text values verbatim (they are rendered as React text, never HTML)', () => {
    expect(describeColumnFilter('http_host', { kind: 'text', op: 'contains', value: '<img src=x onerror=alert(1)>' })).toBe(
      'http_host contains "<img src=x onerror=alert(1)>"',
    );
    expect(describeColumnFilter('dns_query', { kind: 'blank', blank: true })).toBe('dns_query is empty');
  });
});

describe('issue #6 - the prediction model choice in the filter', () => {
  it('sets and resets predictionModel; clearing the filter keeps it; it alone is an empty filter', () => {
    let filter: FlowFilter = filterReducer({}, { type: 'setPredictionModel', modelId: 3 });
    expect(filter).toEqual({ predictionModel: 3 });
    expect(isEmptyFilter(filter)).toBe(true);
    filter = filterReducer(filter, { type: 'setExpression', expression: "predicted_class = 'malicious'" });
    expect(isEmptyFilter(filter)).toBe(false);
    filter = filterReducer(filter, { type: 'clear' });
    expect(filter).toEqual({ predictionModel: 3 });
    expect(filterReducer(filter, { type: 'setPredictionModel', modelId: undefined })).toEqual({});
  });
});
