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
