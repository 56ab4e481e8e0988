// Keeps `sluice run --processes` per-process usage in KV, per process name,
// as devices are kept: a second UsageHistory under its own key space
// ("proc-usage"), so reports, device lists and quotas (which read the
// default space) never see processes. Like the recorder, minutes are queued
// on the monitor's packet path and written between capture batches.
import { MINUTE_MS, UsageHistory, type UsageSample } from "../engine/history/mod.ts";
import {
  PROCESS_HISTORY_SPACE,
  processHistoryId,
  type ProcessInfo,
  type ProcessTable,
} from "../engine/processes/mod.ts";

/** Writes a process table's minutes into the "proc-usage" history. */
export class ProcessHistory {
  readonly history: UsageHistory;
  readonly #table: ProcessTable;
  readonly #info: (id: number) => ProcessInfo | undefined;
  readonly #pending: { minuteStartMs: number; samples: UsageSample[] }[] = [];

  constructor(
    kv: Deno.Kv,
    table: ProcessTable,
    info: (id: number) => ProcessInfo | undefined,
  ) {
    this.history = new UsageHistory(kv, { space: PROCESS_HISTORY_SPACE });
    this.#table = table;
    this.#info = info;
  }

  /** Opens the history at `nowMs`, recovering its unclosed hour and day. */
  async start(nowMs: number): Promise<void> {
    await this.history.open(nowMs);
  }

  /** Called with the monitor's `onMinute`: takes the table's minute, by name, and queues it. */
  minute(minuteStartSec: number): void {
    const byName = this.#table.takeMinute((id) => this.#info(id)?.name);
    const usage = new Map<string, [number, number]>();
    for (const [name, [up, down]] of Object.entries(byName)) {
      // Two names may sanitise alike: add them up.
      const id = processHistoryId(name), pair = usage.get(id) ?? [0, 0];
      usage.set(id, [pair[0] + up, pair[1] + down]);
    }
    const samples = [...usage].map(([deviceId, [up, down]]): UsageSample => ({
      deviceId,
      up,
      down,
      local: 0,
      apps: {},
    }));
    const ms = minuteStartSec * 1000;
    this.#pending.push({ minuteStartMs: ms - (ms % MINUTE_MS), samples });
  }

  /** Writes the queued minutes, oldest first. */
  async flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const { minuteStartMs, samples } = this.#pending[0];
      await this.history.writeMinute(minuteStartMs, samples);
      this.#pending.shift();
    }
  }
}
