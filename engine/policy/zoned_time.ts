/**
 * Calendar arithmetic in an IANA time zone ("Europe/Berlin", "UTC"): the
 * local time of an instant, the instant of a local time, and the hours, days,
 * weeks (Monday first) and months quotas count over. Pure: times are epoch
 * milliseconds passed in, the zone rules come from `Intl.DateTimeFormat` (one
 * cached formatter per zone), and nothing reads the clock.
 *
 * Daylight saving time is followed: a local day lasts 23, 24 or 25 hours, and
 * a day that starts in a spring-forward gap (zones that change at midnight,
 * like America/Santiago) starts at its first existing instant.
 *
 * @module
 */

import type { QuotaPeriod } from "./policy_types.ts";
import {
  checkInstant,
  findTransition,
  formatterFor,
  MAX_MS,
  MIN_MS,
  MINUTE_MS,
  offsetAt,
  resolveWall,
  wallAt,
  wallFrom,
  wallWeekday,
} from "./_zone_offsets.ts";

/** What a zone's clock and calendar read at an instant. */
export interface LocalTime {
  year: number;
  /** 1 to 12. */
  month: number;
  /** 1 to 31. */
  day: number;
  /** 0 to 23. */
  hour: number;
  minute: number;
  second: number;
  /** 0 = Monday … 6 = Sunday (ISO 8601 order, as WEEKDAYS in policy_types.ts). */
  weekday: number;
  /**
   * Local time minus UTC, in minutes (120 for CEST). Whole minutes for any
   * zone since 1970; older local mean times may give a fraction.
   */
  offsetMinutes: number;
}

/**
 * A local calendar time. Out-of-range fields carry over as in `Date.UTC`
 * (day 32 is in the next month, hour 24 the next day), so callers can add
 * days or months to fields without calendar arithmetic of their own.
 */
export interface LocalFields {
  year: number;
  /** 1 to 12 (carried over beyond). */
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
}

/**
 * Checks an IANA time zone name and returns Intl's spelling of it ("utc" is
 * "UTC"). RangeError naming the zone if Intl does not know it.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(checkTimeZone("Europe/Berlin"), "Europe/Berlin");
 * assertThrows(() => checkTimeZone("Mars/Olympus"), RangeError, "Mars/Olympus");
 * ```
 */
export function checkTimeZone(tz: string): string {
  return formatterFor(tz).resolvedOptions().timeZone;
}

/**
 * What the clock and calendar of `tz` read at instant `ms`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(localTime(Date.UTC(2024, 6, 1, 12), "Europe/Berlin"), {
 *   year: 2024, month: 7, day: 1, hour: 14, minute: 0, second: 0,
 *   weekday: 0, offsetMinutes: 120,
 * });
 * ```
 */
export function localTime(ms: number, tz: string): LocalTime {
  checkInstant(ms);
  const wall = wallAt(ms, tz);
  const date = new Date(wall);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    weekday: wallWeekday(wall),
    offsetMinutes: (wall - ms) / MINUTE_MS,
  };
}

/** "14:02:11": the time of day in `tz`, for reasons and messages. */
export function clockText(ms: number, tz: string): string {
  const t = localTime(ms, tz);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(t.hour)}:${two(t.minute)}:${two(t.second)}`;
}

/**
 * The instant at which the clock of `tz` reads the local time `fields`.
 * A time skipped by a spring-forward gap gives the first instant after the
 * gap (02:30 on Berlin's spring-forward day is 03:00 CEST); a time read twice
 * in a fall-back overlap gives the earlier instant (the one still in summer
 * time).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const tz = "Europe/Berlin";
 * assertEquals(zonedToEpoch({ year: 2024, month: 7, day: 1, hour: 14 }, tz), Date.UTC(2024, 6, 1, 12));
 * // Skipped on 31 March 2024: the clocks went from 02:00 CET to 03:00 CEST.
 * assertEquals(
 *   zonedToEpoch({ year: 2024, month: 3, day: 31, hour: 2, minute: 30 }, tz),
 *   Date.UTC(2024, 2, 31, 1),
 * );
 * // Read twice on 27 October 2024: first in CEST.
 * assertEquals(
 *   zonedToEpoch({ year: 2024, month: 10, day: 27, hour: 2, minute: 30 }, tz),
 *   Date.UTC(2024, 9, 27, 0, 30),
 * );
 * ```
 */
export function zonedToEpoch(fields: LocalFields, tz: string): number {
  const { year, month, day, hour = 0, minute = 0, second = 0, millisecond = 0 } = fields;
  const values = { year, month, day, hour, minute, second, millisecond };
  for (const [name, value] of Object.entries(values)) {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`local time field ${name} must be an integer, got ${value}`);
    }
  }
  formatterFor(tz); // an unknown zone fails first, with its own message
  const wall = wallFrom(year, month, day, hour, minute, second, millisecond);
  if (!(wall >= MIN_MS && wall <= MAX_MS)) {
    throw new RangeError(`local time ${year}-${month}-${day} is outside years 1 to 9999`);
  }
  return resolveWall(wall, tz).earlier;
}

/**
 * The start (epoch ms) of the local hour, day, week (from Monday) or month of
 * `tz` that holds `ms`.
 *
 * Days, weeks and months follow the calendar: one that starts in a
 * spring-forward gap starts at the first instant after it, and a day with a
 * fall-back lasts 25 hours. Hours are real hours of the clock: both readings
 * of a repeated hour count as separate hours, and an hour cut by a transition
 * (zones that shift by 30 minutes) is shorter.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const t = Date.UTC(2024, 1, 1, 12); // Thursday 1 February 2024, 13:00 in Berlin
 * assertEquals(periodStart("day", t, "Europe/Berlin"), Date.UTC(2024, 0, 31, 23));
 * assertEquals(periodStart("week", t, "Europe/Berlin"), Date.UTC(2024, 0, 28, 23)); // Monday 29 Jan
 * assertEquals(periodStart("month", t, "UTC"), Date.UTC(2024, 1, 1));
 * ```
 */
export function periodStart(period: QuotaPeriod, ms: number, tz: string): number {
  const { wall, year, month, day, hour } = wallParts(ms, tz);
  switch (period) {
    case "hour": {
      const offset = wall - ms;
      const start = wallFrom(year, month, day, hour) - offset;
      // The offset changed within the hour: this hour began at the change.
      return recall(tz, start, offsetAt) === offset ? start : findTransition(start, ms, tz);
    }
    case "day":
      return recall(tz, wallFrom(year, month, day), earliest);
    case "week":
      return recall(tz, wallFrom(year, month, day - wallWeekday(wall)), earliest);
    case "month":
      return recall(tz, wallFrom(year, month, 1), earliest);
  }
  throw new TypeError(
    `period must be "hour", "day", "week" or "month", got ${JSON.stringify(period)}`,
  );
}

/** The first instant at which `tz`'s wall clock reads `wall` (or the first after its gap). */
function earliest(wall: number, tz: string): number {
  return resolveWall(wall, tz).earlier;
}

/**
 * `f(x, tz)`, remembered: a counter asks for the same period's start every
 * second, and each answer costs several Intl calls. `f` is pure.
 */
function recall(tz: string, x: number, f: (x: number, tz: string) => number): number {
  const key = `${f.name} ${tz} ${x}`;
  let value = recalled.get(key);
  if (value === undefined) {
    if (recalled.size >= 256) recalled.clear();
    recalled.set(key, value = f(x, tz));
  }
  return value;
}
const recalled = new Map<string, number>();

/**
 * The end (epoch ms, excluded) of the local period of `tz` that holds `ms`:
 * the start of the next one. See {@linkcode periodStart}.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * // Berlin's fall-back day, 27 October 2024, lasts 25 hours.
 * const t = Date.UTC(2024, 9, 27, 12);
 * const tz = "Europe/Berlin";
 * assertEquals(periodEnd("day", t, tz) - periodStart("day", t, tz), 25 * 3_600_000);
 * ```
 */
export function periodEnd(period: QuotaPeriod, ms: number, tz: string): number {
  const { wall, year, month, day, hour } = wallParts(ms, tz);
  switch (period) {
    case "hour": {
      const offset = wall - ms;
      const end = wallFrom(year, month, day, hour + 1) - offset;
      // The offset changes before the hour is out: the next hour starts there.
      return offsetAt(end - 1000, tz) === offset ? end : findTransition(ms, end - 1000, tz);
    }
    case "day":
      return resolveWall(wallFrom(year, month, day + 1), tz).earlier;
    case "week":
      return resolveWall(wallFrom(year, month, day - wallWeekday(wall) + 7), tz).earlier;
    case "month":
      return resolveWall(wallFrom(year, month + 1, 1), tz).earlier;
  }
  throw new TypeError(
    `period must be "hour", "day", "week" or "month", got ${JSON.stringify(period)}`,
  );
}

/** The wall clock of `tz` at `ms` (as a UTC-based ms value) and its calendar fields. */
function wallParts(ms: number, tz: string) {
  checkInstant(ms);
  const wall = wallAt(ms, tz);
  const date = new Date(wall);
  return {
    wall,
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
  };
}
