import type { AppCatalogue, AppMatch } from "./app_catalogue.ts";
import {
  DHCP_CLIENT,
  DHCP_SERVER,
  dhcpName,
  NETBIOS_DGM,
  netbiosDatagram,
  senderKey,
  SSDP,
  ssdpName,
} from "./_lan_names.ts";
import { serverBannerName } from "./_banner_name.ts";
import { clientStreamName } from "./client_stream_name.ts";
import { looksLikeDnsQuery, maybeStun, payloadName } from "./_payload_names.ts";
import { DeviceHints } from "./device_hints.ts";
import { DnsCache } from "./dns_cache.ts";
import { parseDnsMessage } from "./dns_message.ts";
import { readDnsDatagram } from "./_dns_flow.ts";
import type { FlowTable } from "./flow_table.ts";
import type { PacketInfo } from "./packet_info.ts";
import { parseQuicInitial, QuicCryptoAssembler } from "./quic_initial.ts";
import { StreamPrefix } from "./stream_prefix.ts";
import { parseStunMessage, stunHostname } from "./stun_message.ts";
import {
  type FlowNaming,
  type HostnameSource,
  NETWORK_PROTOCOLS,
  SOURCES,
  STUN_CALL,
} from "./flow_naming.ts";

export type { FlowNaming, HostnameSource };

const QUIC = 2, HTTP = 3, DNS = 4, DHCP = 5, NETBIOS = 6, PAYLOAD = 7;
const TCP = 6, UDP = 17;
const SYN = 0x02, ACK = 0x10;
/** Packets looked at before a TCP flow is given up on: names come early or not at all. */
const MAX_INSPECTED = 8;
/**
 * The same for UDP, whose names come in a flow's first datagrams: a QUIC
 * Initial (split in two at most), a DHCP or STUN request and its answer.
 */
const MAX_INSPECTED_UDP = 4;
/** Packets looked at for payload signatures: a protocol shows itself in its first exchange. */
const SIGNATURE_PACKETS = 4;
const PREFIX_LIMIT = 16 * 1024;
/** DNS and its relatives in DNS format: mDNS, LLMNR, NetBIOS name service. */
const DNS_PORTS = new Set([53, 5353, 5355, 137]);

/** Inspection state of one flow, alive only while the flow may still be named. */
interface Inspection {
  seen: number;
  /** The flow's direction (0 or 1) that the client sends in: 1 when the table saw the SYN-ACK first. */
  client: number;
  /** A DNS flow's name is final (an answer without error came). */
  settled?: boolean;
  /** DNS flows are read to the end: every answer feeds the cache. */
  dns: boolean;
  /** The client's first sequence number, when its SYN was seen. */
  start?: number;
  /** The client's stream, once a segment had to be held for the next. */
  stream?: StreamPrefix;
  quic?: QuicCryptoAssembler;
}

/**
 * Names flows (TLS and QUIC SNI, HTTP Host, DNS) from their first client
 * packets and classifies them with the app catalogue. A flow that is named,
 * or that showed nothing nameable within its first packets, costs one array
 * read per packet afterwards.
 */
export class FlowNamer {
  readonly dnsCache: DnsCache;
  /** What devices said about themselves (DHCP, mDNS, NetBIOS, SSDP, User-Agent). */
  readonly deviceHints: DeviceHints;
  readonly #catalogue: AppCatalogue;
  /** Names by flow, for the flows that have one: most never do, and a full array costs its fill. */
  readonly #hostname = new Map<number, string>();
  readonly #source: Uint8Array;
  /** What a payload signature or a dissector recognised, whatever the port. */
  readonly #detected = new Map<number, AppMatch>();
  /** 1 when the flow carries STUN: call media, whichever app it belongs to. */
  readonly #call: Uint8Array;
  readonly #inspecting: Uint8Array;
  readonly #state = new Map<number, Inspection>();
  readonly #word = new Uint32Array(4);

  constructor(
    capacity: number,
    catalogue: AppCatalogue,
    dnsCache: DnsCache = new DnsCache(),
    deviceHints: DeviceHints = new DeviceHints(),
  ) {
    this.#catalogue = catalogue;
    this.dnsCache = dnsCache;
    this.deviceHints = deviceHints;
    this.#source = new Uint8Array(capacity);
    this.#call = new Uint8Array(capacity);
    this.#inspecting = new Uint8Array(capacity);
  }

  /** Looks at a packet just counted in `flow`; `isNew` when it opened the flow. */
  observe(
    table: FlowTable,
    flow: number,
    info: PacketInfo,
    data: DataView,
    time: number,
    isNew: boolean,
  ): void {
    if (isNew) this.#open(table, flow, info, time);
    if (this.#inspecting[flow] === 0) return;
    const state = this.#state.get(flow);
    const tcp = info.protocol === TCP;
    if (!state || (!state.dns && ++state.seen > (tcp ? MAX_INSPECTED : MAX_INSPECTED_UDP))) {
      return this.#stop(flow);
    }
    // Nothing to read in an empty packet, save a SYN's sequence number.
    if (info.payloadLength === 0 && (!tcp || (info.tcpFlags & SYN) === 0)) return;
    const payload = new Uint8Array(
      data.buffer,
      data.byteOffset + info.payloadOffset,
      info.payloadLength,
    );
    if (
      !state.dns && payload.length > 0 && state.seen <= SIGNATURE_PACKETS &&
      !this.#detected.has(flow)
    ) {
      const fromServer = table.direction ^ state.client;
      const serverPort = fromServer === 0 ? info.dstPort : info.srcPort;
      const detected = this.#catalogue.byPayload(info.protocol, fromServer, serverPort, payload);
      if (detected) this.#detected.set(flow, detected);
    }
    const dir = table.direction ^ state.client; // 0: from the client
    if (tcp) this.#tcp(flow, state, info, data, dir, payload, time);
    else this.#udp(flow, state, info, data, dir, payload, time);
  }

  /** Whether the flow may still be named: its classification can change with its next packets. */
  isNaming(flow: number): boolean {
    return this.#inspecting[flow] === 1;
  }

  /** Drops a flow's state as it leaves the table. */
  forget(flow: number): void {
    this.#stop(flow);
    this.#hostname.delete(flow);
    this.#source[flow] = 0;
    this.#detected.delete(flow);
    this.#call[flow] = 0;
  }

  /**
   * The flow's name and its app and category. What the payload showed decides
   * first (DNSCrypt on port 443 is DNSCrypt), then a network service's own
   * port (a DNS query for youtube.com is DNS, not YouTube), the hostname, the
   * server's address, and any other port rule.
   */
  naming(table: FlowTable, flow: number): FlowNaming {
    const hostname = this.#hostname.get(flow) ?? null;
    const protocol = table.protocol(flow);
    const clientPort = table.endpoint(flow, 0, this.#word);
    const serverPort = table.endpoint(flow, 1, this.#word); // leaves the server address in #word
    const byPort = this.#catalogue.byPort(protocol, serverPort, clientPort);
    let match: AppMatch | null = NETWORK_PROTOCOLS[protocol] ?? this.#detected.get(flow) ??
      (byPort?.category === "Network" ? byPort : null);
    match ??= hostname ? this.#catalogue.byHostname(hostname) : null;
    match ??= this.#catalogue.byAddress(table.ipVersion(flow) as 4 | 6, this.#word);
    match ??= byPort;
    if (this.#call[flow] === 1 && match?.category !== "VideoCalls") {
      // STUN to a messenger's servers is its calls: the app stays, the category is the call's.
      match = match ? this.#catalogue.asCall(match) : STUN_CALL;
    }
    return {
      hostname,
      hostnameSource: SOURCES[this.#source[flow]],
      app: match?.app ?? null,
      appName: match?.name ?? null,
      category: match?.category ?? "Other",
    };
  }

  #open(table: FlowTable, flow: number, info: PacketInfo, time: number): void {
    this.#hostname.delete(flow);
    this.#source[flow] = 0;
    this.#detected.delete(flow);
    this.#call[flow] = 0;
    // A name the device asked the resolver for, until the flow gives its own.
    const port = table.endpoint(flow, 1, this.#word);
    const known = this.dnsCache.lookupWords(table.ipVersion(flow), this.#word, time);
    if (known) this.#name(flow, known, DNS);
    if ((info.protocol === TCP || info.protocol === UDP) && !info.shortTransport && port !== 0) {
      this.#inspecting[flow] = 1;
      const dns = info.protocol === UDP &&
        (DNS_PORTS.has(info.srcPort) || DNS_PORTS.has(info.dstPort));
      // A capture that starts at the SYN-ACK has the server's packet first.
      const synAck = info.protocol === TCP && (info.tcpFlags & (SYN | ACK)) === (SYN | ACK);
      this.#state.set(flow, { seen: 0, client: synAck ? 1 : 0, dns });
    }
  }

  #tcp(
    flow: number,
    state: Inspection,
    info: PacketInfo,
    data: DataView,
    dir: number,
    payload: Uint8Array,
    time: number,
  ) {
    if (dir !== 0) {
      // Servers that speak first greet with their name (SSH, SMTP, FTP, munin).
      const greeting = payload.length > 0 && this.#source[flow] === 0
        ? serverBannerName(payload)
        : null;
      if (greeting) {
        this.#name(flow, greeting, PAYLOAD);
        this.#stop(flow);
      }
      return;
    }
    if ((info.tcpFlags & SYN) !== 0) {
      state.start = (info.tcpSeq + 1) >>> 0;
      state.seen--; // the handshake does not count against the budget
      return;
    }
    // STUN/TURN over TCP, one message a segment: the realm comes in the client's second request.
    if (payload.length >= 20 && payload[0] <= 1 && this.#stun(flow, payload, true)) return;
    if (payload.length === 0) return;
    // In order with nothing held, as most first segments are: read it where it lies.
    const inPlace = state.stream === undefined &&
      (state.start ?? info.tcpSeq) === info.tcpSeq >>> 0;
    if (inPlace) {
      const full = payload.length >= PREFIX_LIMIT;
      if (this.#clientStream(flow, info, data, payload, full, time)) return this.#stop(flow);
    }
    if (state.stream === undefined) {
      state.stream = new StreamPrefix(PREFIX_LIMIT);
      if (state.start !== undefined) state.stream.start(state.start);
    }
    // A segment read in place is only held for the next: it was read already.
    if (!state.stream.add(info.tcpSeq, payload) || inPlace) return;
    let bytes = state.stream.bytes();
    if (bytes[0] !== 0x16 && payload[0] === 0x16 && bytes.length < payload.length + 8) {
      // A stray segment (an ACK carrying padding, a keep-alive) came before the ClientHello.
      state.stream = new StreamPrefix(PREFIX_LIMIT);
      state.stream.add(info.tcpSeq, payload);
      bytes = state.stream.bytes();
    }
    if (this.#clientStream(flow, info, data, bytes, state.stream.full, time)) this.#stop(flow);
  }

  /** Names a flow from the start of its client's stream; false while more bytes are needed. */
  #clientStream(
    flow: number,
    info: PacketInfo,
    data: DataView,
    bytes: Uint8Array,
    full: boolean,
    time: number,
  ): boolean {
    const said = clientStreamName(bytes, info.dstPort, full);
    if (said === undefined) return false;
    if (said.hostname) this.#name(flow, said.hostname, SOURCES.indexOf(said.source));
    if (said.userAgent) {
      this.deviceHints.note(senderKey(info, data), "userAgent", said.userAgent, time);
    }
    return true;
  }

  #udp(
    flow: number,
    state: Inspection,
    info: PacketInfo,
    data: DataView,
    dir: number,
    payload: Uint8Array,
    time: number,
  ) {
    if (state.dns) {
      const name = readDnsDatagram(
        state,
        payload,
        info,
        data,
        this.dnsCache,
        this.deviceHints,
        time,
      );
      if (name) this.#name(flow, name, DNS);
      return;
    }
    const serverPort = dir === 0 ? info.dstPort : info.srcPort;
    if (serverPort === DHCP_SERVER || serverPort === DHCP_CLIENT) {
      // nDPI's way: the flow's first request names it; every request feeds the hints.
      const name = dhcpName(payload, this.deviceHints, time);
      if (name && this.#source[flow] !== DHCP) this.#name(flow, name, DHCP);
      return;
    }
    if (serverPort === NETBIOS_DGM) {
      const name = netbiosDatagram(payload, senderKey(info, data), this.deviceHints, time);
      if (name) this.#name(flow, name, NETBIOS);
      return this.#stop(flow);
    }
    if (info.dstPort === SSDP) {
      // SSDP is HTTP over UDP: its HOST header is what it names.
      const host = ssdpName(payload, senderKey(info, data), this.deviceHints, time);
      if (host) this.#name(flow, host, HTTP);
      return this.#stop(flow);
    }
    // The TURN server's 401 carries the realm, and the client repeats it: either names.
    if (maybeStun(payload) && this.#stun(flow, payload, false)) return;
    const named = payloadName(serverPort, payload);
    if (named !== undefined) {
      if (named) this.#name(flow, named, PAYLOAD);
      return this.#stop(flow);
    }
    if (dir === 0 && state.seen === 1 && looksLikeDnsQuery(payload)) {
      // DNS in its own format on another port: DNSCrypt's certificate query, resolvers on 443.
      const question = parseDnsMessage(payload)?.question;
      if (question) this.#name(flow, question, DNS);
      return this.#stop(flow);
    }
    if (dir !== 0 || payload.length < 1200) return;
    const initial = parseQuicInitial(payload, state.quic?.keyDcid);
    if (!initial) return;
    state.quic ??= new QuicCryptoAssembler();
    const sni = state.quic.addInitial(initial);
    if (sni === undefined) return;
    if (sni) this.#name(flow, sni, QUIC);
    this.#stop(flow);
  }

  /** Marks a STUN flow as a call, named by its realm when it has one; false if not STUN. */
  #stun(flow: number, payload: Uint8Array, tcp: boolean): boolean {
    const stun = parseStunMessage(payload, { tcp });
    if (!stun) return false;
    this.#call[flow] = 1;
    const realm = stunHostname(stun);
    if (realm) {
      this.#name(flow, realm, PAYLOAD);
      this.#stop(flow);
    }
    return true;
  }

  #name(flow: number, hostname: string, source: number): void {
    this.#hostname.set(flow, hostname);
    this.#source[flow] = source;
  }

  #stop(flow: number): void {
    this.#inspecting[flow] = 0;
    this.#state.delete(flow);
  }
}
