/** A flow's fields for the details panel: grouped, formatted, raw value kept for the tooltip. */
import { FLOW_COLUMNS } from '../../../shared/flow-schema';
import type { FlowColumn } from '../../../shared/flow-schema';
import { formatColumnValue, groupColumns } from '../flows/flow-columns';
import type { ColumnGroup } from '../flows/flow-columns';

export interface FieldEntry {
  name: string;
  description: string;
  display: string;
  raw: string;
}

function rawText(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Groups with their non-empty fields; `showEmpty` keeps NULL / zero-length fields. */
export function flowFieldGroups(
  flow: Record<string, unknown>,
  columns: readonly FlowColumn[] = FLOW_COLUMNS,
  showEmpty = false,
): { group: ColumnGroup; fields: FieldEntry[] }[] {
  return groupColumns(columns)
    .map(({ group, columns: groupColumnsList }) => ({
      group,
      fields: groupColumnsList
        .filter((column) => showEmpty || (flow[column.name] !== null && flow[column.name] !== undefined && flow[column.name] !== ''))
        .map((column) => ({
          name: column.name,
          description: column.description,
          display: formatColumnValue(column, flow[column.name]),
          raw: rawText(flow[column.name]),
        })),
    }))
    .filter((entry) => entry.fields.length > 0);
}

/** "10.0.0.1:51234 → 93.184.216.34:443 TCP" for the panel title. */
export function flowTitle(flow: Record<string, unknown>): string {
  const endpoint = (ip: unknown, port: unknown): string => {
    const address = rawText(ip);
    const withBrackets = address.includes(':') ? `[${address}]` : address;
    return port === null || port === undefined || port === 0 ? withBrackets : `${withBrackets}:${rawText(port)}`;
  };
  const protocol = FLOW_COLUMNS.find((column) => column.name === 'protocol')!;
  const application = rawText(flow.application);
  return `${endpoint(flow.src_ip, flow.src_port)} → ${endpoint(flow.dst_ip, flow.dst_port)} ${formatColumnValue(protocol, flow.protocol)}${application ? ` · ${application}` : ''}`;
}
