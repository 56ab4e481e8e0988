/**
 * The live picture of the network, read from the real engine: the
 * monitor's meter, devices and flows, the policy's desired states and
 * alerts, the capture's drops and the shaper's mode. Pure: time comes in as
 * `now`, nothing is read from a clock or a store. Called once a second, it
 * allocates freely; with 1,000 devices it costs a few milliseconds.
 *
 * @module
 */
import type { CaptureStats } from "../../capture/packet_source.ts";
import type { DeviceExtra } from "../../engine/devices/device.ts";
import type { AppUsage } from "../../engine/meter/usage_types.ts";
import type { Monitor } from "../../engine/monitor.ts";
import {
  EXITED_PROCESS,
  type ProcessInfo,
  type ProcessTable,
  UNKNOWN_PROCESS,
} from "../../engine/processes/mod.ts";
import type { PolicyEngine } from "../../engine/policy/policy_engine.ts";
import type { DeviceState } from "../../engine/policy/policy_types.ts";
import { type AppNamer, appNamer } from "./app_names.ts";
import type {
  DeviceControl,
  LiveAlert,
  LiveApp,
  LiveDevice,
  LiveProcess,
  LiveSnapshot,
} from "./snapshot_types.ts";
import { linkQuality } from "./link_quality.ts";

/** The shaper as the snapshot reports it. */
export interface ShaperStatus {
  mode: LiveSnapshot["shaper"]["mode"];
  /** Operations that failed since start. */
  failures: number;
}

/** What {@linkcode liveSnapshot} reads. Only `monitor` and `now` are required. */
export interface LiveInputs {
  monitor: Monitor;
  /**
   * Epoch ms of the end of the second just closed: in the monitor's
   * `onSecond(second)`, `(second + 1) * 1000`. The snapshot's `time`, and
   * the "now" devices are online at.
   */
  now: number;
  /** The running policy: each device's control and the active alerts; none: control null. */
  policy?: PolicyEngine | null;
  /** The source's counters (`source.stats()`); none: drops count as 0. */
  capture?: CaptureStats | null;
  /** Default: mode "off", no failures. */
  shaper?: ShaperStatus | null;
  /**
   * Bytes (up + down) each device used today, by device id: a map or a
   * function of the id and the device's bytes since start (say, the
   * history's day so far plus what it used since the last minute closed).
   * Missing ids, or no `today` at all, give 0.
   */
  today?:
    | ReadonlyMap<string, number>
    | ((id: string, total: number) => number | undefined)
    | null;
  /** App display names; default {@linkcode appNamer}() over the shipped catalogue. */
  appName?: AppNamer;
  /** Link capacity in bytes/s; default the policy's link, else null. */
  capacity?: { down: number; up: number } | null;
  /** Reverse DNS and the neighbour table, for naming devices. */
  extra?: DeviceExtra;
  /** Per-process attribution (host mode): the snapshot lists its processes. */
  processes?: ProcessTable | null;
  /** Who each process id is (the resolver knows); an id it does not know is "process N". */
  processInfo?: (id: number) => ProcessInfo | undefined;
}

let shippedNames: AppNamer | undefined;

/**
 * The snapshot of the second closed at `inputs.now`. Devices come sorted by
 * rate (down + up), then total, then id; apps by rate, then total (an app
 * seen in two categories, such as a messenger's calls, is listed once per
 * category); alerts by start.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { LanSubnets } from "../../engine/devices/mod.ts";
 * import { Monitor } from "../../engine/monitor.ts";
 * const monitor = new Monitor({ linkType: 1, lan: LanSubnets.privateRanges() });
 * monitor.advance(1000);
 * const snapshot = liveSnapshot({ monitor, now: 1_000_000 });
 * assertEquals([snapshot.time, snapshot.devices, snapshot.shaper.mode], [1_000_000, [], "off"]);
 * ```
 */
export function liveSnapshot(inputs: LiveInputs): LiveSnapshot {
  const { monitor, now } = inputs;
  if (typeof now !== "number" || !Number.isFinite(now) || now < 0) {
    throw new RangeError(`now must be epoch ms (finite, >= 0), got ${now}`);
  }
  const policy = inputs.policy ?? null;
  const appName = inputs.appName ?? (shippedNames ??= appNamer());
  const link = monitor.meter.link();
  const capacity = inputs.capacity !== undefined
    ? inputs.capacity
    : policy === null
    ? null
    : policy.policy.link;
  const stats = inputs.capture;
  const counters = monitor.tracker.counters;
  const processes = inputs.processes
    ? { processes: processesOf(inputs.processes, inputs.processInfo) }
    : {};
  return {
    time: now,
    link: {
      down: link.rate.down,
      up: link.rate.up,
      totalDown: link.totals.down,
      totalUp: link.totals.up,
      capacityDown: capacity?.down ?? null,
      capacityUp: capacity?.up ?? null,
    },
    quality: linkQuality(monitor),
    devices: devicesOf(inputs, policy, appName),
    apps: appsOf(link.apps, appName),
    alerts: policy === null ? [] : alertsOf(policy),
    capture: {
      packets: counters.packets,
      bytes: counters.bytes,
      kernelDropped: stats?.kernelDropped ?? 0,
      ownDropped: stats?.ownDropped ?? 0,
      flows: monitor.tracker.table.size,
    },
    shaper: {
      mode: inputs.shaper?.mode ?? "off",
      failures: inputs.shaper?.failures ?? 0,
    },
    ...processes,
  };
}

function processesOf(
  table: ProcessTable,
  info: LiveInputs["processInfo"],
): LiveProcess[] {
  const out: LiveProcess[] = [];
  for (const u of table.list()) {
    const p = u.id >= 0 ? info?.(u.id) : undefined;
    const name = u.id === UNKNOWN_PROCESS
      ? "unknown"
      : u.id === EXITED_PROCESS
      ? "exited"
      : p?.name ?? `process ${u.id}`;
    out.push({
      pid: p?.pid ?? null,
      name,
      command: p?.command ?? null,
      down: u.down,
      up: u.up,
      totalDown: u.totalDown,
      totalUp: u.totalUp,
      protocols: u.protocols,
    });
  }
  return out.sort((a, b) =>
    b.down + b.up - a.down - a.up || b.totalDown + b.totalUp - a.totalDown - a.totalUp ||
    byText(a.name, b.name) || (a.pid ?? -1) - (b.pid ?? -1)
  );
}

function devicesOf(inputs: LiveInputs, policy: PolicyEngine | null, appName: AppNamer) {
  const { monitor, now } = inputs;
  const table = monitor.devices, meter = monitor.meter;
  const today = todayOf(inputs.today);
  // One list() call: it indexes the naming hints once for every device.
  const listed = table.list(now / 1000, monitor.tracker.namer?.deviceHints, inputs.extra);
  const out: LiveDevice[] = [];
  for (const d of listed) {
    const index = table.indexOf(d.id);
    if (index < 0) continue; // cannot happen: list() gives the devices held
    const usage = meter.device(index);
    out.push({
      id: d.id,
      name: d.name ?? d.label ?? d.addresses[0] ?? d.mac ?? d.id,
      vendor: d.vendor,
      mac: d.mac,
      addresses: d.addresses,
      online: d.online,
      down: usage.rate.down,
      up: usage.rate.up,
      totalDown: usage.totals.down,
      totalUp: usage.totals.up,
      today: today(d.id, usage.totals.down + usage.totals.up),
      topApp: topApp(usage.apps, appName),
      control: policy === null ? null : controlOf(policy.state(d.id)),
    });
  }
  return out.sort((a, b) =>
    b.down + b.up - a.down - a.up || b.totalDown + b.totalUp - a.totalDown - a.totalUp ||
    byText(a.id, b.id)
  );
}

function todayOf(today: LiveInputs["today"]): (id: string, total: number) => number {
  if (today === undefined || today === null) return () => 0;
  if (typeof today === "function") return (id, total) => finite(today(id, total));
  return (id) => finite(today.get(id));
}

function finite(n: number | undefined): number {
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n : 0;
}

/** The app with the most bytes/s over the last minute, by display name; null when idle. */
function topApp(apps: readonly AppUsage[], appName: AppNamer): string | null {
  let best: AppUsage | null = null, bestRate = 0;
  for (const a of apps) {
    const w = a.windows["1m"], rate = w.up + w.down + w.local;
    if (rate > bestRate) best = a, bestRate = rate;
  }
  return best === null ? null : appName(best.app);
}

/** A device the policy has not seen yet (no internet traffic so far) runs free. */
const UNDECIDED: DeviceControl = Object.freeze({
  priority: "normal",
  state: "free",
  limitDown: null,
  limitUp: null,
  reason: "not decided yet: no internet traffic seen",
});

/** A device's control as the snapshot (and the devices API) shows the policy's state of it. */
export function controlOf(state: DeviceState | undefined): DeviceControl {
  if (state === undefined) return { ...UNDECIDED };
  const limited = state.down !== null || state.up !== null;
  return {
    priority: state.priority,
    state: state.blocked ? "blocked" : limited ? "limited" : "free",
    limitDown: state.blocked ? null : state.down,
    limitUp: state.blocked ? null : state.up,
    reason: state.reason,
  };
}

function appsOf(apps: readonly AppUsage[], appName: AppNamer): LiveApp[] {
  const out: LiveApp[] = [];
  for (const a of apps) {
    if (a.up + a.down === 0) continue; // LAN-only traffic: not the link's
    out.push({
      id: a.app,
      name: appName(a.app),
      category: a.category,
      down: a.rate.down,
      up: a.rate.up,
      totalDown: a.down,
      totalUp: a.up,
    });
  }
  return out.sort((a, b) =>
    b.down + b.up - a.down - a.up || b.totalDown + b.totalUp - a.totalDown - a.totalUp ||
    byText(a.id, b.id) || byText(a.category, b.category)
  );
}

function alertsOf(policy: PolicyEngine): LiveAlert[] {
  const out: LiveAlert[] = [];
  for (const a of policy.activeAlerts()) {
    if (a.end !== null) continue;
    out.push({ key: a.id, kind: a.kind, deviceId: a.device, message: a.message, since: a.start });
  }
  return out;
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
