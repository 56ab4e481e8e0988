/**
 * The monitor's open flows as the API shows them: each from its LAN
 * device's side (local, remote, up = bytes the device sent), with its name
 * and app, busiest (most bytes) first.
 *
 * @module
 */
import { formatIp, protocolName } from "../../engine/ip_address.ts";
import type { Monitor } from "../../engine/monitor.ts";

/** One open flow. Bytes and packets since it began; times epoch ms. */
export interface FlowView {
  /** The LAN device on the local side; null when neither side is one. */
  device: string | null;
  /** "tcp", "udp", "icmp", "icmpv6", or the IP protocol number. */
  protocol: string;
  local: string;
  /** null for protocols without ports. */
  localPort: number | null;
  remote: string;
  remotePort: number | null;
  /** SNI, HTTP Host or the DNS name of the remote side. */
  name: string | null;
  app: string | null;
  appName: string | null;
  category: string | null;
  /** Bytes from the local side, and to it. */
  up: number;
  down: number;
  packets: number;
  firstSeen: number;
  lastSeen: number;
}

const TCP = 6, UDP = 17, SCTP = 132;

/**
 * The open flows, most bytes first, at most `limit`; with `device`, only
 * those with that device on one side (seen from its side).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { LanSubnets } from "../../engine/devices/mod.ts";
 * import { Monitor } from "../../engine/monitor.ts";
 * const monitor = new Monitor({ linkType: 1, lan: LanSubnets.privateRanges() });
 * assertEquals(openFlows(monitor, { limit: 10 }), []);
 * ```
 */
export function openFlows(
  monitor: Monitor,
  options: { limit: number; device?: string },
): FlowView[] {
  const table = monitor.tracker.table;
  const owner = addressOwners(monitor);
  const flows: number[] = [], bytes = new Float64Array(table.capacity);
  table.forEach((f) => {
    flows.push(f);
    bytes[f] = table.bytes[f * 2] + table.bytes[f * 2 + 1];
  });
  flows.sort((a, b) => bytes[b] - bytes[a] || a - b);
  const words = new Uint32Array(4);
  const out: FlowView[] = [];
  for (const f of flows) {
    if (out.length >= options.limit) break;
    const version = table.ipVersion(f);
    const clientPort = table.endpoint(f, 0, words);
    const client = formatIp(version, words);
    const serverPort = table.endpoint(f, 1, words);
    const server = formatIp(version, words);
    const clientDevice = owner.get(client) ?? null, serverDevice = owner.get(server) ?? null;
    // The local side: the device asked for, else the client if it is a LAN device.
    const localIsServer = options.device !== undefined
      ? serverDevice === options.device && clientDevice !== options.device
      : clientDevice === null && serverDevice !== null;
    const device = localIsServer ? serverDevice : clientDevice;
    if (options.device !== undefined && device !== options.device) continue;
    const number = table.protocol(f);
    const ports = number === TCP || number === UDP || number === SCTP;
    const naming = monitor.tracker.namer?.naming(table, f);
    const sent = table.bytes[f * 2], received = table.bytes[f * 2 + 1];
    out.push({
      device,
      protocol: protocolName(number).toLowerCase(),
      local: localIsServer ? server : client,
      localPort: ports ? (localIsServer ? serverPort : clientPort) : null,
      remote: localIsServer ? client : server,
      remotePort: ports ? (localIsServer ? clientPort : serverPort) : null,
      name: naming?.hostname ?? null,
      app: naming?.app ?? null,
      appName: naming?.appName ?? null,
      category: naming?.category ?? null,
      up: localIsServer ? received : sent,
      down: localIsServer ? sent : received,
      packets: table.packets[f * 2] + table.packets[f * 2 + 1],
      firstSeen: Math.round(table.firstSeen[f] * 1000),
      lastSeen: Math.round(table.lastSeen[f] * 1000),
    });
  }
  return out;
}

/** Each LAN address to the device holding it (the first, if two claim one). */
function addressOwners(monitor: Monitor): Map<string, string> {
  const owner = new Map<string, string>();
  const devices = monitor.devices;
  for (let i = 0; i < devices.size; i++) {
    const id = devices.id(i);
    for (const address of devices.addressesOf(i).addresses) {
      if (!owner.has(address)) owner.set(address, id);
    }
  }
  return owner;
}
