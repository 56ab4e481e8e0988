// Carries what the monitor measures into the KV history: each closed minute
// as per-device samples, the devices as records, and the monitoring session
// with its totals. The monitor hands minutes over synchronously, on its
// packet path; the recorder queues them and writes between capture batches.
import type { DeviceHints } from "../engine/device_hints.ts";
import type { Device, DeviceExtra } from "../engine/devices/mod.ts";
import {
  DeviceStore,
  MINUTE_MS,
  SessionLog,
  UsageHistory,
  type UsageSample,
} from "../engine/history/mod.ts";
import type { MinuteUsage } from "../engine/meter/usage_types.ts";
import type { Monitor } from "../engine/monitor.ts";

/** Writes a monitor's minutes, devices and session into one KV store. */
export class HistoryRecorder {
  readonly history: UsageHistory;
  readonly devices: DeviceStore<Device>;
  readonly sessions: SessionLog;
  /** Minutes written so far. */
  minutesWritten = 0;
  readonly #pending: { minuteStartMs: number; samples: UsageSample[] }[] = [];
  #session = -1;

  constructor(kv: Deno.Kv) {
    this.history = new UsageHistory(kv);
    this.devices = new DeviceStore<Device>(kv);
    this.sessions = new SessionLog(kv);
  }

  /** Opens the history at `nowMs` (recovering its unclosed hour and day) and starts a session. */
  async start(nowMs: number, info: { interface?: string; note?: string }): Promise<void> {
    await this.history.open(nowMs);
    this.#session = (await this.sessions.start(nowMs, info)).id;
  }

  /**
   * The monitor's `onMinute`: turns device indexes into ids and queues the
   * minute. `monitor` is read now, while its indexes still mean these devices.
   */
  minute(monitor: Monitor, minuteStart: number, usage: MinuteUsage[]): void {
    const samples = usage.map((u): UsageSample => {
      const apps: Record<string, [number, number]> = {};
      for (const [app, [up, down]] of u.apps) if (up + down > 0) apps[app] = [up, down];
      return {
        deviceId: u.id ?? monitor.devices.id(u.device),
        up: u.up,
        down: u.down,
        local: u.local,
        apps,
      };
    });
    this.#pending.push({ minuteStartMs: minuteStart * 1000, samples });
  }

  /** The start of the oldest minute queued (epoch ms), if any: a replay's "now" to open at. */
  get firstQueued(): number | undefined {
    return this.#pending[0]?.minuteStartMs;
  }

  /** Writes the queued minutes, oldest first. */
  async flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const { minuteStartMs, samples } = this.#pending[0];
      await this.history.writeMinute(minuteStartMs - (minuteStartMs % MINUTE_MS), samples);
      this.#pending.shift();
      this.minutesWritten++;
    }
  }

  /** Stores every device the monitor knows, and the session's totals so far. */
  async saveDevices(
    monitor: Monitor,
    now: number,
    hints?: DeviceHints,
    extra?: DeviceExtra,
  ): Promise<void> {
    await this.devices.putMany(monitor.devices.list(now, hints, extra));
    if (this.#session > 0) {
      await this.sessions.update(this.#session, totals(monitor));
    }
  }

  /** Flushes, stores the devices and stops the session at `nowMs`. */
  async stop(
    monitor: Monitor,
    nowMs: number,
    hints?: DeviceHints,
    extra?: DeviceExtra,
  ): Promise<void> {
    await this.flush();
    await this.devices.putMany(monitor.devices.list(nowMs / 1000, hints, extra));
    if (this.#session > 0) await this.sessions.stop(this.#session, nowMs, totals(monitor));
    this.#session = -1;
  }
}

function totals(monitor: Monitor) {
  const link = monitor.meter.link().totals;
  return { up: link.up, down: link.down, local: link.local, devices: monitor.devices.size };
}
