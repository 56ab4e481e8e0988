/**
 * Devices as the API lists them: every device Sluice knows, the live ones
 * from the hub's latest snapshot (rates, today, control) and the ones only
 * in the DeviceStore (offline, rates 0), each with its label, its policy
 * groups and when it was first and last seen.
 *
 * @module
 */
import type { Device } from "../../engine/devices/device.ts";
import { normalDeviceId } from "../../engine/devices/mod.ts";
import { type DeviceEntry, DeviceStore } from "../../engine/history/mod.ts";
import { controlOf } from "../live/live_snapshot.ts";
import type { LiveDevice } from "../live/snapshot_types.ts";
import type { WebContext } from "../web_context.ts";

/** A device in the API: the live view plus what the stores and policy know. */
export type DeviceSummary = LiveDevice & {
  /** The user's own name for it; `name` is this when set. */
  label: string | null;
  /** The policy groups that list it (none without a policy). */
  groups: string[];
  /** Epoch ms; null when nothing recorded it. */
  firstSeen: number | null;
  lastSeen: number | null;
};

/**
 * A device id in its one spelling ("mac:aa:…" lower case, "ip:" canonical),
 * or null for text that is no device id.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(deviceIdOf("mac:F4:00:00:00:00:01"), "mac:f4:00:00:00:00:01");
 * assertEquals(deviceIdOf("nonsense"), null);
 * ```
 */
export function deviceIdOf(text: string): string | null {
  return normalDeviceId(text);
}

/**
 * Every device known: the snapshot's first (in its order: busiest first),
 * then the ones only the monitor or the store holds, last seen first.
 *
 * @example
 * ```ts ignore
 * const devices = await deviceSummaries(ctx);
 * console.log(devices[0].name, devices[0].down);
 * ```
 */
export async function deviceSummaries(ctx: WebContext): Promise<DeviceSummary[]> {
  const parts = new Parts(ctx);
  const stored = await new DeviceStore<Device>(ctx.kv).list();
  const engine = parts.engineDevices();
  const out: DeviceSummary[] = [];
  const seen = new Set<string>();
  for (const live of ctx.hub.latest?.devices ?? []) {
    seen.add(live.id);
    out.push(parts.summary(live.id, live, engine.get(live.id) ?? null, stored.get(live.id)));
  }
  const rest: DeviceSummary[] = [];
  for (const [id, device] of engine) {
    if (seen.has(id)) continue;
    seen.add(id);
    rest.push(parts.summary(id, null, device, stored.get(id)));
  }
  for (const [id, entry] of stored) {
    if (seen.has(id)) continue;
    rest.push(parts.summary(id, null, null, entry));
  }
  rest.sort((a, b) => (b.lastSeen ?? -1) - (a.lastSeen ?? -1) || (a.id < b.id ? -1 : 1));
  return out.concat(rest);
}

/**
 * One device (`id` in any spelling), or null when no snapshot, monitor or
 * store knows it.
 *
 * @example
 * ```ts ignore
 * const pc = await deviceSummary(ctx, "mac:f4:00:00:00:00:01");
 * ```
 */
export async function deviceSummary(ctx: WebContext, id: string): Promise<DeviceSummary | null> {
  const key = normalDeviceId(id);
  if (key === null) return null;
  const parts = new Parts(ctx);
  const live = ctx.hub.latest?.devices.find((d) => d.id === key) ?? null;
  const engine = parts.engineDevice(key);
  const entry = await new DeviceStore<Device>(ctx.kv).get(key) ?? undefined;
  if (live === null && engine === null && entry === undefined) return null;
  return parts.summary(key, live, engine, entry);
}

/** The groups of each device id in the policy, ids in their one spelling. */
export function groupsByDevice(
  groups: Readonly<Record<string, readonly string[]>>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [group, ids] of Object.entries(groups)) {
    for (const raw of ids) {
      const id = normalDeviceId(raw) ?? raw;
      const list = out.get(id);
      if (list) list.push(group);
      else out.set(id, [group]);
    }
  }
  return out;
}

/** What one request reads once: the policy's groups, the monitor, engine time. */
class Parts {
  readonly #ctx: WebContext;
  readonly #groups: Map<string, string[]>;
  readonly #nowSec: number;

  constructor(ctx: WebContext) {
    this.#ctx = ctx;
    this.#groups = groupsByDevice(ctx.policy()?.policy.groups ?? {});
    this.#nowSec = ctx.now() / 1000;
  }

  /** The monitor's devices by id (empty without a monitor). */
  engineDevices(): Map<string, Device> {
    const monitor = this.#ctx.monitor();
    const out = new Map<string, Device>();
    if (!monitor) return out;
    for (const d of monitor.devices.list(this.#nowSec, monitor.tracker.namer?.deviceHints)) {
      out.set(d.id, d);
    }
    return out;
  }

  engineDevice(id: string): Device | null {
    const monitor = this.#ctx.monitor();
    const index = monitor?.devices.indexOf(id) ?? -1;
    if (!monitor || index < 0) return null;
    return monitor.devices.device(index, this.#nowSec, monitor.tracker.namer?.deviceHints);
  }

  summary(
    id: string,
    live: LiveDevice | null,
    engine: Device | null,
    entry: DeviceEntry<Device> | undefined,
  ): DeviceSummary {
    const record = engine ?? entry?.device ?? null;
    const label = entry?.label ?? engine?.label ?? null;
    const policy = this.#ctx.policy();
    const base: LiveDevice = live ?? {
      id,
      name: record?.name ?? record?.addresses[0] ?? record?.mac ?? id,
      vendor: record?.vendor ?? null,
      mac: record?.mac ?? null,
      addresses: [...(record?.addresses ?? [])],
      online: engine?.online ?? false,
      down: 0,
      up: 0,
      totalDown: 0,
      totalUp: 0,
      today: 0,
      topApp: null,
      control: policy ? controlOf(policy.state(id)) : null,
    };
    return {
      ...base,
      name: label ?? base.name,
      label,
      groups: this.#groups.get(id) ?? [],
      firstSeen: ms(record?.firstSeen),
      lastSeen: ms(record?.lastSeen),
    };
  }
}

function ms(seconds: number | undefined): number | null {
  return typeof seconds === "number" && Number.isFinite(seconds)
    ? Math.round(seconds * 1000)
    : null;
}
