import type { HostnameSource } from "./flow_namer.ts";
import type { FlowTable } from "./flow_table.ts";
import { formatEndpoint, protocolName } from "./ip_address.ts";

/** Packets and bytes one way. */
export interface DirectionTotals {
  packets: number;
  bytes: number;
}

/** A flow as plain data: what reports, the API and tests see. */
export interface FlowRecord {
  /** TCP, UDP, ICMP, ICMPV6, or the IP protocol number. */
  protocol: string;
  /** `ip:port` of the side that sent the first packet (`[addr]:port` for IPv6). */
  client: string;
  server: string;
  /** 802.1Q VLAN id, 0 when untagged. */
  vlan: number;
  c2s: DirectionTotals;
  s2c: DirectionTotals;
  /**
   * Present when the flow had non-first IP fragments: how many of the packets
   * and bytes above they are, each way.
   */
  fragments?: { c2s: DirectionTotals; s2c: DirectionTotals };
  /** Seconds since the epoch, microsecond precision. */
  firstSeen: number;
  lastSeen: number;
  /**
   * The name the flow went to (TLS/QUIC SNI, HTTP Host, the DNS name of its
   * server, a LAN name or one a payload carried).
   */
  hostname: string | null;
  /** Where `hostname` came from: sni, quic, http, dns, dhcp, netbios or payload. */
  hostnameSource: HostnameSource | null;
  /** The app's catalogue id, and its category ("Other" when nothing matched). */
  app: string | null;
  /** The app's display name; present once a catalogue classified the flow. */
  appName?: string | null;
  category: string | null;
}

const scratch = new Uint32Array(4);

/** Copies a flow out of the table as a {@linkcode FlowRecord}. */
export function flowRecord(table: FlowTable, flow: number): FlowRecord {
  const version = table.ipVersion(flow);
  const clientPort = table.endpoint(flow, 0, scratch);
  const client = formatEndpoint(version, scratch, clientPort);
  const serverPort = table.endpoint(flow, 1, scratch);
  const server = formatEndpoint(version, scratch, serverPort);
  const record: FlowRecord = {
    protocol: protocolName(table.protocol(flow)),
    client,
    server,
    vlan: table.vlanId(flow),
    c2s: { packets: table.packets[flow * 2], bytes: table.bytes[flow * 2] },
    s2c: { packets: table.packets[flow * 2 + 1], bytes: table.bytes[flow * 2 + 1] },
    firstSeen: roundMicros(table.firstSeen[flow]),
    lastSeen: roundMicros(table.lastSeen[flow]),
    hostname: null,
    hostnameSource: null,
    app: null,
    category: null,
  };
  const c2sFragments = table.fragmentPackets(flow, 0),
    s2cFragments = table.fragmentPackets(flow, 1);
  if (c2sFragments + s2cFragments > 0) {
    record.fragments = {
      c2s: { packets: c2sFragments, bytes: table.fragmentBytes(flow, 0) },
      s2c: { packets: s2cFragments, bytes: table.fragmentBytes(flow, 1) },
    };
  }
  return record;
}

function roundMicros(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}
