// Usage of every device over a range, read from the coarsest level that
// covers each part exactly: finished whole days, then finished whole hours
// not inside those days, then minutes for the rest (the range's ragged ends
// and the unfinished hour). Each level is read through its packed
// ["usage-by-time", ...] rows, one list call per run of adjacent periods, so
// a month over 10,000 devices is a few dozen calls, not one per device.
// What the writer holds in memory (the unfinished day's finished hours, the
// unfinished hour) is taken from there: "today" and "this month" then read
// no minute and no hour of today.
import { addPeriods, listMarkers, type PeriodMarker, type UsageKeys } from "./_usage_store.ts";
import {
  DAY_MS,
  HOUR_MS,
  type Level,
  MINUTE_MS,
  periodCeil,
  periodStart,
  type TimeRange,
} from "./periods.ts";
import { addByDevice, type UsageRecord } from "./usage_record.ts";

/** What the reader knows of the writer's state. */
export interface RangeContext {
  /** The history's keys (its space). */
  keys: UsageKeys;
  now: number;
  retention: Record<Level, number>;
  utcOffsetMinutes: number;
  /** Start of the unfinished hour and day: periods before them are finished. */
  finishedHour: number;
  finishedDay: number;
  /** Every device's usage over ranges the writer holds in memory, all inside [from, to). */
  memory: { range: TimeRange; devices: Map<string, UsageRecord> }[];
}

/** Every device's usage in [from, to) (whole minutes) and the parts no level kept. */
export async function rangeUsage(
  kv: Deno.Kv,
  from: number,
  to: number,
  ctx: RangeContext,
): Promise<{ devices: Map<string, UsageRecord>; gaps: TimeRange[] }> {
  const { now, retention, utcOffsetMinutes: offset, keys } = ctx;
  const kept = (level: Level) => periodCeil(level, now - retention[level] + 1, offset);
  // Memory first, before any await: a finishing hour is merged into the day's usage.
  const devices = new Map<string, UsageRecord>();
  for (const part of ctx.memory) {
    for (const [deviceId, record] of part.devices) addByDevice(devices, deviceId, record);
  }

  const days = await listMarkers(
    kv,
    "day",
    Math.max(periodCeil("day", from, offset), kept("day")),
    Math.min(periodStart("day", to, offset), ctx.finishedDay),
    keys,
  );
  const inDay = (t: number) => days.has(periodStart("day", t, offset));

  const hours = await listMarkers(
    kv,
    "hour",
    Math.max(periodCeil("hour", from), kept("hour")),
    Math.min(periodStart("hour", to), ctx.finishedHour),
    keys,
  );
  const inMemory = (t: number) =>
    ctx.memory.some(({ range }) => t >= range.fromMs && t < range.toMs);
  for (const hour of hours.keys()) if (inDay(hour) || inMemory(hour)) hours.delete(hour);
  const covered = (t: number) => inDay(t) || inMemory(t) || hours.has(periodStart("hour", t));

  // Minutes: only where no day or hour answers, and none exist after now.
  const minuteRuns: TimeRange[] = [];
  const minutesTo = Math.min(to, periodCeil("minute", now));
  for (let hour = periodStart("hour", Math.max(from, kept("minute"))); hour < minutesTo;) {
    const next = hour + HOUR_MS;
    if (!covered(hour)) {
      push(minuteRuns, Math.max(hour, from, kept("minute")), Math.min(next, minutesTo));
    }
    hour = next;
  }

  await Promise.all([
    ...runsOf(days, DAY_MS).map((r) =>
      addPeriods(kv, "day", r.fromMs, r.toMs, days, devices, keys)
    ),
    ...runsOf(hours, HOUR_MS).map((r) =>
      addPeriods(kv, "hour", r.fromMs, r.toMs, hours, devices, keys)
    ),
    ...minuteRuns.map(async (r) => {
      const minutes = await listMarkers(kv, "minute", r.fromMs, r.toMs, keys);
      await addPeriods(kv, "minute", r.fromMs, r.toMs, minutes, devices, keys);
    }),
  ]);
  return { devices, gaps: gaps(from, to, ctx) };
}

/** A finished hour or day that a read-only open() rolled up in memory. */
export interface HeldPeriod {
  level: Level;
  start: number;
  devices: Map<string, UsageRecord>;
}

/** What a writer (or a read-only reader) holds in memory. */
export interface WriterMemory {
  /** Starts of the unfinished day and hour, and the last minute written. */
  day: number;
  hour: number;
  lastMinute: number;
  /** The unfinished day's finished hours, and the unfinished hour. */
  dayUsage: Map<string, UsageRecord>;
  hourUsage: Map<string, UsageRecord>;
  held: readonly HeldPeriod[];
}

/**
 * The periods of [from, to) that memory answers, coarsest first and none
 * inside another: held days, the unfinished day's finished hours, the
 * unfinished hour (only when every minute written is before `to`), held hours.
 */
export function inMemory(from: number, to: number, memory: WriterMemory): RangeContext["memory"] {
  const out: RangeContext["memory"] = [];
  const hold = (fromMs: number, toMs: number, devices: Map<string, UsageRecord>) => {
    const inside = out.some(({ range }) => fromMs >= range.fromMs && toMs <= range.toMs);
    if (fromMs >= from && toMs <= to && fromMs < toMs && !inside) {
      out.push({ range: { fromMs, toMs }, devices });
    }
  };
  for (const held of memory.held) {
    if (held.level === "day") hold(held.start, held.start + DAY_MS, held.devices);
  }
  hold(memory.day, memory.hour, memory.dayUsage);
  if (from <= memory.hour && to >= memory.lastMinute + MINUTE_MS) {
    // No minute after `to` was written, so the whole hour is inside.
    out.push({
      range: { fromMs: memory.hour, toMs: memory.hour + HOUR_MS },
      devices: memory.hourUsage,
    });
  }
  for (const held of memory.held) {
    if (held.level === "hour") hold(held.start, held.start + HOUR_MS, held.devices);
  }
  return out;
}

/**
 * The parts of [from, to) that no level could answer exactly: not inside a
 * kept whole day, nor a kept whole hour, and older than the minutes kept.
 */
function gaps(from: number, to: number, ctx: RangeContext): TimeRange[] {
  const { now, retention, utcOffsetMinutes: offset } = ctx;
  const minutesKept = periodCeil("minute", now - retention.minute + 1);
  const out: TimeRange[] = [];
  // Before the oldest day kept, nothing answers; after the oldest minute kept, all does.
  const daysKept = periodCeil("day", now - retention.day + 1, offset);
  push(out, from, Math.min(to, daysKept));
  const end = Math.min(to, minutesKept);
  for (let hour = periodStart("hour", Math.max(from, daysKept)); hour < end; hour += HOUR_MS) {
    const a = Math.max(hour, from), b = Math.min(hour + HOUR_MS, to);
    const day = periodStart("day", hour, offset);
    if (day >= from && day + DAY_MS <= to && day + retention.day > now) continue;
    if (a === hour && b === hour + HOUR_MS && hour + retention.hour > now) continue;
    push(out, a, Math.min(b, minutesKept));
  }
  return out;
}

/** Appends [a, b) to sorted ranges, joining it to the last when they touch. */
function push(ranges: TimeRange[], a: number, b: number): void {
  if (a >= b) return;
  const last = ranges.at(-1);
  if (last && last.toMs === a) last.toMs = b;
  else ranges.push({ fromMs: a, toMs: b });
}

/** Runs of adjacent periods among `markers`' starts. */
function runsOf(markers: Map<number, PeriodMarker>, size: number): TimeRange[] {
  const runs: TimeRange[] = [];
  for (const start of [...markers.keys()].sort((a, b) => a - b)) push(runs, start, start + size);
  return runs;
}
