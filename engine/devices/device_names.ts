/**
 * A device's display name, from everything known about it, best first: the
 * user's own label, the DHCP hostname, the mDNS name, the SSDP server string,
 * the NetBIOS name, reverse DNS (a PTR answer), the neighbour table's name.
 *
 * @module
 */

/** Where a device's name came from, best first. */
export const NAME_SOURCES = [
  "label",
  "dhcp",
  "mdns",
  "ssdp",
  "netbios",
  "rdns",
  "neighbour",
] as const;

/** One of {@linkcode NAME_SOURCES}. */
export type NameSource = typeof NAME_SOURCES[number];

/** What may name a device; absent, null and blank values are skipped. */
export interface NameInputs {
  label?: string | null;
  dhcpHostname?: string | null;
  mdnsName?: string | null;
  ssdpServer?: string | null;
  netbiosName?: string | null;
  /** The PTR answer for one of its addresses. */
  reverseDns?: string | null;
  /** A name from the neighbour table (BSD `arp -a` prints the host's name). */
  neighbourName?: string | null;
}

/** The chosen name and its source; both null when nothing names the device. */
export interface DeviceName {
  name: string | null;
  source: NameSource | null;
}

const FIELDS: readonly [keyof NameInputs, NameSource][] = [
  ["label", "label"],
  ["dhcpHostname", "dhcp"],
  ["mdnsName", "mdns"],
  ["ssdpServer", "ssdp"],
  ["netbiosName", "netbios"],
  ["reverseDns", "rdns"],
  ["neighbourName", "neighbour"],
];

/**
 * The best name among the inputs. Names are trimmed with runs of whitespace
 * made one space; DNS-style names lose a trailing dot and mDNS names their
 * ".local" (both say where the name lives, not what the device is).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(
 *   deviceName({ dhcpHostname: "  ", mdnsName: "Lucas-iPhone.local", reverseDns: "x.lan." }),
 *   { name: "Lucas-iPhone", source: "mdns" },
 * );
 * assertEquals(deviceName({}), { name: null, source: null });
 * ```
 */
export function deviceName(inputs: NameInputs): DeviceName {
  for (const [field, source] of FIELDS) {
    const value = inputs[field];
    if (typeof value !== "string") continue;
    let name = value.trim().replace(/\s+/g, " ");
    if (source === "rdns" || source === "neighbour" || source === "mdns") {
      name = name.replace(/\.$/, "");
    }
    if (source === "mdns") name = name.replace(/\.local$/i, "");
    if (name !== "") return { name, source };
  }
  return { name: null, source: null };
}
