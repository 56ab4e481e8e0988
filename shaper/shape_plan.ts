/**
 * From the policy's desired state to what the shaper enforces: each device
 * that is blocked, limited or not Normal, with the MAC and addresses its
 * packets carry, except the devices that must never be shaped (the gateway
 * itself, the admin's own client, an allowlist). Pure.
 *
 * @module
 */
import type { DesiredState } from "../engine/policy/mod.ts";
import type { ShapeDevice, ShapePlan } from "./shaper_types.ts";

/** What is known of a device's packets: its MAC and its addresses. */
export interface DeviceAddresses {
  mac: string | null;
  addresses: string[];
}

/** A device never to shape or block, matched by id, MAC or address, and why. */
export interface Protected {
  id?: string;
  mac?: string;
  address?: string;
  why: string;
}

/** A device left out of the plan, and why. */
export interface SkippedDevice {
  id: string;
  why: string;
}

/**
 * The plan for `desired`; `lookup` gives a device's MAC and addresses
 * beyond what its id says.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const desired = { link: { down: 12_500_000, up: 2_500_000 },
 *   shares: { high: 0.5, normal: 0.35, low: 0.15 }, latencySensitive: [],
 *   devices: [{ id: "ip:192.168.1.1", blocked: true, down: null, up: null,
 *     priority: "normal" as const, level: "block" as const, ruleId: "all",
 *     reason: "blocked", scoped: [] }] };
 * const { plan, skipped } = shapePlan(desired, () => null,
 *   [{ address: "192.168.1.1", why: "the gateway itself" }]);
 * assertEquals([plan.devices, skipped], [[], [{ id: "ip:192.168.1.1", why: "the gateway itself" }]]);
 * ```
 */
export function shapePlan(
  desired: DesiredState,
  lookup: (id: string) => DeviceAddresses | null,
  protect: readonly Protected[] = [],
): { plan: ShapePlan; skipped: SkippedDevice[] } {
  const devices: ShapeDevice[] = [], skipped: SkippedDevice[] = [];
  for (const d of desired.devices) {
    if (!d.blocked && d.down === null && d.up === null && d.priority === "normal") continue;
    const known = lookup(d.id);
    const mac = known?.mac?.toLowerCase() ?? (d.id.startsWith("mac:") ? d.id.slice(4) : null);
    const addresses = new Set(known?.addresses ?? []);
    if (d.id.startsWith("ip:")) addresses.add(d.id.slice(3));
    const guard = protect.find((p) =>
      p.id === d.id || (p.mac !== undefined && p.mac.toLowerCase() === mac) ||
      (p.address !== undefined && addresses.has(p.address))
    );
    if (guard) {
      skipped.push({ id: d.id, why: guard.why });
    } else if (mac === null && addresses.size === 0) {
      skipped.push({ id: d.id, why: "no MAC or address known" });
    } else {
      devices.push({
        id: d.id,
        mac,
        addresses: [...addresses].sort(),
        blocked: d.blocked,
        down: d.down,
        up: d.up,
        priority: d.priority,
      });
    }
  }
  return {
    plan: { link: { ...desired.link }, shares: { ...desired.shares }, devices },
    skipped,
  };
}
