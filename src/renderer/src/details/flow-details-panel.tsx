/** Flow details: label history, grouped fields, packets table, packet size chart, first payload bytes. */
import { useEffect, useMemo } from 'react';
import { EChart } from '../charts/echart';
import { useFlowFilter } from '../filter/filter-context';
import { buildPacketSizeOption } from './build-packet-size-option';
import { flowFieldGroups, flowTitle } from './flow-field-groups';
import { HexDumpView } from './hex-dump-view';
import { LabelHistoryView } from './label-history-view';
import { PacketsTable } from './packets-table';
import { PACKET_LIMIT, useFlowDetails } from './use-flow-details';

export function FlowDetailsPanel({ flowId, onClose }: { flowId: number; onClose: () => void }) {
  const { data, error, loading } = useFlowDetails(flowId);
  const { dispatch } = useFlowFilter();
  const groups = useMemo(() => (data ? flowFieldGroups(data.flow) : []), [data]);
  const option = useMemo(() => buildPacketSizeOption(data?.packets ?? []), [data]);

  useEffect(() => {
    const close = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && !(event.target instanceof HTMLInputElement)) onClose();
    };
    document.addEventListener('keydown', close);
    return () => document.removeEventListener('keydown', close);
  }, [onClose]);

  const flow = data?.flow;
  const tcp = flow?.protocol === 6;
  return (
    <section className="details" aria-label="Flow details" data-testid="flow-details">
      <header className="details-header">
        <strong className="details-title">{flow ? flowTitle(flow) : `Flow ${flowId}`}</strong>
        <span className="muted">flow {flowId}</span>
        {flow && typeof flow.src_ip === 'string' && typeof flow.dst_ip === 'string' && (
          <button type="button" onClick={() => dispatch({ type: 'setHostPair', a: String(flow.src_ip), b: String(flow.dst_ip) })}>
            Filter this host pair
          </button>
        )}
        <span className="spacer" />
        <button type="button" onClick={onClose} aria-label="Close details" title="Close (Esc)">
          ×
        </button>
      </header>
      {error && <div className="error-text">{error}</div>}
      {loading && !data && <div className="muted pad">Loading flow…</div>}
      {data && (
        <div className="details-body">
          <div className="details-fields">
            <LabelHistoryView flowId={flowId} />
            {groups.map(({ group, fields }) => (
              <div key={group} className="field-group">
                <h4>{group}</h4>
                <dl>
                  {fields.map((field) => (
                    <div key={field.name} title={`${field.description}\nraw: ${field.raw}`}>
                      <dt>{field.name}</dt>
                      <dd>{field.display}</dd>
                    </div>
                  ))}
                </dl>
              </div>
            ))}
          </div>
          <div className="details-packets">
            <div className="details-chart">
              <EChart option={option} label="Packet sizes over time in this flow" />
            </div>
            <h4>
              Packets ({data.packets.length}
              {data.packets.length >= PACKET_LIMIT ? ', first ones only' : ''})
            </h4>
            <PacketsTable packets={data.packets} tcp={tcp} />
          </div>
          <div className="details-payload">
            <h4>First payload bytes</h4>
            <HexDumpView payload={data.payload} />
          </div>
        </div>
      )}
    </section>
  );
}
