/** Endpoints table columns (HostRow fields); the server sorts by these field names. */
import type { ColDef } from 'ag-grid-community';
import type { HostRow } from '../../../shared/query-types';
import { formatBytes, formatCount, formatTimestamp } from '../format/format-values';

/** Geolocation columns stay hidden until the backend returns them. */
export const GEO_COLUMNS = ['country', 'asn', 'asOrganization'] as const;

const bytes = (params: { value: unknown }): string => formatBytes(params.value);
const count = (params: { value: unknown }): string => formatCount(params.value);
const time = (params: { value: unknown }): string => formatTimestamp(params.value);

export function hostColumnDefs(): ColDef<HostRow>[] {
  const numeric = { type: 'rightAligned', width: 100, cellDataType: false } as const;
  return [
    { colId: 'ip', field: 'ip', headerName: 'Host', width: 230, cellDataType: false, headerTooltip: 'IP address' },
    { colId: 'country', field: 'country', headerName: 'Country', width: 80, hide: true, cellDataType: false, sortable: false },
    { colId: 'asn', field: 'asn', headerName: 'AS', width: 70, hide: true, cellDataType: false, sortable: false },
    { colId: 'asOrganization', field: 'asOrganization', headerName: 'AS organisation', width: 160, hide: true, cellDataType: false, sortable: false },
    { colId: 'bytesSent', field: 'bytesSent', headerName: 'Bytes sent', valueFormatter: bytes, ...numeric },
    { colId: 'bytesReceived', field: 'bytesReceived', headerName: 'Bytes received', valueFormatter: bytes, ...numeric },
    { colId: 'packetsSent', field: 'packetsSent', headerName: 'Packets sent', valueFormatter: count, ...numeric },
    { colId: 'packetsReceived', field: 'packetsReceived', headerName: 'Packets received', valueFormatter: count, ...numeric },
    { colId: 'flows', field: 'flows', headerName: 'Flows', valueFormatter: count, ...numeric, width: 80 },
    { colId: 'peers', field: 'peers', headerName: 'Peers', valueFormatter: count, ...numeric, width: 70 },
    { colId: 'ports', field: 'ports', headerName: 'Ports', valueFormatter: count, ...numeric, width: 70, headerTooltip: 'Distinct ports used' },
    { colId: 'firstSeen', field: 'firstSeen', headerName: 'First seen (UTC)', valueFormatter: time, width: 190, cellDataType: false },
    { colId: 'lastSeen', field: 'lastSeen', headerName: 'Last seen (UTC)', valueFormatter: time, width: 190, cellDataType: false },
  ];
}

/** True when any row carries geolocation (the enrichment is optional). */
export function hasGeo(rows: readonly HostRow[]): boolean {
  return rows.some((row) => row.country != null || row.asn != null || row.asOrganization != null);
}
