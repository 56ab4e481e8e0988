// What device() and list() report about a device: everything the table holds,
// with its vendor, and its name chosen from the hints, reverse DNS and the
// neighbour table. Built per call (a UI refresh), never per packet.
import type { DeviceHint, DeviceHints } from "../device_hints.ts";
import { isLocalMac, parseMac } from "./_ip_text.ts";
import type { Device, DeviceExtra } from "./device.ts";
import { deviceName } from "./device_names.ts";
import type { NeighbourEntry } from "./neighbours.ts";
import type { OuiTable } from "./oui_table.ts";

/** A device as the table holds it, before naming. */
export interface DeviceState {
  id: string;
  /** Its MAC as text, known from its frames or from the neighbour table; null if neither. */
  mac: string | null;
  addresses: string[];
  label: string | null;
  firstSeen: number;
  lastSeen: number;
}

/** The inputs of one device() or list() call, indexed once for all devices. */
export class ViewContext {
  readonly #hints?: DeviceHints;
  readonly #extra: DeviceExtra;
  #neighbourByMac?: Map<string, NeighbourEntry>;
  #neighbourByIp?: Map<string, NeighbourEntry>;
  #dhcpByIp?: Map<string, DeviceHint>;

  constructor(hints?: DeviceHints, extra: DeviceExtra = {}) {
    this.#hints = hints;
    this.#extra = extra;
  }

  /** The neighbour entry for the device: by its MAC when known, else by one of its addresses. */
  neighbour(mac: string | null, addresses: readonly string[]): NeighbourEntry | undefined {
    const entries = this.#extra.neighbours;
    if (!entries || entries.length === 0) return undefined;
    if (!this.#neighbourByMac) {
      this.#neighbourByMac = new Map();
      this.#neighbourByIp = new Map();
      for (const e of entries) {
        // An entry with a name wins over a bare one for the same MAC.
        if (!this.#neighbourByMac.get(e.mac)?.name) this.#neighbourByMac.set(e.mac, e);
        this.#neighbourByIp!.set(e.ip, e);
      }
    }
    // A device with a MAC is matched by it only: an address entry may be another host's, stale.
    if (mac !== null) return this.#neighbourByMac.get(mac);
    for (const a of addresses) {
      const e = this.#neighbourByIp!.get(a);
      if (e) return e;
    }
    return undefined;
  }

  /** The device's hints, most specific first: its MAC's, then its addresses'. */
  hints(state: DeviceState, mac: string | null): DeviceHint[] {
    const hints = this.#hints;
    if (!hints || hints.size === 0) return [];
    const out: DeviceHint[] = [];
    const add = (h: DeviceHint | undefined) => h && !out.includes(h) && out.push(h);
    add(hints.get(state.id));
    if (mac !== null) add(hints.get(`mac:${mac}`));
    for (const a of state.addresses) add(hints.get(`ip:${a}`));
    if (mac === null) {
      // Without a MAC, DHCP hints (kept by MAC) are found by the address the client used.
      if (!this.#dhcpByIp) {
        this.#dhcpByIp = new Map();
        for (const h of hints.list()) if (h.ip) this.#dhcpByIp.set(h.ip, h);
      }
      for (const a of state.addresses) add(this.#dhcpByIp.get(a));
    }
    return out;
  }

  reverseDns(addresses: readonly string[]): string | undefined {
    const names = this.#extra.reverseDns;
    if (!names || names.size === 0) return undefined;
    for (const a of addresses) {
      const name = names.get(a);
      if (name) return name;
    }
    return undefined;
  }
}

/** The plain-data report of one device at `now`. */
export function describe(
  state: DeviceState,
  now: number,
  offlineAfter: number,
  oui: OuiTable | undefined,
  context: ViewContext,
): Device {
  const neighbour = context.neighbour(state.mac, state.addresses);
  const mac = state.mac ?? neighbour?.mac ?? null;
  const macNumber = mac === null ? -1 : parseMac(mac);
  const randomMac = macNumber >= 0 && isLocalMac(macNumber);
  const vendor = macNumber >= 0 && !randomMac && oui
    ? oui.vendor(Math.floor(macNumber / 2 ** 24))
    : null;
  const hints = context.hints(state, mac);
  const first = (field: "dhcpHostname" | "mdnsName" | "ssdpServer" | "netbiosName") =>
    hints.find((h) => h[field]?.trim())?.[field];
  const { name, source } = deviceName({
    label: state.label,
    dhcpHostname: first("dhcpHostname"),
    mdnsName: first("mdnsName"),
    ssdpServer: first("ssdpServer"),
    netbiosName: first("netbiosName"),
    reverseDns: context.reverseDns(state.addresses),
    neighbourName: neighbour?.name,
  });
  return {
    id: state.id,
    mac,
    addresses: state.addresses,
    vendor,
    randomMac,
    label: state.label,
    name,
    nameSource: source,
    firstSeen: state.firstSeen,
    lastSeen: state.lastSeen,
    online: now - state.lastSeen <= offlineAfter,
  };
}
