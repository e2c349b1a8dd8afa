import { useEffect, useState } from 'react';
import type { CaptureInfo } from '../../shared/api-types';
import type { FlowlabApi } from '../../shared/api-contract';

declare global {
  interface Window {
    flowlab?: FlowlabApi;
  }
}

/** Placeholder workstation view: the captures of the open case (the full UI is issue #3). */
export function App() {
  const [captures, setCaptures] = useState<CaptureInfo[]>([]);
  useEffect(() => {
    void window.flowlab?.listCaptures().then(setCaptures);
  }, []);
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 16 }}>
      <h1>Flowlab</h1>
      <table>
        <thead>
          <tr>
            <th>Capture</th>
            <th>Format</th>
            <th>Packets</th>
            <th>Flows</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {captures.map((capture) => (
            <tr key={capture.id}>
              <td>{capture.fileName}</td>
              <td>{capture.format}</td>
              <td>{capture.packets}</td>
              <td>{capture.flows}</td>
              <td>{capture.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
