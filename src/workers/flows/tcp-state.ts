import { TcpFlag } from '../../shared/packet-batch';
import { grown } from './grown';

/**
 * Zeek-style TCP connection state per flow.
 *
 * Each endpoint (orig = the flow's src, resp = its dst) has a state modelled on Zeek's
 * TCP_Endpoint states (src/analyzer/protocol/tcp/TCP_Endpoint.h), updated per segment by a
 * simplification of TCPSessionAdapter::UpdateStateMachine:
 *   - RST from E: E = RESET (from any state).
 *   - otherwise, if E is RESET nothing changes;
 *   - SYN without ACK: INACTIVE -> SYN_SENT.
 *   - SYN+ACK from resp: resp -> ESTABLISHED unless CLOSED; an orig in SYN_SENT -> ESTABLISHED
 *     (Zeek treats SYN / SYN-ACK as established). SYN+ACK from orig: INACTIVE -> SYN_ACK_SENT.
 *   - FIN (after the SYN handling, so SYN+FIN ends CLOSED): E = CLOSED.
 *   - any other segment (ACK / data, no SYN, FIN or RST): INACTIVE -> PARTIAL (mid-stream).
 *
 * conn_state is then Zeek's own decision procedure, `conn_state()` in
 * scripts/base/protocols/conn/main.zeek, whose meanings the conn.log documentation
 * (Conn::Info$conn_state) lists:
 *   S0 attempt seen, no reply; S1 established, not terminated; SF normal establishment and
 *   termination; REJ attempt rejected; S2 established, close attempt by orig only; S3
 *   established, close attempt by resp only; RSTO orig aborted (RST); RSTR resp sent a RST;
 *   RSTOS0 orig sent SYN then RST, no SYN-ACK seen; RSTRH resp sent SYN-ACK then RST, no SYN
 *   from orig seen; SH orig sent SYN then FIN, no SYN-ACK; SHR resp sent SYN-ACK then FIN, no
 *   SYN from orig; OTH no SYN seen, mid-stream traffic.
 * With o_inactive = orig INACTIVE or PARTIAL (r_inactive likewise), in this order:
 *   resp RESET: REJ if orig is SYN_SENT or SYN_ACK_SENT, or orig RESET with no payload either
 *     way; else RSTRH if o_inactive; else RSTR.
 *   orig RESET: if r_inactive, RSTOS0 when the history matches Zeek's /^?S[^HAFGIQ]*R/ (the
 *     flow began with the orig's SYN and, before its RST, the orig sent no pure ACK, SYN-ACK or
 *     FIN), else OTH; otherwise RSTO.
 *   both CLOSED: SF. orig CLOSED: SH if r_inactive else S2. resp CLOSED: SHR if o_inactive
 *   else S3. orig SYN_SENT and resp INACTIVE: S0. both ESTABLISHED: S1. Else OTH.
 * Payload "size" is our transport payload byte count (Zeek uses sequence-number spans).
 */
export const EndpointState = {
  inactive: 0,
  synSent: 1,
  synAckSent: 2,
  partial: 3,
  established: 4,
  closed: 5,
  reset: 6,
} as const;

// Flow bits.
const SAW_FIN_OR_RST = 1;
const BEGAN_WITH_ORIG_SYN = 2;
/** The orig sent a pure ACK, SYN-ACK or FIN before its first RST (breaks /^?S[^HAFGIQ]*R/). */
const ORIG_BROKE_S0 = 4;

const SYN_ACK = TcpFlag.syn | TcpFlag.ack;

// Per slot, side by side in one array: orig state, resp state, flow bits (and one spare byte).
const ORIG = 0;
const RESP = 1;
const BITS = 2;
const STRIDE = 4;

export class TcpStates {
  private states: Uint8Array;

  constructor(capacity: number) {
    this.states = new Uint8Array(capacity * STRIDE);
  }

  grow(capacity: number): void {
    this.states = grown(this.states, capacity * STRIDE);
  }

  reset(slot: number): void {
    const o = slot * STRIDE;
    this.states[o + ORIG] = EndpointState.inactive;
    this.states[o + RESP] = EndpointState.inactive;
    this.states[o + BITS] = 0;
  }

  /** Whether the flow has carried a FIN or RST (a later bare SYN then starts a new flow). */
  sawFinOrRst(slot: number): boolean {
    return (this.states[slot * STRIDE + BITS]! & SAW_FIN_OR_RST) !== 0;
  }

  /** Updates the endpoint states for one segment with header flags `flags`. */
  update(slot: number, fromOrig: boolean, flags: number, isFirstPacket: boolean): void {
    const states = this.states;
    const o = slot * STRIDE;
    const own = o + (fromOrig ? ORIG : RESP);
    const peer = o + (fromOrig ? RESP : ORIG);
    const syn = (flags & TcpFlag.syn) !== 0;
    const fin = (flags & TcpFlag.fin) !== 0;
    const rst = (flags & TcpFlag.rst) !== 0;
    let bits = states[o + BITS]!;
    if (fin || rst) bits |= SAW_FIN_OR_RST;
    if (isFirstPacket && fromOrig && (flags & SYN_ACK) === TcpFlag.syn) bits |= BEGAN_WITH_ORIG_SYN;
    if (fromOrig && states[o + ORIG] !== EndpointState.reset && !rst) {
      if (fin || (flags & SYN_ACK) === SYN_ACK || (!syn && (flags & TcpFlag.ack) !== 0))
        bits |= ORIG_BROKE_S0;
    }
    states[o + BITS] = bits;

    const state = states[own]!;
    if (rst) {
      states[own] = EndpointState.reset;
      return;
    }
    if (state === EndpointState.reset) return;
    let next: number = state;
    if (syn) {
      if ((flags & TcpFlag.ack) === 0) {
        if (next === EndpointState.inactive) next = EndpointState.synSent;
      } else if (fromOrig) {
        if (next === EndpointState.inactive) next = EndpointState.synAckSent;
      } else {
        if (states[peer] === EndpointState.synSent) states[peer] = EndpointState.established;
        if (next !== EndpointState.closed) next = EndpointState.established;
      }
    }
    if (fin) next = EndpointState.closed;
    else if (!syn && next === EndpointState.inactive) next = EndpointState.partial;
    states[own] = next;
  }

  /** Zeek conn_state for the flow (see the class comment). */
  connState(slot: number, origPayloadBytes: number, respPayloadBytes: number): string {
    const os = this.states[slot * STRIDE + ORIG]!;
    const rs = this.states[slot * STRIDE + RESP]!;
    const oInactive = os === EndpointState.inactive || os === EndpointState.partial;
    const rInactive = rs === EndpointState.inactive || rs === EndpointState.partial;
    if (rs === EndpointState.reset) {
      if (
        os === EndpointState.synSent ||
        os === EndpointState.synAckSent ||
        (os === EndpointState.reset && origPayloadBytes === 0 && respPayloadBytes === 0)
      ) {
        return 'REJ';
      }
      return oInactive ? 'RSTRH' : 'RSTR';
    }
    if (os === EndpointState.reset) {
      if (!rInactive) return 'RSTO';
      const bits = this.states[slot * STRIDE + BITS]!;
      return (bits & BEGAN_WITH_ORIG_SYN) !== 0 && (bits & ORIG_BROKE_S0) === 0 ? 'RSTOS0' : 'OTH';
    }
    if (os === EndpointState.closed && rs === EndpointState.closed) return 'SF';
    if (os === EndpointState.closed) return rInactive ? 'SH' : 'S2';
    if (rs === EndpointState.closed) return oInactive ? 'SHR' : 'S3';
    if (os === EndpointState.synSent && rs === EndpointState.inactive) return 'S0';
    if (os === EndpointState.established && rs === EndpointState.established) return 'S1';
    return 'OTH';
  }
}
