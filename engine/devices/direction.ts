/**
 * Which way a packet goes relative to the LAN, from what
 * {@linkcode DeviceTable.resolve} said about each of its sides.
 *
 * @module
 */

/** Upload (LAN to outside), download (outside to LAN), local (LAN to LAN). */
export const Direction = { UP: 0, DOWN: 1, LOCAL: 2 } as const;

/** One of {@linkcode Direction}. */
export type DirectionKind = typeof Direction[keyof typeof Direction];

/**
 * What `resolve()` returns for a side that is not a LAN device. Both are
 * negative, so `index >= 0` means "a device". They differ because a LAN
 * device's mDNS or broadcast chatter stays on the LAN: it is local traffic,
 * not an upload.
 */
export const NotDevice = {
  /** An address outside the LAN subnets: the Internet, or the router's MAC carrying it. */
  OUTSIDE: -1,
  /** No single device: multicast, broadcast, the unspecified address, not IP. */
  NONE: -2,
} as const;

/**
 * The direction of a packet from its source and destination sides; -1 when
 * it is no LAN device's traffic (outside to outside, outside to a multicast
 * group, between two non-devices).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(direction(3, NotDevice.OUTSIDE), Direction.UP);
 * assertEquals(direction(NotDevice.OUTSIDE, 3), Direction.DOWN);
 * assertEquals(direction(3, 4), Direction.LOCAL);
 * assertEquals(direction(3, NotDevice.NONE), Direction.LOCAL); // mDNS, ARP-like broadcasts
 * assertEquals(direction(NotDevice.OUTSIDE, NotDevice.NONE), -1);
 * ```
 */
export function direction(srcDevice: number, dstDevice: number): DirectionKind | -1 {
  if (srcDevice >= 0) return dstDevice === NotDevice.OUTSIDE ? Direction.UP : Direction.LOCAL;
  if (dstDevice < 0) return -1;
  return srcDevice === NotDevice.OUTSIDE ? Direction.DOWN : Direction.LOCAL;
}
