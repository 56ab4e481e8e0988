/**
 * Which addresses are on the LAN. The subnets come from the capture
 * interface's addresses (`192.168.1.7/24` is read as `192.168.1.0/24`), from
 * config, or for a capture file from the private ranges. A packet's side on
 * the LAN belongs to a device; a side outside is the Internet.
 *
 * @module
 */
import { formatIp } from "../ip_address.ts";
import { parseIp } from "./_ip_text.ts";

/** RFC 1918, IPv4 link-local, IPv6 unique local (ULA) and link-local. */
const PRIVATE_RANGES = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "169.254.0.0/16",
  "fc00::/7",
  "fe80::/10",
];

/**
 * A set of LAN subnets with an allocation-free membership test. IPv4
 * addresses are read from `words[0]` only (the decoder reuses its word arrays,
 * so the other words may hold an earlier IPv6 packet's address).
 *
 * @example
 * ```ts
 * import { assert, assertEquals } from "@std/assert";
 * const lan = new LanSubnets(["192.168.1.7/24", "2001:db8:1::/64"]);
 * assertEquals(lan.cidrs, ["192.168.1.0/24", "2001:db8:1::/64"]);
 * assert(lan.contains(4, [0xc0a80114])); // 192.168.1.20
 * assert(!lan.contains(4, [0x08080808])); // 8.8.8.8
 * assert(LanSubnets.privateRanges().contains(6, [0xfe800000, 0, 0, 1]));
 * ```
 */
export class LanSubnets {
  /** The subnets in network form (host bits cleared), in the order given. */
  readonly cidrs: readonly string[];
  /** IPv4: [net, mask] pairs; IPv6: [net x4, mask x4] per subnet. Signed, to compare `w & mask`. */
  readonly #v4: Int32Array;
  readonly #v6: Int32Array;

  /** Throws a TypeError naming the first entry that is not a CIDR (or a bare address). */
  constructor(cidrs: readonly string[]) {
    if (!Array.isArray(cidrs)) {
      throw new TypeError(`LAN subnets must be an array of CIDRs, got ${typeof cidrs}`);
    }
    const v4: number[] = [], v6: number[] = [], names: string[] = [];
    for (const cidr of cidrs) {
      const net = typeof cidr === "string" ? parseCidr(cidr) : null;
      if (!net) throw new TypeError(`LAN subnet ${JSON.stringify(cidr)} is not a CIDR`);
      if (net.version === 4) v4.push(net.words[0], net.mask[0]);
      else v6.push(...net.words, ...net.mask);
      names.push(`${formatIp(net.version, net.words)}/${net.prefix}`);
    }
    this.#v4 = Int32Array.from(v4);
    this.#v6 = Int32Array.from(v6);
    this.cidrs = Object.freeze(names);
  }

  /** RFC 1918, 169.254/16, fc00::/7 and fe80::/10: the LAN of a capture file. */
  static privateRanges(): LanSubnets {
    return new LanSubnets(PRIVATE_RANGES);
  }

  /** Whether an address (IPv4 in `words[0]`, IPv6 as four words) is in one of the subnets. */
  contains(version: number, words: ArrayLike<number>): boolean {
    if (version === 4) {
      const w = words[0], v4 = this.#v4;
      for (let i = 0; i < v4.length; i += 2) if ((w & v4[i + 1]) === v4[i]) return true;
      return false;
    }
    if (version !== 6) return false;
    const w0 = words[0], w1 = words[1], w2 = words[2], w3 = words[3], v6 = this.#v6;
    for (let i = 0; i < v6.length; i += 8) {
      if (
        (w0 & v6[i + 4]) === v6[i] && (w1 & v6[i + 5]) === v6[i + 1] &&
        (w2 & v6[i + 6]) === v6[i + 2] && (w3 & v6[i + 7]) === v6[i + 3]
      ) return true;
    }
    return false;
  }

  /**
   * Whether an IPv4 address is the directed broadcast (all host bits set) of
   * one of the subnets of /30 or wider: 192.168.1.255 on 192.168.1.0/24.
   * IPv6 has no broadcast; its multicast is told apart by its prefix.
   */
  isBroadcast(version: number, words: ArrayLike<number>): boolean {
    if (version !== 4) return false;
    const w = words[0], v4 = this.#v4;
    for (let i = 0; i < v4.length; i += 2) {
      const mask = v4[i + 1];
      // Masks of /31 and /32 have no broadcast: ~mask is 1 or 0.
      if ((w & mask) === v4[i] && (~mask >>> 0) > 1 && (w | mask) === -1) return true;
    }
    return false;
  }
}

interface Cidr {
  version: 4 | 6;
  prefix: number;
  words: Uint32Array;
  mask: Uint32Array;
}

function parseCidr(cidr: string): Cidr | null {
  const slash = cidr.indexOf("/");
  const ip = parseIp(slash < 0 ? cidr : cidr.slice(0, slash));
  if (!ip) return null;
  const max = ip.version === 4 ? 32 : 128, bits = cidr.slice(slash + 1);
  const prefix = slash < 0 ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!(prefix <= max)) return null;
  const mask = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    const n = Math.min(32, Math.max(0, prefix - 32 * i));
    mask[i] = n === 0 ? 0 : 0xffffffff << (32 - n);
    ip.words[i] &= mask[i];
  }
  return { version: ip.version, prefix, words: ip.words, mask };
}
