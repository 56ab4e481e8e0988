// The bridge between a running engine (a live capture, or the simulator in
// `sluice demo`) and the web: each closed second becomes a live snapshot on
// the hub, each closed minute counts towards every device's "today", and
// the parts of the run are handed to the routes as a WebContext.
import type { AppCatalogue } from "../engine/app_catalogue.ts";
import type { CaptureStats } from "../capture/mod.ts";
import { DeviceStore, type UsageHistory } from "../engine/history/mod.ts";
import type { MinuteUsage } from "../engine/meter/usage_types.ts";
import type { Monitor } from "../engine/monitor.ts";
import { periodStart } from "../engine/policy/mod.ts";
import { HttpError } from "../web/api/http_error.ts";
import { LiveHub } from "../web/live/live_hub.ts";
import { liveSnapshot } from "../web/live/live_snapshot.ts";
import type { InterfaceInfo, RunInfo, WebContext } from "../web/web_context.ts";
import type { LivePolicy } from "./live_policy.ts";
import type { LiveShaper } from "./live_shaper.ts";
import type { ProcessInfo, ProcessTable } from "../engine/processes/mod.ts";

/** What a run is made of, once it has started. */
export interface RunParts {
  monitor: Monitor;
  history: UsageHistory;
  stats: () => CaptureStats;
  policy?: LivePolicy;
  shaper?: LiveShaper;
  /** `--processes`: the per-process table and who its ids are. */
  processes?: {
    table: ProcessTable;
    info: (id: number) => ProcessInfo | undefined;
    /** Per-process history by name, when it is kept. */
    history?: UsageHistory;
  };
}

/** Options of {@linkcode LiveWeb}. */
export interface LiveWebOptions {
  kv: Deno.Kv;
  info: RunInfo;
  catalogue: AppCatalogue;
  /** Engine time, epoch ms. */
  now: () => number;
  interfaces: () => InterfaceInfo[];
}

/** One run's live web state. */
export class LiveWeb {
  readonly hub = new LiveHub();
  readonly context: WebContext;
  #parts: RunParts | null = null;
  /** Bytes each device used today in closed minutes. */
  readonly #today = new Map<string, number>();
  /** Each device's total bytes when the last minute closed. */
  readonly #base = new Map<string, number>();
  #dayStart = -Infinity;
  #dayEnd = -Infinity;
  readonly #labels: DeviceStore;
  #labelsAt = -Infinity;

  constructor(readonly options: LiveWebOptions) {
    this.#labels = new DeviceStore(options.kv);
    const parts = () => this.#parts;
    this.context = {
      kv: options.kv,
      now: options.now,
      info: options.info,
      hub: this.hub,
      catalogue: options.catalogue,
      get history() {
        const p = parts();
        // The demo serves while its run opens the store: a moment's 503, not a 500.
        if (!p) throw new HttpError(503, "Sluice is starting; try again in a moment");
        return p.history;
      },
      get processHistory() {
        return parts()?.processes?.history;
      },
      monitor: () => parts()?.monitor ?? null,
      policy: () => parts()?.policy?.engine ?? null,
      shaper: () => {
        const s = parts()?.shaper;
        return s
          ? {
            mode: s.mode,
            plan: () => s.plan,
            applied: () => s.shaper.applied,
            failures: () => s.failures,
          }
          : null;
      },
      interfaces: options.interfaces,
    };
  }

  /** Takes the run's parts once they are open; counts today's usage so far from history. */
  async start(parts: RunParts, nowMs: number): Promise<void> {
    this.#parts = parts;
    this.#newDay(nowMs);
    const closed = Math.floor(nowMs / 60_000) * 60_000;
    if (closed > this.#dayStart) {
      const usage = await parts.history.usage(this.#dayStart, closed);
      for (const [id, u] of Object.entries(usage.devices)) this.#today.set(id, u.up + u.down);
    }
    await this.#loadLabels(nowMs);
  }

  /** The monitor's `onMinute`: the minute's bytes join today's, and totals are marked. */
  minute(monitor: Monitor, startSec: number, usage: readonly MinuteUsage[]): void {
    const startMs = startSec * 1000;
    if (startMs >= this.#dayEnd) this.#newDay(startMs);
    for (const u of usage) {
      const id = u.id ?? monitor.devices.id(u.device);
      this.#today.set(id, (this.#today.get(id) ?? 0) + u.up + u.down);
    }
    this.#base.clear();
    for (let i = 0; i < monitor.devices.size; i++) {
      const totals = monitor.meter.device(i).totals;
      this.#base.set(monitor.devices.id(i), totals.up + totals.down);
    }
  }

  /** The monitor's `onSecond`, after the policy took the second: publishes the snapshot. */
  second(monitor: Monitor, second: number): void {
    const p = this.#parts;
    if (!p) return;
    const now = (second + 1) * 1000;
    if (now - this.#labelsAt >= 10_000) {
      this.#labelsAt = now;
      void this.#loadLabels(now);
    }
    this.hub.publish(liveSnapshot({
      monitor,
      now,
      policy: p.policy?.engine,
      capture: p.stats(),
      shaper: p.shaper ? { mode: p.shaper.mode, failures: p.shaper.failures } : null,
      processes: p.processes?.table,
      processInfo: p.processes?.info,
      today: (id, total) =>
        (this.#today.get(id) ?? 0) + Math.max(0, total - (this.#base.get(id) ?? 0)),
    }));
  }

  #newDay(ms: number): void {
    const zone = this.#parts?.policy?.engine.policy.timeZone ?? "UTC";
    this.#dayStart = periodStart("day", ms, zone);
    this.#dayEnd = periodStart("day", this.#dayStart + 36 * 3600_000, zone);
    this.#today.clear();
  }

  /** Labels set from the CLI or the web reach the engine's device names. */
  async #loadLabels(_now: number): Promise<void> {
    const monitor = this.#parts?.monitor;
    if (!monitor) return;
    try {
      const labels = await this.#labels.labels();
      for (const [id, label] of Object.entries(labels)) {
        monitor.devices.setLabel(id, label);
      }
    } catch { /* the store is closing: the next look will do */ }
  }
}
