// The churn generator of bench:memory: millions of short flows from many LAN
// devices (10.0.0.0/8, each its own MAC) to many Internet addresses, written
// packet by packet into one reused frame buffer and handed to a PacketSink
// (Monitor, FlowTracker or the naive peer), with packet time moving on at a
// set rate of new flows per second. Deterministic: flow i is always the same.
//
// Flows, by i % 20:
//   0..11  TCP to port 443: SYN, SYN-ACK, ACK, FIN-ACK each way (5 packets)
//   12..14 TCP to port 80: the same with an HTTP request naming a host (6 packets)
//   15..18 UDP one-shots to a high port: one datagram and its answer
//   19     DNS: a query to 9.9.9.9 and its answer (an A record), which the DNS cache learns

/** What takes packets: Monitor, FlowTracker and the peer all do. */
export interface Sink {
  packet(
    data: DataView,
    offset: number,
    capLen: number,
    wireLen: number,
    tsSec: number,
    tsNsec: number,
  ): unknown;
}

/** Options for {@linkcode Churn}. */
export interface ChurnOptions {
  /** Distinct LAN devices over the whole run. */
  devices: number;
  /** Devices active at once: the active set moves on every `devices / active` share of flows. */
  active: number;
  /** Flows the active set lasts before the next one takes over. */
  rotateEvery: number;
  /** New flows per simulated second, at first. */
  rate: number;
  /** Epoch seconds of the first packet. */
  start: number;
}

const ETH = 14, IP = 20, TCP = 20, UDP = 8;
const SYN = 0x02, ACK = 0x10, FIN = 0x01, PSH = 0x08;
const ROUTER_MAC_HI = 0x0200, ROUTER_MAC_LO = 0x00000001;
const RESOLVER = 0x09090909;
/** Internet servers the flows go to. */
const SERVERS = 1 << 20;
const encoder = new TextEncoder();

/** Writes flows into one buffer and feeds them to a sink. */
export class Churn {
  readonly options: ChurnOptions;
  /** Packets written so far. */
  packets = 0;
  readonly #frame = new Uint8Array(256);
  readonly #view = new DataView(this.#frame.buffer);
  #time: number;
  #step = 0;

  constructor(options: ChurnOptions) {
    this.options = options;
    this.#time = options.start;
    this.setRate(options.rate);
  }

  /** New flows per simulated second from here on. */
  setRate(rate: number): void {
    // Each flow takes 1/rate seconds, spread over its packets: time never goes back.
    this.#step = 1 / rate / 6;
  }

  /** Seconds since the epoch of the last packet. */
  get time(): number {
    return this.#time;
  }

  /** The LAN device of flow `i`: an index among `devices`. */
  device(i: number): number {
    const { devices, active, rotateEvery } = this.options;
    const set = Math.floor(i / rotateEvery);
    return (set * active + mix(i) % active) % devices;
  }

  /** Feeds every packet of flow `i` to `sink`; returns how many. */
  flow(i: number, sink: Sink): number {
    const d = this.device(i) + 2; // .0 and .1 are left out: network address, the router
    const devHi = 0x02d3, devLo = d | 0;
    const lan = (0x0a000000 | d) >>> 0;
    const h = mix(i * 2 + 1);
    const remote = server(h);
    const clientPort = 1024 + mix(i * 5 + 2) % 60000;
    const kind = i % 20;
    const seq = h >>> 0, ack = mix(h) >>> 0;
    let n = 0;
    if (kind < 15) {
      const port = kind < 12 ? 443 : 80;
      n += this.#tcp(sink, devHi, devLo, true, lan, remote, clientPort, port, seq, 0, SYN, null);
      n += this.#tcp(
        sink,
        devHi,
        devLo,
        false,
        lan,
        remote,
        clientPort,
        port,
        ack,
        seq + 1,
        SYN | ACK,
        null,
      );
      n += this.#tcp(
        sink,
        devHi,
        devLo,
        true,
        lan,
        remote,
        clientPort,
        port,
        seq + 1,
        ack + 1,
        ACK,
        null,
      );
      let sent = 0;
      if (port === 80) {
        const request = encoder.encode(
          `GET / HTTP/1.1\r\nHost: cdn${h % 5000}.example.net\r\n\r\n`,
        );
        n += this.#tcp(
          sink,
          devHi,
          devLo,
          true,
          lan,
          remote,
          clientPort,
          port,
          seq + 1,
          ack + 1,
          PSH | ACK,
          request,
        );
        sent = request.length;
      }
      n += this.#tcp(
        sink,
        devHi,
        devLo,
        true,
        lan,
        remote,
        clientPort,
        port,
        seq + 1 + sent,
        ack + 1,
        FIN | ACK,
        null,
      );
      n += this.#tcp(
        sink,
        devHi,
        devLo,
        false,
        lan,
        remote,
        clientPort,
        port,
        ack + 1,
        seq + 2 + sent,
        FIN | ACK,
        null,
      );
    } else if (kind < 19) {
      const port = 20000 + h % 40000;
      n += this.#udp(sink, devHi, devLo, true, lan, remote, clientPort, port, null);
      n += this.#udp(sink, devHi, devLo, false, lan, remote, clientPort, port, null);
    } else {
      const name = `host${h % 50000}.example.org`;
      n += this.#udp(sink, devHi, devLo, true, lan, RESOLVER, clientPort, 53, dns(i, name, -1));
      // The answer names a server later flows may go to: the DNS cache names them.
      const answer = server(mix(i * 3));
      n += this.#udp(
        sink,
        devHi,
        devLo,
        false,
        lan,
        RESOLVER,
        clientPort,
        53,
        dns(i, name, answer),
      );
    }
    return n;
  }

  #tcp(
    sink: Sink,
    devHi: number,
    devLo: number,
    fromClient: boolean,
    lan: number,
    remote: number,
    clientPort: number,
    serverPort: number,
    seq: number,
    ack: number,
    flags: number,
    payload: Uint8Array | null,
  ): number {
    const v = this.#view, at = ETH + IP, length = IP + TCP + (payload?.length ?? 0);
    this.#ip(devHi, devLo, fromClient, lan, remote, 6, length);
    v.setUint16(at, fromClient ? clientPort : serverPort);
    v.setUint16(at + 2, fromClient ? serverPort : clientPort);
    v.setUint32(at + 4, seq >>> 0);
    v.setUint32(at + 8, ack >>> 0);
    v.setUint8(at + 12, 0x50);
    v.setUint8(at + 13, flags);
    v.setUint16(at + 14, 64240);
    v.setUint32(at + 16, 0);
    if (payload) this.#frame.set(payload, at + TCP);
    return this.#send(sink, ETH + length);
  }

  #udp(
    sink: Sink,
    devHi: number,
    devLo: number,
    fromClient: boolean,
    lan: number,
    remote: number,
    clientPort: number,
    serverPort: number,
    payload: Uint8Array | null,
  ): number {
    const v = this.#view, at = ETH + IP, size = payload?.length ?? 32;
    this.#ip(devHi, devLo, fromClient, lan, remote, 17, IP + UDP + size);
    v.setUint16(at, fromClient ? clientPort : serverPort);
    v.setUint16(at + 2, fromClient ? serverPort : clientPort);
    v.setUint16(at + 4, UDP + size);
    v.setUint16(at + 6, 0);
    if (payload) this.#frame.set(payload, at + UDP);
    else this.#frame.fill(0x5a, at + UDP, at + UDP + size);
    return this.#send(sink, ETH + IP + UDP + size);
  }

  /** Ethernet and IPv4 headers: the device sends to the router's MAC, or gets from it. */
  #ip(
    devHi: number,
    devLo: number,
    fromClient: boolean,
    lan: number,
    remote: number,
    protocol: number,
    length: number,
  ): void {
    const v = this.#view;
    v.setUint16(0, fromClient ? ROUTER_MAC_HI : devHi);
    v.setUint32(2, fromClient ? ROUTER_MAC_LO : devLo);
    v.setUint16(6, fromClient ? devHi : ROUTER_MAC_HI);
    v.setUint32(8, fromClient ? devLo : ROUTER_MAC_LO);
    v.setUint16(12, 0x0800);
    v.setUint8(ETH, 0x45);
    v.setUint8(ETH + 1, 0);
    v.setUint16(ETH + 2, length);
    v.setUint16(ETH + 4, this.packets & 0xffff);
    v.setUint16(ETH + 6, 0x4000); // DF, no fragments
    v.setUint8(ETH + 8, 64);
    v.setUint8(ETH + 9, protocol);
    v.setUint16(ETH + 10, 0);
    v.setUint32(ETH + 12, fromClient ? lan : remote);
    v.setUint32(ETH + 16, fromClient ? remote : lan);
  }

  #send(sink: Sink, length: number): number {
    this.#time += this.#step;
    const sec = Math.floor(this.#time);
    const nsec = Math.floor((this.#time - sec) * 1e9);
    sink.packet(this.#view, 0, length, length, sec, nsec);
    this.packets++;
    return 1;
  }
}

/** One of SERVERS Internet addresses, spread over 32.0.0.0 to 95.255.255.255. */
function server(h: number): number {
  return (0x20000000 + (h % SERVERS) * 61) >>> 0;
}

/** A DNS query for `name` (answer < 0), or its answer giving the address `answer`. */
function dns(id: number, name: string, answer: number): Uint8Array {
  const labels = name.split(".").flatMap((l) => [l.length, ...encoder.encode(l)]);
  const question = [...labels, 0, 0, 1, 0, 1];
  const response = answer >= 0;
  const header = [
    (id >>> 8) & 255,
    id & 255,
    response ? 0x81 : 0x01,
    response ? 0x80 : 0x00,
    0,
    1,
    0,
    response ? 1 : 0,
    0,
    0,
    0,
    0,
  ];
  const record = response ? [0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, ...u32(answer)] : [];
  return Uint8Array.from([...header, ...question, ...record]);
}

function u32(n: number): number[] {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

/** A 32-bit integer hash: flows look random but are the same every run. */
export function mix(n: number): number {
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
