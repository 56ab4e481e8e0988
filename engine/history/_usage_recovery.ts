// What UsageHistory.open() rebuilds from the store after a stop or a crash:
// every hour and day the last run left unfinished is rolled up from the
// level below and written, and the unfinished hour and day are loaded back
// into memory, so that only the minute being written when it died is lost.
import {
  addPeriods,
  lastMarker,
  listMarkers,
  type PeriodMarker,
  type UsageKeys,
} from "./_usage_store.ts";
import { DAY_MS, HOUR_MS, type Level, MINUTE_MS, periodStart } from "./periods.ts";
import { addByDevice, type UsageRecord } from "./usage_record.ts";

/** The writer's state after recovery. */
export interface RecoveredState {
  /** `nowMs`, or just after the last minute stored if that is later. */
  now: number;
  lastMinute: number;
  /** The unfinished hour and day: their start, and what is stored of them. */
  hour: number;
  hourUsage: Map<string, UsageRecord>;
  hourMinutes: number;
  day: number;
  dayUsage: Map<string, UsageRecord>;
  dayHours: number;
}

/** Takes a period recovery finished: a writer stores it, a read-only reader keeps it in memory. */
export type WritePeriod = (
  level: Level,
  start: number,
  usage: Map<string, UsageRecord>,
  now: number,
) => Promise<void>;

/** Recovers the store at `nowMs`; `write` is given each period it finishes, oldest first. */
export async function recover(
  kv: Deno.Kv,
  nowMs: number,
  retention: Record<Level, number>,
  utcOffsetMinutes: number,
  write: WritePeriod,
  keys: UsageKeys,
): Promise<RecoveredState> {
  // Minutes after the last finished hour: finish their hours, keep the current one.
  const lastHour = await lastMarker(kv, "hour", keys);
  const minutesFrom = Math.max(
    lastHour === null ? -Infinity : lastHour + HOUR_MS,
    periodStart("hour", nowMs - retention.minute),
  );
  const minutes = await listMarkers(kv, "minute", minutesFrom, Number.MAX_SAFE_INTEGER, keys);
  let now = nowMs, lastMinute = -Infinity;
  for (const minute of minutes.keys()) {
    lastMinute = Math.max(lastMinute, minute);
    now = Math.max(now, minute + MINUTE_MS);
  }
  const state: RecoveredState = {
    now,
    lastMinute,
    hour: periodStart("hour", now),
    hourUsage: new Map(),
    hourMinutes: 0,
    day: periodStart("day", now, utcOffsetMinutes),
    dayUsage: new Map(),
    dayHours: 0,
  };
  const finishedHours = new Map<number, Map<string, UsageRecord>>();
  for (const [hour, markers] of groupBy(minutes, "hour", 0)) {
    const usage = new Map<string, UsageRecord>();
    await addPeriods(kv, "minute", hour, hour + HOUR_MS, markers, usage, keys);
    if (hour < state.hour) {
      await write("hour", hour, usage, now);
      finishedHours.set(hour, usage);
    } else [state.hourUsage, state.hourMinutes] = [usage, markers.size];
  }

  // Hours after the last finished day, stored or just finished: the same, a level up.
  const lastDay = await lastMarker(kv, "day", keys);
  const hoursFrom = Math.max(
    lastDay === null ? -Infinity : lastDay + DAY_MS,
    periodStart("day", now - retention.hour, utcOffsetMinutes),
  );
  const stored = await listMarkers(kv, "hour", hoursFrom, state.hour, keys);
  // Hours just finished come from memory: a read-only open() did not store them.
  for (const hour of finishedHours.keys()) stored.delete(hour);
  const days = new Map<number, { usage: Map<string, UsageRecord>; hours: number }>();
  for (const [day, markers] of groupBy(stored, "day", utcOffsetMinutes)) {
    const usage = new Map<string, UsageRecord>();
    await addPeriods(kv, "hour", day, day + DAY_MS, markers, usage, keys);
    days.set(day, { usage, hours: markers.size });
  }
  for (const [hour, usage] of finishedHours) {
    if (hour < hoursFrom) continue;
    const start = periodStart("day", hour, utcOffsetMinutes);
    let day = days.get(start);
    if (!day) days.set(start, day = { usage: new Map(), hours: 0 });
    for (const [deviceId, record] of usage) addByDevice(day.usage, deviceId, record);
    day.hours++;
  }
  for (const [day, { usage, hours }] of [...days].sort((a, b) => a[0] - b[0])) {
    if (day < state.day) await write("day", day, usage, now);
    else [state.dayUsage, state.dayHours] = [usage, hours];
  }
  return state;
}

/** Markers grouped by the `level` period they fall in, in time order. */
function groupBy(
  markers: Map<number, PeriodMarker>,
  level: Level,
  utcOffsetMinutes: number,
): Map<number, Map<number, PeriodMarker>> {
  const groups = new Map<number, Map<number, PeriodMarker>>();
  for (const [start, marker] of [...markers].sort((a, b) => a[0] - b[0])) {
    const key = periodStart(level, start, utcOffsetMinutes);
    let group = groups.get(key);
    if (!group) groups.set(key, group = new Map());
    group.set(start, marker);
  }
  return groups;
}
