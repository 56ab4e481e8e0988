/**
 * The host's neighbour (ARP/NDP) table, read from the text of `ip neigh`,
 * `/proc/net/arp` or `arp -a` (Windows, and BSD/macOS/net-tools
 * `host (ip) at mac ...`). Parsing is pure; running the command or reading
 * the file is the caller's business. Incomplete and failed entries, zero MACs
 * and multicast/broadcast MACs are skipped: they name no device.
 *
 * @module
 */
import { canonicalIp, formatMac, isGroupMac, parseMac } from "./_ip_text.ts";

/** One neighbour: an address, the MAC it is at, and a name when the table gives one. */
export interface NeighbourEntry {
  /** Canonical text: dotted quad, or RFC 5952 IPv6. */
  ip: string;
  /** Lowercase `aa:bb:cc:dd:ee:ff`. */
  mac: string;
  name?: string;
}

/** An entry from text fields, or null when the address or MAC names no device. */
function entry(ipText: string, macText: string, name?: string): NeighbourEntry | null {
  const ip = canonicalIp(ipText), mac = parseMac(macText);
  if (ip === null || mac <= 0 || isGroupMac(mac)) return null;
  const out: NeighbourEntry = { ip, mac: formatMac(mac) };
  if (name) out.name = name;
  return out;
}

function collect(text: string, parse: (fields: string[]) => NeighbourEntry | null) {
  const out: NeighbourEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    const fields = line.trim().split(/\s+/);
    const found = fields[0] === "" ? null : parse(fields);
    if (found) out.push(found);
  }
  return out;
}

/**
 * Entries of iproute2's `ip neigh` (`ip -4 neigh`, `ip -6 neigh` too).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const text = "192.168.1.1 dev eth0 lladdr 3c:37:86:aa:bb:cc REACHABLE\n" +
 *   "192.168.1.50 dev eth0  FAILED\n";
 * assertEquals(parseIpNeigh(text), [{ ip: "192.168.1.1", mac: "3c:37:86:aa:bb:cc" }]);
 * ```
 */
export function parseIpNeigh(text: string): NeighbourEntry[] {
  return collect(text, (f) => {
    const at = f.indexOf("lladdr");
    const state = f[f.length - 1];
    if (at < 1 || at + 1 >= f.length || state === "INCOMPLETE" || state === "FAILED") return null;
    return entry(f[0], f[at + 1]);
  });
}

/**
 * Entries of Linux's `/proc/net/arp`; flags without ATF_COM (0x2) are incomplete.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const text = "IP address       HW type     Flags       HW address            Mask     Device\n" +
 *   "192.168.1.1      0x1         0x2         3c:37:86:aa:bb:cc     *        eth0\n";
 * assertEquals(parseProcNetArp(text), [{ ip: "192.168.1.1", mac: "3c:37:86:aa:bb:cc" }]);
 * ```
 */
export function parseProcNetArp(text: string): NeighbourEntry[] {
  return collect(text, (f) => {
    if (f.length < 4 || !/^0x[0-9a-f]+$/i.test(f[2]) || (parseInt(f[2], 16) & 2) === 0) return null;
    return entry(f[0], f[3]);
  });
}

/**
 * Entries of `arp -a`, in either form it takes: Windows' table
 * (`  192.168.1.1   3c-37-86-aa-bb-cc   dynamic`, under any language's
 * headings) or BSD, macOS and Linux net-tools' `name (ip) at mac ...`, where
 * the name is `?` when the host has none.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseArpA("router.lan (192.168.1.1) at 3c:37:86:aa:bb:cc on en0 ifscope [ethernet]"), [
 *   { ip: "192.168.1.1", mac: "3c:37:86:aa:bb:cc", name: "router.lan" },
 * ]);
 * assertEquals(parseArpA("  192.168.1.7     a4-83-e7-01-02-03     dynamic"), [
 *   { ip: "192.168.1.7", mac: "a4:83:e7:01:02:03" },
 * ]);
 * ```
 */
export function parseArpA(text: string): NeighbourEntry[] {
  return collect(text, (f) => {
    if (f.length >= 4 && f[2] === "at" && /^\(.*\)$/.test(f[1])) {
      return entry(f[1].slice(1, -1), f[3], f[0] === "?" ? undefined : f[0]);
    }
    // Windows: address, physical address, type. "Interface: ..." lines fail the MAC test.
    return f.length >= 2 && f[1].includes("-") ? entry(f[0], f[1]) : null;
  });
}
