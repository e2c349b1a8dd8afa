import { describe, expect, it } from 'vitest';
import { FlowAssembler } from '../../../src/workers/flows/flow-assembler';
import { flowRows, makeBatch } from './synthetic-packets';

/**
 * conn_state expectations from the Zeek conn.log documentation (Conn::Info$conn_state). Each
 * step is 'o:FLAGS' (originator 10.0.0.1:40000) or 'r:FLAGS' (responder 10.0.0.2:80), with
 * '+' marking a segment carrying 10 payload bytes.
 */
const cases: Array<[state: string, steps: string[], meaning: string]> = [
  ['S0', ['o:S', 'o:S'], 'attempt seen, no reply'],
  ['S1', ['o:S', 'r:SA', 'o:A', 'o:PA+', 'r:A'], 'established, not terminated'],
  ['SF', ['o:S', 'r:SA', 'o:A', 'o:FA', 'r:FA', 'o:A'], 'normal establishment and termination'],
  ['REJ', ['o:S', 'r:RA'], 'attempt rejected'],
  ['S2', ['o:S', 'r:SA', 'o:A', 'o:FA'], 'established, close attempt by originator only'],
  ['S3', ['o:S', 'r:SA', 'o:A', 'r:FA'], 'established, close attempt by responder only'],
  ['RSTO', ['o:S', 'r:SA', 'o:A', 'o:PA+', 'o:RA'], 'established, originator aborted'],
  ['RSTR', ['o:S', 'r:SA', 'o:A', 'r:PA+', 'r:R'], 'responder sent a RST'],
  ['RSTOS0', ['o:S', 'o:R'], 'originator sent SYN then RST, no SYN-ACK'],
  ['RSTRH', ['r:SA', 'r:R'], 'responder sent SYN-ACK then RST, no SYN from originator'],
  ['SH', ['o:S', 'o:F'], 'originator sent SYN then FIN, no SYN-ACK'],
  ['SHR', ['r:SA', 'r:FA'], 'responder sent SYN-ACK then FIN, no SYN from originator'],
  ['OTH', ['o:A', 'r:PA+', 'o:A'], 'no SYN, mid-stream traffic'],
  ['OTH', ['o:PA+', 'o:R'], 'mid-stream originator RST without a SYN'],
];

describe('tcp_state (Zeek conn_state)', () => {
  it.each(cases)('%s for %j (%s)', (state, steps) => {
    const packets = steps.map((step, i) => {
      const [side, flags] = step.split(':') as [string, string];
      const fromOrig = side === 'o';
      return {
        ms: i,
        proto: 6,
        src: fromOrig ? '10.0.0.1' : '10.0.0.2',
        dst: fromOrig ? '10.0.0.2' : '10.0.0.1',
        sport: fromOrig ? 40000 : 80,
        dport: fromOrig ? 80 : 40000,
        flags: flags.replace('+', ''),
        payload: flags.endsWith('+') ? 10 : 0,
      };
    });
    const assembler = new FlowAssembler({ idleTimeoutSeconds: 0, activeTimeoutSeconds: 0 });
    const batch = makeBatch(packets);
    const rows = flowRows(assembler.push(batch), assembler.finish());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tcp_state: state, src_ip: '10.0.0.1', src_port: 40000 });
  });

  it('is NULL for UDP', () => {
    const assembler = new FlowAssembler({ idleTimeoutSeconds: 0, activeTimeoutSeconds: 0 });
    assembler.push(makeBatch([{ ms: 0, sport: 1, dport: 2 }]));
    expect(flowRows(assembler.finish())[0]!.tcp_state).toBeNull();
  });
});
