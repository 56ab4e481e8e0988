// The unfinished hour and day UsageHistory keeps in memory until they end,
// and the periods a read-only open() finished without storing: what writes
// add to and reads of the recent past come from.
import type { RecoveredState } from "./_usage_recovery.ts";
import type { HeldPeriod, WriterMemory } from "./_usage_range.ts";
import { type Level, periodStart } from "./periods.ts";
import { addByDevice, type UsageRecord } from "./usage_record.ts";

/** Stores a finished hour or day. */
export type WriteUsage = (
  level: Level,
  start: number,
  usage: Map<string, UsageRecord>,
) => Promise<void>;

/** A writer's memory: the unfinished hour and day, and periods held for a reader. */
export class UnfinishedPeriods implements WriterMemory {
  /** Hours and days a read-only open() finished from the level below but did not store. */
  held: HeldPeriod[] = [];
  lastMinute = -Infinity;
  hour = 0; // start of the unfinished hour
  day = 0; // start of the unfinished day
  hourUsage = new Map<string, UsageRecord>();
  hourMinutes = 0; // minutes written in the unfinished hour, idle ones too
  dayUsage = new Map<string, UsageRecord>(); // the finished hours of the unfinished day
  dayHours = 0;

  /** Takes up where the last run left off, as recovery found it. */
  restore(state: RecoveredState): void {
    this.lastMinute = state.lastMinute;
    [this.hour, this.hourUsage, this.hourMinutes] = [
      state.hour,
      state.hourUsage,
      state.hourMinutes,
    ];
    [this.day, this.dayUsage, this.dayHours] = [state.day, state.dayUsage, state.dayHours];
  }

  /** Throws a RangeError unless a minute starting at `minuteStartMs` may be written next. */
  checkNext(minuteStartMs: number): void {
    if (minuteStartMs <= this.lastMinute) {
      throw new RangeError(
        `minute ${iso(minuteStartMs)} is not after the last one written, ${iso(this.lastMinute)}`,
      );
    }
    if (minuteStartMs < this.hour) {
      throw new RangeError(`minute ${iso(minuteStartMs)} is in an hour already finished`);
    }
  }

  /** Adds a minute just written to the unfinished hour. */
  addMinute(minuteStartMs: number, usage: Map<string, UsageRecord>): void {
    for (const [deviceId, record] of usage) addByDevice(this.hourUsage, deviceId, record);
    this.hourMinutes++;
    this.lastMinute = minuteStartMs;
  }

  /** Finishes the hour and the day `t` is past: `write` stores them from memory. */
  async advance(t: number, utcOffsetMinutes: number, write: WriteUsage): Promise<void> {
    const hour = periodStart("hour", t);
    if (hour > this.hour) {
      if (this.hourMinutes > 0) {
        await write("hour", this.hour, this.hourUsage);
        for (const [deviceId, record] of this.hourUsage) {
          addByDevice(this.dayUsage, deviceId, record);
        }
        this.dayHours++;
      }
      this.hour = hour;
      this.hourUsage = new Map();
      this.hourMinutes = 0;
    }
    const day = periodStart("day", t, utcOffsetMinutes);
    if (day > this.day) {
      if (this.dayHours > 0) await write("day", this.day, this.dayUsage);
      this.day = day;
      this.dayUsage = new Map();
      this.dayHours = 0;
    }
  }
}

/** A minute for an error message: the last one written is -Infinity before any. */
function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}
