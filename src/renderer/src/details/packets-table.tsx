/** The flow's packets: time, direction, length, flags as letters, TTL, seq/ack, payload length. */
import type { PacketRow } from '../../../shared/query-types';
import { formatDuration, formatTcpFlags, formatTimestamp } from '../format/format-values';

export function PacketsTable({ packets, tcp }: { packets: readonly PacketRow[]; tcp: boolean }) {
  return (
    <div className="table-scroll">
      <table className="dense-table packets-table" data-testid="packets-table">
        <thead>
          <tr>
            <th>#</th>
            <th>Time (UTC)</th>
            <th>Δ first</th>
            <th>Dir</th>
            <th className="num">Length</th>
            {tcp && <th>Flags</th>}
            <th className="num">TTL</th>
            {tcp && <th className="num">Seq</th>}
            {tcp && <th className="num">Ack</th>}
            {tcp && <th className="num">Win</th>}
            <th className="num">Payload</th>
          </tr>
        </thead>
        <tbody>
          {packets.map((packet) => (
            <tr key={packet.packetNumber} className={packet.direction === 0 ? 'dir-forward' : 'dir-reverse'}>
              <td>{packet.packetNumber}</td>
              <td title={packet.ts}>{formatTimestamp(packet.ts).slice(11)}</td>
              <td>{formatDuration(packet.relativeSeconds * 1000)}</td>
              <td>{packet.direction === 0 ? '→' : '←'}</td>
              <td className="num" title={`captured ${packet.capturedLength}`}>
                {packet.frameLength}
              </td>
              {tcp && <td className="mono">{formatTcpFlags(packet.tcpFlags)}</td>}
              <td className="num">{packet.ttl}</td>
              {tcp && <td className="num">{packet.tcpSeq}</td>}
              {tcp && <td className="num">{packet.tcpAck}</td>}
              {tcp && <td className="num">{packet.tcpWindow}</td>}
              <td className="num">{packet.payloadLength}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
