import type { AppCatalogue, AppMatch } from "./app_catalogue.ts";
import { DnsCache } from "./dns_cache.ts";
import { parseDnsMessage } from "./dns_message.ts";
import type { FlowTable } from "./flow_table.ts";
import { parseHttpRequest } from "./http_request.ts";
import { formatIp } from "./ip_address.ts";
import { netbiosName } from "./netbios_name.ts";
import type { PacketInfo } from "./packet_info.ts";
import { parseQuicInitial, QuicCryptoAssembler } from "./quic_initial.ts";
import { StreamPrefix } from "./stream_prefix.ts";
import { parseTlsRecords } from "./tls_client_hello.ts";

/** Where a flow's name came from. */
export type HostnameSource = "sni" | "quic" | "http" | "dns";

const SOURCES: (HostnameSource | null)[] = [null, "sni", "quic", "http", "dns"];
const SNI = 1, QUIC = 2, HTTP = 3, DNS = 4;
const TCP = 6, UDP = 17;
const SYN = 0x02;
/** Client packets looked at before a flow is given up on: names come early or not at all. */
const MAX_INSPECTED = 8;
const PREFIX_LIMIT = 16 * 1024;
/** DNS and its relatives in DNS format: mDNS, LLMNR, NetBIOS name service. */
const DNS_PORTS = new Set([53, 5353, 5355, 137]);
const NETBIOS_NS = 137, SSDP = 1900;

/** IP protocols without ports that are the network's own plumbing. */
const NETWORK_PROTOCOLS: Record<number, AppMatch> = {
  1: { app: "icmp", name: "ICMP", category: "Network" },
  2: { app: "igmp", name: "IGMP", category: "Network" },
  58: { app: "icmpv6", name: "ICMPv6", category: "Network" },
  89: { app: "ospf", name: "OSPF", category: "Network" },
  103: { app: "pim", name: "PIM", category: "Network" },
  112: { app: "vrrp", name: "VRRP", category: "Network" },
};

/** A flow's name and classification, as plain data. */
export interface FlowNaming {
  hostname: string | null;
  hostnameSource: HostnameSource | null;
  app: string | null;
  category: string;
}

/** Inspection state of one flow, alive only while the flow may still be named. */
interface Inspection {
  seen: number;
  /** DNS flows are read to the end: every answer feeds the cache. */
  dns: boolean;
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
  readonly #catalogue: AppCatalogue;
  readonly #hostname: (string | null)[];
  readonly #source: Uint8Array;
  readonly #inspecting: Uint8Array;
  readonly #state = new Map<number, Inspection>();
  readonly #word = new Uint32Array(4);

  constructor(capacity: number, catalogue: AppCatalogue, dnsCache = new DnsCache()) {
    this.#catalogue = catalogue;
    this.dnsCache = dnsCache;
    this.#hostname = new Array(capacity).fill(null);
    this.#source = new Uint8Array(capacity);
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
    if (!state || (!state.dns && ++state.seen > MAX_INSPECTED)) return this.#stop(flow);
    const payload = new Uint8Array(
      data.buffer,
      data.byteOffset + info.payloadOffset,
      info.payloadLength,
    );
    if (info.protocol === TCP) this.#tcp(flow, state, info, table.direction, payload);
    else this.#udp(flow, state, info, table.direction, payload, time);
  }

  /** Drops a flow's state as it leaves the table. */
  forget(flow: number): void {
    this.#stop(flow);
    this.#hostname[flow] = null;
    this.#source[flow] = 0;
  }

  /**
   * The flow's name and its app and category. A network service's own port
   * decides first (a DNS query for youtube.com is DNS, not YouTube), then the
   * hostname, the server's address, and any other port rule.
   */
  naming(table: FlowTable, flow: number): FlowNaming {
    const hostname = this.#hostname[flow];
    const protocol = table.protocol(flow);
    const clientPort = table.endpoint(flow, 0, this.#word);
    const serverPort = table.endpoint(flow, 1, this.#word); // leaves the server address in #word
    const byPort = this.#catalogue.byPort(protocol, serverPort, clientPort);
    let match: AppMatch | null = NETWORK_PROTOCOLS[protocol] ??
      (byPort?.category === "Network" ? byPort : null);
    match ??= hostname ? this.#catalogue.byHostname(hostname) : null;
    match ??= this.#catalogue.byAddress(table.ipVersion(flow) as 4 | 6, this.#word);
    match ??= byPort;
    return {
      hostname,
      hostnameSource: SOURCES[this.#source[flow]],
      app: match?.app ?? null,
      category: match?.category ?? "Other",
    };
  }

  #open(table: FlowTable, flow: number, info: PacketInfo, time: number): void {
    this.#hostname[flow] = null;
    this.#source[flow] = 0;
    // A name the device asked the resolver for, until the flow gives its own.
    const port = table.endpoint(flow, 1, this.#word);
    const known = this.dnsCache.lookup(formatIp(table.ipVersion(flow), this.#word), time);
    if (known) this.#name(flow, known, DNS);
    if ((info.protocol === TCP || info.protocol === UDP) && !info.shortTransport && port !== 0) {
      this.#inspecting[flow] = 1;
      const dns = info.protocol === UDP &&
        (DNS_PORTS.has(info.srcPort) || DNS_PORTS.has(info.dstPort));
      this.#state.set(flow, { seen: 0, dns });
    }
  }

  #tcp(flow: number, state: Inspection, info: PacketInfo, dir: number, payload: Uint8Array) {
    if (dir !== 0) return;
    state.stream ??= new StreamPrefix(PREFIX_LIMIT);
    if ((info.tcpFlags & SYN) !== 0) {
      state.stream.start((info.tcpSeq + 1) >>> 0);
      state.seen--; // the handshake does not count against the budget
      return;
    }
    if (payload.length === 0 || !state.stream.add(info.tcpSeq, payload)) return;
    const bytes = state.stream.bytes();
    if (bytes[0] === 0x16) {
      const hello = parseTlsRecords(bytes);
      if (hello === undefined && !state.stream.full) return;
      if (hello?.sni) this.#name(flow, hello.sni, SNI);
    } else {
      const request = parseHttpRequest(bytes);
      if (request === undefined && !state.stream.full) return;
      if (request?.host) this.#name(flow, request.host, HTTP);
    }
    this.#stop(flow);
  }

  #udp(
    flow: number,
    state: Inspection,
    info: PacketInfo,
    dir: number,
    payload: Uint8Array,
    time: number,
  ) {
    if (state.dns) {
      // Queries only name the flow; once it has its name, only answers matter (the cache).
      if (payload.length < 12 || ((payload[2] & 0x80) === 0 && this.#source[flow] === DNS)) return;
      const message = parseDnsMessage(payload);
      if (!message) return;
      if (message.response) this.dnsCache.learn(message, time);
      if (message.question && this.#source[flow] !== DNS) {
        const port = info.dstPort === NETBIOS_NS || info.srcPort === NETBIOS_NS;
        const name = port ? netbiosName(message.question) : message.question;
        if (name) this.#name(flow, name, DNS);
      }
      return;
    }
    if (info.dstPort === SSDP) {
      // SSDP is HTTP over UDP: its HOST header is what it names.
      const host = ssdpHost(payload);
      if (host) this.#name(flow, host, HTTP);
      return this.#stop(flow);
    }
    if (dir !== 0 || payload.length < 1200 || (payload[0] & 0xc0) !== 0xc0) return;
    const initial = parseQuicInitial(payload);
    if (!initial) return;
    state.quic ??= new QuicCryptoAssembler();
    state.quic.add(initial.chunks);
    const sni = state.quic.sni();
    if (sni === undefined) return;
    if (sni) this.#name(flow, sni, QUIC);
    this.#stop(flow);
  }

  #name(flow: number, hostname: string, source: number): void {
    this.#hostname[flow] = hostname;
    this.#source[flow] = source;
  }

  #stop(flow: number): void {
    this.#inspecting[flow] = 0;
    this.#state.delete(flow);
  }
}

const latin1 = new TextDecoder("latin1");

/** The HOST header of an SSDP request (M-SEARCH or NOTIFY), as written. */
function ssdpHost(payload: Uint8Array): string | null {
  const text = latin1.decode(payload.subarray(0, 1024));
  if (!text.startsWith("M-SEARCH ") && !text.startsWith("NOTIFY ")) return null;
  const m = /\r?\nhost:[ \t]*([^\r\n]{1,260})/i.exec(text);
  return m ? m[1].trim().toLowerCase() : null;
}
