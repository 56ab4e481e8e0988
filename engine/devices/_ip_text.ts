// Addresses and MACs written as text, read into the engine's numeric forms:
// IPv4 as one word, IPv6 as four big-endian words, a MAC as one 48-bit number
// (it fits a double exactly). Used where text comes in: config, neighbour
// tables, labels; never per packet.
import { formatIp, parseIp } from "../ip_address.ts";

export { parseIp };

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
  // By hand, not split and a regex per octet: the shaper looks MACs up for thousands of devices.
  let value = 0, octets = 0, digits = 0, octet = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 58; // the end closes the last octet
    if (c === 58 || c === 45) { // ":" or "-"
      if (digits === 0 || ++octets > 6) return -1;
      value = value * 256 + octet;
      digits = octet = 0;
      continue;
    }
    const v = c >= 48 && c <= 57
      ? c - 48
      : c >= 97 && c <= 102
      ? c - 87
      : c >= 65 && c <= 70
      ? c - 55
      : -1;
    if (v < 0 || ++digits > 2) return -1;
    octet = octet * 16 + v;
  }
  return octets === 6 ? value : -1;
}

const HEX_OCTETS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** A 48-bit MAC number as lowercase `aa:bb:cc:dd:ee:ff`. */
export function formatMac(mac: number): string {
  let out = HEX_OCTETS[Math.floor(mac / 2 ** 40) % 256];
  for (let shift = 32; shift >= 0; shift -= 8) {
    out += ":" + HEX_OCTETS[Math.floor(mac / 2 ** shift) % 256];
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
