/** One finding: why it fired, its numbers, a beacon's histograms, "Show flows" and "Label these…". */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { BeaconDetail, Finding } from '../../../shared/detect-types';
import { useClient } from '../api/api-context';
import { errorMessage } from '../common/use-async';
import { labelRequest } from './finding-rows';

interface Props {
  finding: Finding;
  onShowFlows: () => void;
  beaconChart: (detail: BeaconDetail) => ReactNode;
}

export function FindingDetails({ finding, onShowFlows, beaconChart }: Props) {
  const { api } = useClient();
  const [detail, setDetail] = useState<BeaconDetail>();
  const [proposal, setProposal] = useState<string>();
  const [status, setStatus] = useState<string>();

  useEffect(() => {
    if (finding.kind !== 'beacon' || !finding.src_ip) return;
    let current = true;
    void api
      .detectBeaconDetail({ captureId: finding.capture_id, srcIp: finding.src_ip, peer: String(finding.metrics.peer), by: finding.metrics.by === 'sni' ? 'sni' : 'ip' })
      .then((value) => current && setDetail(value), (failure: unknown) => current && setStatus(errorMessage(failure)));
    return () => {
      current = false;
    };
  }, [api, finding]);

  const confirm = async () => {
    if (!proposal) return;
    try {
      const result = await api.labelsApply(labelRequest(finding, proposal));
      setStatus(`Labeled ${JSON.stringify(result).slice(0, 120)}`);
      setProposal(undefined);
    } catch (failure) {
      setStatus(errorMessage(failure));
    }
  };

  return (
    <aside className="finding-details" data-testid="finding-details">
      <h3>{finding.kind}: score {finding.score.toFixed(3)}</h3>
      <p>{finding.summary}</p>
      <h4>Why</h4>
      <ul>
        {finding.why.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
      <details>
        <summary>Numbers</summary>
        <dl>
          {Object.entries(finding.metrics).map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{typeof value === 'number' ? Math.round(value * 1000) / 1000 : String(value)}</dd>
            </div>
          ))}
        </dl>
      </details>
      {detail && beaconChart(detail)}
      <div className="toolbar">
        <button type="button" onClick={onShowFlows}>
          Show {finding.flows} flows
        </button>
        <button type="button" onClick={() => setProposal(finding.label)} disabled={finding.flows === 0}>
          Label these…
        </button>
      </div>
      {proposal !== undefined && (
        <div className="label-proposal" role="dialog" aria-label="Confirm label">
          <label>
            Label {finding.flows} flows as <input value={proposal} onChange={(event) => setProposal(event.target.value)} />
          </label>
          <button type="button" onClick={() => void confirm()} disabled={!proposal.trim()}>
            Confirm
          </button>
          <button type="button" onClick={() => setProposal(undefined)}>
            Cancel
          </button>
        </div>
      )}
      {status && <div className="muted">{status}</div>}
    </aside>
  );
}
