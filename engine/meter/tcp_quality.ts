/**
 * Passive TCP quality per flow: handshake round-trip times and
 * retransmitted data segments, as seen from the gateway.
 *
 * @module
 */

/** Bits {@linkcode TcpQuality.packet} returns. */
export const TcpEvent = {
  /** The packet carried data (payload > 0) and was counted as a segment. */
  SEGMENT: 1,
  /** ... and it was a retransmission. */
  RETRANSMIT: 2,
  /** It completed a handshake: the flow's RTTs are readable now. */
  HANDSHAKE: 4,
} as const;

const FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10;
/** Handshake states. DONE: measured, abandoned, or never seen from its start. */
const NONE = 0, SYN_SEEN = 1, SYN_ACK_SEEN = 2, DONE = 3;

/**
 * Follows the handshake and the sequence numbers of TCP flows, by flow
 * number (as the flow table gives them). {@linkcode packet} allocates
 * nothing. Call {@linkcode forget} when a flow ends, before its number is
 * reused.
 *
 * Handshake: a SYN from one side, the SYN-ACK from the other, then the
 * first side's ACK; a new SYN after a measured handshake (the ports reused)
 * is measured afresh. `synToSynAck` is the gateway-to-responder-and-back time,
 * `synAckToAck` the gateway-to-opener-and-back time; {@linkcode lanRtt} and
 * {@linkcode wanRtt} sort them by which side is on the LAN. Karn's rule: a
 * repeated SYN or SYN-ACK (or a RST) gives no sample, as the answer cannot
 * be matched to its packet. Flows first seen mid-connection give none.
 *
 * Retransmissions: a data segment (payload > 0) whose sequence range ends at
 * or before the highest end seen that way (mod 2^32) is a retransmission
 * (SYN and FIN take one number; a SYN or SYN-ACK starts the count afresh);
 * data that fills a hole the gateway never saw the first copy of counts too,
 * which makes it an estimate of loss on either side, reordering included. A
 * keep-alive (1 byte at one below the highest end, without SYN or FIN, the
 * way Wireshark tells them) counts as neither segment nor retransmission:
 * it repeats a byte on purpose.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const tcp = new TcpQuality(16);
 * tcp.packet(3, true, 0x02, 1000, 0, 10.000); // SYN from the LAN client
 * tcp.packet(3, false, 0x12, 5000, 0, 10.030); // SYN-ACK from the server
 * const event = tcp.packet(3, true, 0x10, 1001, 0, 10.032); // ACK
 * assertEquals(event, TcpEvent.HANDSHAKE);
 * assertEquals(tcp.wanRtt(3, 0).toFixed(3), "0.030");
 * assertEquals(tcp.lanRtt(3, 0).toFixed(3), "0.002");
 * tcp.packet(3, true, 0x18, 1001, 100, 10.1);
 * assertEquals(tcp.packet(3, true, 0x18, 1001, 100, 10.4), TcpEvent.SEGMENT | TcpEvent.RETRANSMIT);
 * assertEquals([tcp.segments[6], tcp.retransmits[6]], [2, 1]);
 * ```
 */
export class TcpQuality {
  readonly capacity: number;
  /**
   * Per flow: [2n] SYN to SYN-ACK seconds, [2n + 1] SYN-ACK to ACK; NaN
   * until measured, save that [2n + 1] holds the SYN to SYN-ACK time while
   * the ACK is awaited: read them once {@linkcode packet} returned HANDSHAKE.
   */
  readonly handshake: Float64Array;
  /** Per flow: the side (0 client, 1 server) that sent the SYN. */
  readonly synSide: Uint8Array;
  /**
   * Data segments per flow direction: [2n] client to server, [2n + 1] server
   * to client. 32-bit, as every per-flow array is a cost per table slot: a
   * count past 2^32 wraps.
   */
  readonly segments: Uint32Array;
  /** Of those, retransmissions. */
  readonly retransmits: Uint32Array;
  readonly #state: Uint8Array;
  /**
   * The SYN's time, then the SYN-ACK's: while the ACK is awaited, the SYN to
   * SYN-ACK time waits in handshake[2n + 1] (one time a flow, not two).
   */
  readonly #time: Float64Array;
  /** Highest sequence end seen per direction, and whether there is one. */
  readonly #high: Uint32Array;
  readonly #hasHigh: Uint8Array;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.handshake = new Float64Array(capacity * 2).fill(NaN);
    this.synSide = new Uint8Array(capacity);
    this.segments = new Uint32Array(capacity * 2);
    this.retransmits = new Uint32Array(capacity * 2);
    this.#state = new Uint8Array(capacity);
    this.#time = new Float64Array(capacity);
    this.#high = new Uint32Array(capacity * 2);
    this.#hasHigh = new Uint8Array(capacity * 2);
  }

  /**
   * Follows one TCP packet of `flow`; `seq` is its sequence number, `time`
   * seconds. Returns {@linkcode TcpEvent} bits.
   */
  packet(
    flow: number,
    fromClient: boolean,
    tcpFlags: number,
    seq: number,
    payloadLength: number,
    time: number,
  ): number {
    // Kept small enough for V8 to inline into the packet loop, so that the
    // float `time` and `seq` need no boxing on the way in.
    if ((flow >>> 0) !== flow || flow >= this.capacity) badFlow(flow, this.capacity);
    const side = fromClient ? 0 : 1;
    const event = this.#state[flow] !== DONE || (tcpFlags & SYN) !== 0
      ? this.#handshake(flow, side, tcpFlags, time)
      : 0;
    if (payloadLength <= 0 && (tcpFlags & (SYN | FIN)) === 0) return event;
    return event | this.#sequence(flow * 2 + side, tcpFlags, seq >>> 0, payloadLength);
  }

  /** The LAN-side handshake RTT of a flow whose `lanSide` (0 client, 1 server) is the LAN device; NaN if none. */
  lanRtt(flow: number, lanSide: number): number {
    return this.handshake[flow * 2 + (this.synSide[flow] === lanSide ? 1 : 0)];
  }

  /** The WAN-side handshake RTT, as {@linkcode lanRtt}. */
  wanRtt(flow: number, lanSide: number): number {
    return this.handshake[flow * 2 + (this.synSide[flow] === lanSide ? 0 : 1)];
  }

  /** Clears a flow's state, for its number to be reused. */
  forget(flow: number): void {
    if ((flow >>> 0) !== flow || flow >= this.capacity) badFlow(flow, this.capacity);
    this.#state[flow] = NONE;
    this.synSide[flow] = 0;
    for (let at = flow * 2; at < flow * 2 + 2; at++) {
      this.handshake[at] = NaN;
      this.segments[at] = this.retransmits[at] = 0;
      this.#high[at] = 0;
      this.#hasHigh[at] = 0;
    }
  }

  /** Follows the sequence numbers of a segment with data, SYN or FIN, `at` its flow direction. */
  #sequence(at: number, flags: number, seq: number, payloadLength: number): number {
    let end = seq + payloadLength;
    if (flags & SYN) end++;
    if (flags & FIN) end++;
    end >>>= 0;
    if ((flags & SYN) !== 0) {
      // The initial sequence number starts the sequence space afresh.
      this.#high[at] = end;
      this.#hasHigh[at] = 1;
      if (payloadLength <= 0) return 0;
      this.segments[at]++;
      return TcpEvent.SEGMENT;
    }
    const high = this.#high[at];
    if (this.#hasHigh[at] === 0 || ((end - high) | 0) > 0) {
      this.#high[at] = end;
      this.#hasHigh[at] = 1;
      if (payloadLength <= 0) return 0; // a FIN takes a sequence number too
      this.segments[at]++;
      return TcpEvent.SEGMENT;
    }
    if (payloadLength <= 0) return 0;
    // A keep-alive repeats its byte on purpose.
    if (payloadLength === 1 && ((high - seq) | 0) === 1 && (flags & FIN) === 0) return 0;
    this.segments[at]++;
    this.retransmits[at]++;
    return TcpEvent.SEGMENT | TcpEvent.RETRANSMIT;
  }

  #measured(flow: number): boolean {
    const rtt = this.handshake[flow * 2];
    return rtt === rtt;
  }

  #handshake(flow: number, side: number, flags: number, time: number): number {
    const state = this.#state[flow];
    const kind = flags & (SYN | ACK | RST);
    if (kind === SYN && (state === NONE || (state === DONE && this.#measured(flow)))) {
      // A new connection, or one reusing the ports of a measured one.
      this.handshake[flow * 2] = this.handshake[flow * 2 + 1] = NaN;
      this.#state[flow] = SYN_SEEN;
      this.synSide[flow] = side;
      this.#time[flow] = time;
    } else if (kind === (SYN | ACK) && state === SYN_SEEN && side !== this.synSide[flow]) {
      this.#state[flow] = SYN_ACK_SEEN;
      this.handshake[flow * 2 + 1] = time - this.#time[flow];
      this.#time[flow] = time;
    } else if (kind === ACK && state === SYN_ACK_SEEN && side === this.synSide[flow]) {
      this.#state[flow] = DONE;
      const synToSynAck = this.handshake[flow * 2 + 1];
      const synAckToAck = time - this.#time[flow];
      this.handshake[flow * 2 + 1] = NaN;
      if (!(synToSynAck >= 0 && synAckToAck >= 0)) return 0; // clock went back
      this.handshake[flow * 2] = synToSynAck;
      this.handshake[flow * 2 + 1] = synAckToAck;
      return TcpEvent.HANDSHAKE;
    } else if (!(kind === ACK && state === SYN_ACK_SEEN)) {
      // A repeat, a RST, a simultaneous open or a flow met mid-way: no sample.
      if (state === SYN_ACK_SEEN) this.handshake[flow * 2 + 1] = NaN;
      this.#state[flow] = DONE;
    }
    return 0;
  }
}

function badFlow(flow: number, capacity: number): never {
  throw new RangeError(`flow must be 0..${capacity - 1}, got ${flow}`);
}
