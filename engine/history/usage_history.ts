/**
 * Per-device usage history in Deno KV: minutes, rolled up to hours and days,
 * each level kept for its own retention.
 *
 * @module
 */
import type { CommitLimits } from "./_kv_batch.ts";
import { nextGeneration, type UsageKeys, usageKeys, writePeriod } from "./_usage_store.ts";
import { recover } from "./_usage_recovery.ts";
import {
  checkRange,
  checkTime,
  type Level,
  levelMs,
  MINUTE_MS,
  type TimeRange,
} from "./periods.ts";
import {
  addByDevice,
  addUsage,
  checkId,
  checkSample,
  emptyUsage,
  fitRecord,
  type UsagePoint,
  type UsageRecord,
  type UsageSample,
} from "./usage_record.ts";
import { inMemory, rangeUsage } from "./_usage_range.ts";
import { UnfinishedPeriods } from "./_usage_memory.ts";
import { adoptStoredOffset } from "./_usage_offset.ts";
import { seriesPoints } from "./_usage_series.ts";
import { resolveOptions, type Retention, type UsageHistoryOptions } from "./usage_options.ts";

export { DEFAULT_RETENTION, type Retention, type UsageHistoryOptions } from "./usage_options.ts";

/**
 * Every device's and app's usage over a range.
 *
 * `gaps` lists the parts of the range older than every level able to answer
 * them exactly (a partial day past the hours' retention, say); those parts
 * are missing from the totals. Time the writer was not running is not a gap:
 * nothing was used that anyone saw.
 */
export interface UsageTotals extends TimeRange {
  /** All devices together; its `apps` are every app over all devices. */
  total: UsageRecord;
  /** By device id. */
  devices: Record<string, UsageRecord>;
  gaps: TimeRange[];
}

/**
 * Usage history over a Deno KV store the caller opened (a local file, or a
 * remote database by URL) and closes. Times are epoch milliseconds the caller
 * passes in; the wall clock is never read.
 *
 * Every minute's samples are written at once, as one batch (see
 * `_usage_store.ts`: rows packed by bucket of devices, and a marker committed
 * last so that a batch cut short by a crash is never read). When a minute of
 * a new hour (or day) arrives, the finished hour (day) is rolled up from
 * memory and written the same way, as a record per device (for charts) and
 * packed rows (for reports). {@linkcode open} rolls up any hour and day the
 * last run left unfinished and loads the unfinished ones back into memory,
 * so a crash loses at most the minute being written. Reads of the unfinished
 * hour and day come from memory.
 *
 * One instance writes to a store; readers in the same process share it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const kv = await Deno.openKv(":memory:");
 * const history = new UsageHistory(kv);
 * const t = Date.UTC(2024, 0, 1, 10);
 * await history.open(t);
 * const sample = { deviceId: "mac:02:00:00:00:00:01", up: 100, down: 900, local: 0,
 *   apps: { youtube: [100, 900] as [number, number] } };
 * await history.writeMinute(t, [sample]);
 * await history.writeMinute(t + 60_000, [sample]);
 * const [hour] = await history.series(sample.deviceId, "hour", t, t + 3_600_000);
 * assertEquals(hour, { start: t, up: 200, down: 1800, local: 0, apps: { youtube: [200, 1800] } });
 * kv.close();
 * ```
 */
export class UsageHistory {
  readonly #kv: Deno.Kv;
  readonly #retention: Retention;
  #offset: number;
  readonly #maxApps: number;
  readonly #limits: CommitLimits;
  readonly #space: string;
  readonly #keys: UsageKeys;
  #generation = 0; // 0 until open() takes one
  #ready = false; // open() has finished
  #readOnly = false;
  #now = 0;
  /** The unfinished hour and day, and what a read-only open() held. */
  readonly #memory = new UnfinishedPeriods();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(kv: Deno.Kv, options: UsageHistoryOptions = {}) {
    this.#kv = kv;
    ({
      retention: this.#retention,
      utcOffsetMinutes: this.#offset,
      maxAppsPerRecord: this.#maxApps,
      commitLimits: this.#limits,
      space: this.#space,
    } = resolveOptions(options));
    this.#keys = usageKeys(this.#space);
  }

  /** The key space its rows live under ("usage" unless the options said otherwise). */
  get space(): string {
    return this.#space;
  }

  /** Each level's retention in milliseconds. */
  get retention(): Readonly<Retention> {
    return { ...this.#retention };
  }

  /** Where days start, in minutes from UTC. */
  get utcOffsetMinutes(): number {
    return this.#offset;
  }

  /** The latest time this instance was told of: reads drop points past retention at it. */
  get now(): number {
    return this.#now;
  }

  /**
   * Starts this writer at `nowMs`: takes a new generation, rolls up every hour
   * and day the last run left unfinished, and rebuilds the unfinished ones.
   *
   * With `readOnly` (a report while another process writes, say), nothing is
   * written: hours and days left unfinished are rolled up in memory only, and
   * the unfinished hour and day are read as they were at open().
   * {@linkcode writeMinute} and {@linkcode advance} then throw.
   */
  async open(nowMs: number, options: { readOnly?: boolean } = {}): Promise<void> {
    checkTime(nowMs, "nowMs");
    if (this.#generation !== 0) throw new Error("UsageHistory.open() was already called");
    this.#generation = -1; // taken, so a second open() fails at once
    this.#readOnly = options.readOnly === true;
    this.#offset = await adoptStoredOffset(this.#kv, this.#keys, this.#offset, this.#readOnly);
    if (!this.#readOnly) this.#generation = await nextGeneration(this.#kv, this.#keys);
    this.#now = nowMs;
    const state = await recover(
      this.#kv,
      nowMs,
      this.#retention,
      this.#offset,
      async (level, start, devices, now) => {
        this.#now = now;
        if (this.#readOnly) this.#memory.held.push({ level, start, devices });
        else await this.#write(level, start, devices);
      },
      this.#keys,
    );
    this.#now = state.now;
    this.#memory.restore(state);
    this.#ready = true;
  }

  /**
   * Writes one minute's usage, one sample per device (a device given twice
   * counts once with both). Call it every minute, with no samples for an idle
   * minute; minutes must come in order. The first minute of a new hour (day)
   * first rolls up and writes the hour (day) that ended.
   */
  async writeMinute(minuteStartMs: number, samples: readonly UsageSample[]): Promise<void> {
    this.#checkWritable();
    checkTime(minuteStartMs, "minuteStartMs");
    if (minuteStartMs % MINUTE_MS !== 0) {
      throw new RangeError(`minuteStartMs must be a whole minute, got ${minuteStartMs}`);
    }
    if (!Array.isArray(samples)) throw new TypeError("samples must be an array");
    const usage = new Map<string, UsageRecord>();
    samples.forEach((s, i) => {
      const { deviceId, ...record } = checkSample(s, `samples[${i}]`);
      addByDevice(usage, deviceId, record);
    });
    await this.#serial(async () => {
      this.#memory.checkNext(minuteStartMs);
      this.#now = Math.max(this.#now, minuteStartMs + MINUTE_MS);
      await this.#advance(minuteStartMs);
      await this.#write("minute", minuteStartMs, usage);
      this.#memory.addMinute(minuteStartMs, usage);
    });
  }

  /** Rolls up and writes every hour and day that ended by `nowMs`, without a minute to write. */
  async advance(nowMs: number): Promise<void> {
    this.#checkWritable();
    checkTime(nowMs, "nowMs");
    await this.#serial(async () => {
      this.#now = Math.max(this.#now, nowMs);
      await this.#advance(nowMs);
    });
  }

  /**
   * One device's usage per `level` period, for periods starting in
   * [fromMs, toMs), oldest first; periods the device used nothing in are left
   * out, and so are periods older than the level's retention. The unfinished
   * hour and day hold their minutes and hours so far.
   */
  async series(
    deviceId: string,
    level: Level,
    fromMs: number,
    toMs: number,
  ): Promise<UsagePoint[]> {
    this.#checkOpen();
    checkId(deviceId, "deviceId");
    levelMs(level); // a TypeError for an unknown level
    checkRange(fromMs, toMs);
    const from = Math.max(fromMs, this.#now - this.#retention[level] + 1);
    return await seriesPoints(this.#kv, this.#keys, this.#memory, deviceId, level, from, toMs);
  }

  /**
   * Every device's and app's usage in [fromMs, toMs) (whole minutes), read
   * from the coarsest level that covers each part exactly: whole days, then
   * whole hours, then minutes, as far as each level's retention allows.
   */
  async usage(fromMs: number, toMs: number): Promise<UsageTotals> {
    this.#checkOpen();
    checkRange(fromMs, toMs);
    for (const [name, ms] of [["fromMs", fromMs], ["toMs", toMs]] as const) {
      if (ms % MINUTE_MS !== 0) throw new RangeError(`${name} must be a whole minute, got ${ms}`);
    }
    const memory = inMemory(fromMs, toMs, this.#memory);
    const usage = await rangeUsage(this.#kv, fromMs, toMs, {
      keys: this.#keys,
      now: this.#now,
      retention: this.#retention,
      utcOffsetMinutes: this.#offset,
      finishedHour: this.#memory.hour,
      finishedDay: this.#memory.day,
      memory,
    });
    const devices: Record<string, UsageRecord> = {};
    const total = emptyUsage();
    for (const [deviceId, record] of [...usage.devices].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      devices[deviceId] = record;
      addUsage(total, record);
    }
    return { fromMs, toMs, total, devices, gaps: usage.gaps };
  }

  /** Finishes the hour and the day `t` is past: they are written from memory. */
  #advance(t: number): Promise<void> {
    return this.#memory.advance(
      t,
      this.#offset,
      (level, start, usage) => this.#write(level, start, usage),
    );
  }

  async #write(level: Level, start: number, usage: Map<string, UsageRecord>): Promise<void> {
    // Records expire `retention` after their period's start, as reads drop them.
    const expireIn = Math.round(start + this.#retention[level] - this.#now);
    if (expireIn <= 0) return;
    for (const record of usage.values()) fitRecord(record, this.#maxApps);
    await writePeriod(
      this.#kv,
      level,
      start,
      usage,
      this.#generation,
      expireIn,
      this.#limits,
      this.#keys,
    );
  }

  #serial(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => {});
    return run;
  }

  #checkOpen(): void {
    if (!this.#ready) throw new Error("UsageHistory.open() must be awaited first");
  }

  #checkWritable(): void {
    this.#checkOpen();
    if (this.#readOnly) throw new Error("UsageHistory was opened read-only");
  }
}
