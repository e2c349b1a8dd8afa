/** A click on a dashboard chart → the filter action that narrows the shared filter. */
import type { TopRequest } from '../../../shared/query-types';
import type { FilterAction } from '../filter/filter-model';
import { protocolNumber } from '../format/format-values';

const PORT_PROTOCOLS = { tcp_port: 6, udp_port: 17 } as const;

/** `key` is TopEntry.key: the stored value as text, '' for NULL. */
export function narrowingFor(by: TopRequest['by'], key: string): FilterAction | undefined {
  if (key === '') {
    if (by === 'tcp_port' || by === 'udp_port') return undefined;
    const column = by === 'src_ip' || by === 'dst_ip' || by === 'application' ? by : 'protocol';
    return { type: 'narrowColumns', columns: { [column]: { kind: 'blank', blank: true } } };
  }
  switch (by) {
    case 'src_ip':
    case 'dst_ip':
      return { type: 'narrowColumns', columns: { [by]: { kind: 'text', op: 'equals', value: key } } };
    case 'tcp_port':
    case 'udp_port': {
      const port = Number(key);
      if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined;
      return {
        type: 'narrowColumns',
        columns: { protocol: { kind: 'number', op: 'eq', value: PORT_PROTOCOLS[by] }, dst_port: { kind: 'number', op: 'eq', value: port } },
      };
    }
    case 'application':
      return { type: 'narrowColumns', columns: { application: { kind: 'text', op: 'equals', value: key } } };
    case 'protocol': {
      const protocol = protocolNumber(key);
      return protocol === undefined ? undefined : { type: 'narrowColumns', columns: { protocol: { kind: 'number', op: 'eq', value: protocol } } };
    }
  }
}
