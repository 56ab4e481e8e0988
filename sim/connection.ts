/**
 * One simulated connection between a LAN device and a server: a DNS lookup,
 * the TCP handshake (or none, for UDP), the first payload that names it
 * (TLS ClientHello, QUIC Initial, HTTP request), then data as granted tick
 * by tick, and a FIN exchange. {@linkcode Connection.next} writes one
 * packet at a time into the simulator's batch buffer; it allocates nothing.
 *
 * @module
 */
import {
  dnsAnswer,
  dnsQuery,
  type Endpoint,
  frameLength,
  httpGet,
  quicInitial,
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_SYN,
  tlsClientHello,
  writeTcp,
  writeUdp,
} from "./packets/mod.ts";
import type { Random } from "./random.ts";

/** How a connection carries its data. */
export type Carrier = "tls" | "quic" | "http" | "udp";

/** What the simulator knows of a device while it runs: its enforcement included. */
export interface LiveDevice {
  index: number;
  mac: Uint8Array;
  ip: Uint8Array;
  ip6: Uint8Array | null;
  /** Bytes/s, or Infinity: set from the dry-run shaper's plan. */
  limitDown: number;
  limitUp: number;
  blocked: boolean;
  /** The DHCP request that names it is still to be sent. */
  dhcpPending: boolean;
}

// The phases, in order; data and closing repeat their steps.
const DNS_QUERY = 0, DNS_REPLY = 1, SYN = 2, SYN_ACK = 3, ACK = 4, HELLO = 5, HELLO_REPLY = 6;
const DATA = 7, FIN = 8, FIN_ACK = 9, LAST_ACK = 10, DONE = 11;
/** A GRO/TSO-sized segment: how Linux captures show bulk TCP and UDP. */
const SEGMENT = 64_000;
/** Datagrams of a UDP stream per tick and direction at most: GRO coalesces the rest. */
const UDP_PER_TICK = 2;
const SERVER_HELLO = 4_000;

/** One connection's state; the simulator grants it bytes each tick. */
export class Connection {
  readonly device: LiveDevice;
  readonly carrier: Carrier;
  readonly #tcp: boolean;
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly dnsClient: Endpoint;
  readonly dnsServer: Endpoint;
  readonly #query: Uint8Array;
  readonly #answer: Uint8Array;
  readonly #hello: Uint8Array | null;
  /** Bytes waiting to flow each way; the grant is what may flow this tick. */
  backlogDown = 0;
  backlogUp = 0;
  grantDown = 0;
  grantUp = 0;
  /** Close once the backlog is sent (bulk, fetches) or at once (`close()`). */
  closeWhenDrained = false;
  /** The most it may send each way, bytes/s (a bulk profile's own cap). */
  maxRate = Infinity;
  /** Wire length of the packet last written. */
  wire = 0;
  #phase = DNS_QUERY;
  #seqClient: number;
  #seqServer: number;
  /** Data segments each way not yet acknowledged: every second one is. */
  #unackedDown = 0;
  #unackedUp = 0;
  #udpDown = 0;
  #udpUp = 0;

  constructor(
    device: LiveDevice,
    carrier: Carrier,
    host: string,
    client: Endpoint,
    server: Endpoint,
    gateway: Endpoint,
    random: Random,
  ) {
    this.device = device;
    this.carrier = carrier;
    this.#tcp = carrier === "tls" || carrier === "http";
    this.client = client;
    this.server = server;
    // Lookups go to the gateway's resolver over IPv4, AAAA ones too.
    this.dnsClient = { mac: client.mac, ip: device.ip, port: 1024 + random.int(60_000) };
    this.dnsServer = { mac: gateway.mac, ip: gateway.ip, port: 53 };
    const id = random.int(0x10000), v6 = server.ip.length === 16;
    this.#query = dnsQuery(id, host, v6 ? "AAAA" : "A");
    this.#answer = dnsAnswer(id, host, [server.ip], 300);
    const bytes = new Uint8Array(32);
    random.fill(bytes);
    if (carrier === "tls") this.#hello = tlsClientHello(host, bytes);
    else if (carrier === "http") this.#hello = httpGet(host, "/", "Mozilla/5.0 (sluice-sim)");
    else if (carrier === "quic") {
      const dcid = bytes.slice(0, 8), scid = bytes.slice(8, 16);
      this.#hello = quicInitial(host, dcid, scid, bytes);
    } else this.#hello = null;
    this.#seqClient = random.next();
    this.#seqServer = random.next();
  }

  /** True once closed. */
  get done(): boolean {
    return this.#phase === DONE;
  }

  /** Ends it now (its session ended): a FIN exchange, or nothing for UDP. */
  close(): void {
    if (this.#phase === DONE) return;
    this.backlogDown = this.backlogUp = 0;
    if (this.#phase < DATA || !this.#tcp) this.#phase = DONE;
    else this.closeWhenDrained = true;
  }

  /** Starts a tick: UDP streams may send a few datagrams each way again. */
  tick(): void {
    this.#udpDown = this.#udpUp = 0;
  }

  /**
   * Writes the next packet at `at` in `buf` and returns its captured length,
   * or 0 when the connection has nothing to send in this tick (`wire` is
   * the packet's length on the wire).
   */
  next(buf: Uint8Array, at: number): number {
    if (this.device.blocked) return 0;
    const c = this.client, s = this.server;
    switch (this.#phase) {
      case DNS_QUERY:
        this.#phase = DNS_REPLY;
        return this.#udp(buf, at, this.dnsClient, this.dnsServer, this.#query, this.#query.length);
      case DNS_REPLY:
        this.#phase = this.#tcp ? SYN : HELLO;
        return this.#udp(
          buf,
          at,
          this.dnsServer,
          this.dnsClient,
          this.#answer,
          this.#answer.length,
        );
      case SYN:
        this.#phase = SYN_ACK;
        return this.#segment(buf, at, true, TCP_SYN, null, 0);
      case SYN_ACK:
        this.#phase = ACK;
        this.#seqClient++;
        return this.#segment(buf, at, false, TCP_SYN | TCP_ACK, null, 0);
      case ACK:
        this.#phase = HELLO;
        this.#seqServer++;
        return this.#segment(buf, at, true, TCP_ACK, null, 0);
      case HELLO: {
        this.#phase = this.#hello ? HELLO_REPLY : DATA;
        if (!this.#hello) return this.next(buf, at);
        if (!this.#tcp) return this.#udp(buf, at, c, s, this.#hello, this.#hello.length);
        return this.#segment(buf, at, true, TCP_PSH | TCP_ACK, this.#hello, this.#hello.length);
      }
      case HELLO_REPLY:
        this.#phase = DATA;
        if (!this.#tcp) return this.#udp(buf, at, s, c, null, 1200);
        return this.#segment(buf, at, false, TCP_PSH | TCP_ACK, null, SERVER_HELLO);
      case DATA:
        return this.#data(buf, at);
      case FIN:
        this.#phase = FIN_ACK;
        return this.#segment(buf, at, true, TCP_FIN | TCP_ACK, null, 0);
      case FIN_ACK:
        this.#phase = LAST_ACK;
        this.#seqClient++;
        return this.#segment(buf, at, false, TCP_FIN | TCP_ACK, null, 0);
      case LAST_ACK:
        this.#phase = DONE;
        this.#seqServer++;
        return this.#segment(buf, at, true, TCP_ACK, null, 0);
    }
    return 0;
  }

  #data(buf: Uint8Array, at: number): number {
    const tcp = this.#tcp;
    if (tcp && this.#unackedDown >= 2) {
      this.#unackedDown = 0;
      return this.#segment(buf, at, true, TCP_ACK, null, 0);
    }
    if (tcp && this.#unackedUp >= 2) {
      this.#unackedUp = 0;
      return this.#segment(buf, at, false, TCP_ACK, null, 0);
    }
    if (this.grantDown >= 1 && (tcp || this.#udpDown < UDP_PER_TICK)) {
      const size = tcp
        ? Math.min(SEGMENT, this.grantDown)
        : this.#datagram(this.grantDown, this.#udpDown++);
      this.grantDown -= size;
      this.backlogDown = Math.max(0, this.backlogDown - size);
      if (!tcp) return this.#udp(buf, at, this.server, this.client, null, size);
      this.#unackedDown++;
      return this.#segment(buf, at, false, TCP_PSH | TCP_ACK, null, size);
    }
    if (this.grantUp >= 1 && (tcp || this.#udpUp < UDP_PER_TICK)) {
      const size = tcp
        ? Math.min(SEGMENT, this.grantUp)
        : this.#datagram(this.grantUp, this.#udpUp++);
      this.grantUp -= size;
      this.backlogUp = Math.max(0, this.backlogUp - size);
      if (!tcp) return this.#udp(buf, at, this.client, this.server, null, size);
      this.#unackedUp++;
      return this.#segment(buf, at, true, TCP_PSH | TCP_ACK, null, size);
    }
    if (this.closeWhenDrained && this.backlogDown < 1 && this.backlogUp < 1) {
      if (!tcp) {
        this.#phase = DONE;
        return 0;
      }
      this.#phase = FIN;
      return this.next(buf, at);
    }
    return 0;
  }

  /** A datagram's size: the grant split over the datagrams left in the tick. */
  #datagram(grant: number, sent: number): number {
    const left = UDP_PER_TICK - sent;
    return Math.min(SEGMENT, Math.max(1, Math.ceil(grant / left)));
  }

  #segment(
    buf: Uint8Array,
    at: number,
    fromClient: boolean,
    flags: number,
    payload: Uint8Array | null,
    length: number,
  ): number {
    const src = fromClient ? this.client : this.server,
      dst = fromClient ? this.server : this.client;
    const seq = fromClient ? this.#seqClient : this.#seqServer;
    const ack = fromClient ? this.#seqServer : this.#seqClient;
    const written = writeTcp(buf, at, src, dst, seq >>> 0, ack >>> 0, flags, payload, length);
    if (fromClient) this.#seqClient = (this.#seqClient + length) >>> 0;
    else this.#seqServer = (this.#seqServer + length) >>> 0;
    this.wire = frameLength(src, "tcp", length);
    return written;
  }

  #udp(
    buf: Uint8Array,
    at: number,
    src: Endpoint,
    dst: Endpoint,
    payload: Uint8Array | null,
    length: number,
  ): number {
    this.wire = frameLength(src, "udp", length);
    return writeUdp(buf, at, src, dst, payload, length);
  }
}
