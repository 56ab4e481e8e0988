/**
 * Formats an address held as words: IPv4 as dotted quad from `words[0]`,
 * IPv6 from four big-endian words in RFC 5952 form (longest zero run as `::`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatIp(4, Uint32Array.of(0xc0a80107)), "192.168.1.7");
 * assertEquals(formatIp(6, Uint32Array.of(0x20010db8, 0, 0, 1)), "2001:db8::1");
 * ```
 */
export function formatIp(version: number, words: ArrayLike<number>): string {
  if (version === 4) {
    const w = words[0];
    return `${w >>> 24}.${(w >>> 16) & 255}.${(w >>> 8) & 255}.${w & 255}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 4; i++) groups.push(words[i] >>> 16, words[i] & 0xffff);
  let bestAt = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestAt, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (from: number, to: number) =>
    groups.slice(from, to).map((g) => g.toString(16)).join(":");
  if (bestAt < 0) return hex(0, 8);
  return `${hex(0, bestAt)}::${hex(bestAt + bestLen, 8)}`;
}

/** Formats an endpoint as `ip:port`, IPv6 as `[addr]:port`. */
export function formatEndpoint(version: number, words: ArrayLike<number>, port: number): string {
  const ip = formatIp(version, words);
  return version === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The name of an IP protocol as Sluice reports it: TCP, UDP, ICMP, ICMPV6 or the number. */
export function protocolName(protocol: number): string {
  switch (protocol) {
    case 6:
      return "TCP";
    case 17:
      return "UDP";
    case 1:
      return "ICMP";
    case 58:
      return "ICMPV6";
  }
  return String(protocol);
}

/** An address read from text. */
export interface ParsedIp {
  version: 4 | 6;
  words: Uint32Array;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Reads a dotted quad or an IPv6 address (`::`, an IPv4 tail, a `%zone`
 * ignored) into words, as {@linkcode formatIp} takes them; null if not one.
 * For text that comes in (config, answers, neighbour tables), never per packet.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseIp("192.168.1.7")?.words[0], 0xc0a80107);
 * assertEquals(parseIp("2001:db8::1")?.words, Uint32Array.of(0x20010db8, 0, 0, 1));
 * assertEquals(parseIp("300.1.1.1"), null);
 * ```
 */
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
