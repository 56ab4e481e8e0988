// What a flow's naming is, as plain data: where its name came from, the
// result FlowNamer gives, and the fixed matches it falls back on.
import type { AppMatch } from "./app_catalogue.ts";

/**
 * Where a flow's name came from: TLS SNI, QUIC SNI, HTTP Host (and SSDP's
 * HOST), DNS (the flow's own question or the DNS cache), a DHCP request, a
 * NetBIOS datagram, or another application's payload (STUN, Agora, ...).
 */
export type HostnameSource = "sni" | "quic" | "http" | "dns" | "dhcp" | "netbios" | "payload";

export const SOURCES: (HostnameSource | null)[] = [
  null,
  "sni",
  "quic",
  "http",
  "dns",
  "dhcp",
  "netbios",
  "payload",
];
/** IP protocols without ports that are the network's own plumbing. */
export const NETWORK_PROTOCOLS: Record<number, AppMatch> = {
  1: { app: "icmp", name: "ICMP", category: "Network" },
  2: { app: "igmp", name: "IGMP", category: "Network" },
  58: { app: "icmpv6", name: "ICMPv6", category: "Network" },
  89: { app: "ospf", name: "OSPF", category: "Network" },
  103: { app: "pim", name: "PIM", category: "Network" },
  112: { app: "vrrp", name: "VRRP", category: "Network" },
};

/** A STUN flow no app claimed: a call of unknown app. */
export const STUN_CALL: AppMatch = { app: "stun", name: "STUN", category: "VideoCalls" };

/** A flow's name and classification, as plain data. */
export interface FlowNaming {
  hostname: string | null;
  hostnameSource: HostnameSource | null;
  app: string | null;
  /** The app's display name. */
  appName: string | null;
  category: string;
}
