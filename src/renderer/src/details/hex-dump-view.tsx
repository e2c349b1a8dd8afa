/** First payload bytes as hex/ASCII; rendered as text nodes only (payloads are hostile). */
import { useMemo } from 'react';
import type { FlowDetails } from '../../../shared/query-types';
import { hexDumpLines } from './hex-dump';

export function HexDumpView({ payload }: { payload: FlowDetails['payload'] }) {
  const blocks = useMemo(() => payload.map((entry) => ({ ...entry, lines: hexDumpLines(entry.bytes) })), [payload]);
  if (!blocks.length) return <p className="muted">No payload bytes in this flow.</p>;
  return (
    <div className="hex-dump" data-testid="hex-dump">
      {blocks.map((block) => (
        <div key={`${block.packetNumber}-${block.direction}`} className={block.direction === 0 ? 'dir-forward' : 'dir-reverse'}>
          <div className="hex-dump-header">
            Packet #{block.packetNumber} {block.direction === 0 ? 'src → dst' : 'dst → src'} · {block.bytes.length} bytes
          </div>
          <pre>
            {block.lines.map((line) => `${line.offset}  ${line.hex}  ${line.ascii}`).join('\n')}
          </pre>
        </div>
      ))}
    </div>
  );
}
