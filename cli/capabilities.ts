// Linux capabilities as /proc/self/status shows them: what `sluice run`
// (choosing its shaper) and `sluice doctor` (checking capture rights) ask.

/** Capability bit numbers (linux/capability.h). */
export const CAP_NET_ADMIN = 12n, CAP_NET_RAW = 13n;

/**
 * Whether `bit` is in the effective set of a /proc/<pid>/status text
 * ("CapEff:\t0000000000003000"); false when the line is missing.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const status = "Name:\tsluice\nCapEff:\t0000000000003000\n";
 * assertEquals([hasCapability(status, CAP_NET_ADMIN), hasCapability(status, 21n)], [true, false]);
 * ```
 */
export function hasCapability(status: string, bit: bigint): boolean {
  const hex = /^CapEff:\s*([0-9a-f]+)$/im.exec(status)?.[1];
  return hex !== undefined && (BigInt(`0x${hex}`) >> bit & 1n) === 1n;
}
