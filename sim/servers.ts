/**
 * Where the simulator's servers are: each host name gets a fixed address in
 * ranges reserved for benchmarking (198.18.0.0/15) and documentation
 * (2001:db8::/32), so simulated traffic never names a real machine.
 *
 * @module
 */

const cache = new Map<string, Uint8Array>();

/**
 * The address of `host`'s server: the same for the same name, every run.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const a = serverAddress("www.netflix.com", false);
 * assertEquals([a.length, a[0], a[1] & 0xfe], [4, 198, 18]);
 * assertEquals(serverAddress("www.netflix.com", false), a);
 * ```
 */
export function serverAddress(host: string, v6: boolean): Uint8Array {
  const key = (v6 ? "6 " : "4 ") + host;
  let address = cache.get(key);
  if (address === undefined) {
    const h = fnv1a(host);
    address = v6
      ? new Uint8Array([
        0x20,
        0x01,
        0x0d,
        0xb8,
        0x5e,
        0x1c,
        0,
        0,
        0,
        0,
        0,
        0,
        h >>> 24,
        h >>> 16 & 255,
        h >>> 8 & 255,
        h & 255,
      ])
      : new Uint8Array([198, 18 + (h >>> 16 & 1), h >>> 8 & 255, 1 + (h & 255) % 254]);
    cache.set(key, address);
  }
  return address;
}

/** 32-bit FNV-1a of a string's UTF-16 code units: small, stable, well spread. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
