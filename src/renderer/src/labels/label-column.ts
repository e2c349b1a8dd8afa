/** The flows grid's label column: class (⚠ when sources disagree), tags and source on hover. */
import type { ColDef } from 'ag-grid-community';
import { LABEL_FIELD } from './attach-labels';
import type { RowLabel } from './attach-labels';

export function labelCellText(value: RowLabel | null | undefined): string {
  if (!value) return '';
  return `${value.conflict ? '⚠ ' : ''}${value.label}${value.tags.length ? ` · ${value.tags.join(', ')}` : ''}`;
}

export const LABEL_COLUMN: ColDef<Record<string, unknown>> = {
  colId: LABEL_FIELD,
  field: LABEL_FIELD,
  headerName: 'label',
  headerTooltip:
    'Class of the flow (B benign, M malicious, L chosen class; Shift: all matching rows; U clears; ⚠ conflict)',
  width: 130,
  sortable: false,
  filter: false,
  resizable: true,
  cellDataType: false,
  valueFormatter: (params) => labelCellText(params.value as RowLabel | null),
  tooltipValueGetter: (params) => (params.value as RowLabel | null)?.title,
  cellClassRules: {
    'label-benign': (params) => (params.value as RowLabel | null)?.label === 'benign',
    'label-malicious': (params) => (params.value as RowLabel | null)?.label === 'malicious',
    'label-other': (params) => {
      const label = (params.value as RowLabel | null)?.label;
      return label !== undefined && label !== 'benign' && label !== 'malicious';
    },
    'label-conflict': (params) => Boolean((params.value as RowLabel | null)?.conflict),
  },
};
