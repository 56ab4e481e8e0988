// Addresses and MACs written as text, read into the engine's numeric forms:
// IPv4 as one word, IPv6 as four big-endian words, a MAC as one 48-bit number
// (it fits a double exactly). Used where text comes in: config, neighbour
// tables, labels; never per packet.
import { formatIp } from "../ip_address.ts";

/** An address read from text. */
export interface ParsedIp {
  version: 4 | 6;
  words: Uint32Array;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Reads a dotted quad or an IPv6 address (`::`, an IPv4 tail, a `%zone` ignored); null if not one. */
export function parseIp(text: string): ParsedIp | null {
  const v4 = parseV4(text);
  if (v4 !== null) return { version: 4, words: Uint32Array.of(v4, 0, 0, 0) };
  const words = parseV6(text);
  return words ? { version: 6, words } : null;
}

function parseV4(text: string): number | null {
  const m = V4.exec(text);
  if (!m) return null;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

function parseV6(text: string): Uint32Array | null {
  const zone = text.indexOf("%");
  const addr = zone < 0 ? text : text.slice(0, zone);
  if (!addr.includes(":")) return null;
  const halves = addr.split("::");
  if (halves.length > 2) return null;
  const groups = halves.map((h) => h === "" ? [] : h.split(":"));
  const last = groups[groups.length - 1];
  // An IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
  const tail = last.length > 0 ? parseV4(last[last.length - 1]) : null;
  if (tail !== null) last.splice(-1, 1, (tail >>> 16).toString(16), (tail & 0xffff).toString(16));
  const count = groups[0].length + (groups[1]?.length ?? 0);
  if (halves.length === 1 ? count !== 8 : count > 7) return null;
  const all = [...groups[0], ...Array(8 - count).fill("0"), ...(groups[1] ?? [])];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  const n = all.map((g) => parseInt(g, 16));
  return Uint32Array.from([0, 1, 2, 3], (i) => n[2 * i] * 65536 + n[2 * i + 1]);
}

/** An address in the engine's canonical text (RFC 5952 for IPv6), or null if not one. */
export function canonicalIp(text: string): string | null {
  const ip = parseIp(text.trim());
  return ip ? formatIp(ip.version, ip.words) : null;
}

/**
 * A MAC written with `:` or `-` between octets, each of one or two hex digits
 * (macOS prints `a:b:c:d:e:f`), as a 48-bit number; -1 if not one.
 */
export function parseMac(text: string): number {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6) return -1;
  let value = 0;
  for (const p of parts) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(p)) return -1;
    value = value * 256 + parseInt(p, 16);
  }
  return value;
}

/** A 48-bit MAC number as lowercase `aa:bb:cc:dd:ee:ff`. */
export function formatMac(mac: number): string {
  let out = "";
  for (let shift = 40; shift >= 0; shift -= 8) {
    const octet = Math.floor(mac / 2 ** shift) % 256;
    out += (shift === 40 ? "" : ":") + octet.toString(16).padStart(2, "0");
  }
  return out;
}

/** The group (multicast/broadcast) bit: set in the first octet's lowest bit. */
export function isGroupMac(mac: number): boolean {
  return Math.floor(mac / 2 ** 40) % 2 === 1;
}

/** The locally administered bit (0x02 of the first octet): randomized, no vendor. */
export function isLocalMac(mac: number): boolean {
  return (Math.floor(mac / 2 ** 40) & 2) !== 0;
}

/** A device id in its one spelling ("mac:" lowercase, "ip:" canonical), or null if not one. */
export function normalDeviceId(id: string): string | null {
  if (typeof id !== "string") return null;
  if (id.startsWith("mac:")) {
    const mac = parseMac(id.slice(4));
    return mac < 0 ? null : `mac:${formatMac(mac)}`;
  }
  if (!id.startsWith("ip:")) return null;
  const ip = parseIp(id.slice(3));
  return ip ? `ip:${formatIp(ip.version, ip.words)}` : null;
}
