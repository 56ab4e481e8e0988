/**
 * The periods history is kept in: minutes, hours and days, and the calendar
 * ranges reports ask for (a day, a week, a month). Times are epoch
 * milliseconds passed in by the caller; nothing here reads the clock.
 *
 * Days follow a fixed offset from UTC in whole hours (so that a day is always
 * a union of whole hours). Daylight saving time is not followed: a caller in
 * a zone with DST picks the offset it wants days to follow.
 *
 * @module
 */

/** One minute, in milliseconds. */
export const MINUTE_MS = 60_000;
/** One hour, in milliseconds. */
export const HOUR_MS = 3_600_000;
/** One day, in milliseconds. */
export const DAY_MS = 86_400_000;

/** The levels usage is kept at. */
export type Level = "minute" | "hour" | "day";

/** The calendar ranges of {@linkcode calendarRange}. */
export type CalendarPeriod = "day" | "week" | "month";

/** A half-open range of epoch milliseconds: `fromMs` included, `toMs` excluded. */
export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/**
 * Checks a time: integer epoch milliseconds (a RangeError naming `what` otherwise).
 *
 * @example
 * ```ts
 * import { assertThrows } from "@std/assert";
 * checkTime(Date.UTC(2024, 0, 1), "nowMs");
 * assertThrows(() => checkTime(1.5, "nowMs"), RangeError, "nowMs");
 * ```
 */
export function checkTime(ms: number, what: string): void {
  if (!Number.isSafeInteger(ms)) {
    throw new RangeError(`${what} must be integer epoch ms, got ${ms}`);
  }
}

/** Checks a range: two times, `fromMs` not after `toMs`. */
export function checkRange(fromMs: number, toMs: number): void {
  checkTime(fromMs, "fromMs");
  checkTime(toMs, "toMs");
  if (fromMs > toMs) throw new RangeError(`fromMs ${fromMs} is after toMs ${toMs}`);
}

/** How long a period of `level` lasts, in milliseconds. */
export function levelMs(level: Level): number {
  if (level === "minute") return MINUTE_MS;
  if (level === "hour") return HOUR_MS;
  if (level === "day") return DAY_MS;
  throw new TypeError(`level must be "minute", "hour" or "day", got ${JSON.stringify(level)}`);
}

/**
 * Checks a UTC offset for days: whole hours between -12 h and +14 h.
 *
 * @example
 * ```ts
 * import { assertThrows } from "@std/assert";
 * checkUtcOffset(120);
 * assertThrows(() => checkUtcOffset(330), RangeError);
 * ```
 */
export function checkUtcOffset(utcOffsetMinutes: number): void {
  if (
    !Number.isInteger(utcOffsetMinutes) || utcOffsetMinutes % 60 !== 0 ||
    utcOffsetMinutes < -720 || utcOffsetMinutes > 840
  ) {
    throw new RangeError(
      `utcOffsetMinutes must be whole hours between -720 and 840, got ${utcOffsetMinutes}`,
    );
  }
}

/**
 * The start of the `level` period that holds `ms`. Days start at local
 * midnight for the given offset from UTC.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const t = Date.UTC(2024, 4, 6, 23, 30, 15);
 * assertEquals(periodStart("hour", t), Date.UTC(2024, 4, 6, 23));
 * assertEquals(periodStart("day", t), Date.UTC(2024, 4, 6));
 * assertEquals(periodStart("day", t, 120), Date.UTC(2024, 4, 6, 22)); // UTC+2: the 7th began
 * ```
 */
export function periodStart(level: Level, ms: number, utcOffsetMinutes = 0): number {
  const size = levelMs(level);
  const shift = level === "day" ? utcOffsetMinutes * MINUTE_MS : 0;
  return Math.floor((ms + shift) / size) * size - shift;
}

/** The start of the first `level` period that begins at or after `ms`. */
export function periodCeil(level: Level, ms: number, utcOffsetMinutes = 0): number {
  const start = periodStart(level, ms, utcOffsetMinutes);
  return start === ms ? ms : start + levelMs(level);
}

/**
 * The local hour of day (0 to 23) of `ms` for the given offset from UTC.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(hourOfDay(Date.UTC(2024, 0, 1, 23), 60), 0);
 * ```
 */
export function hourOfDay(ms: number, utcOffsetMinutes = 0): number {
  const local = ms + utcOffsetMinutes * MINUTE_MS;
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

/**
 * The calendar day, week (Monday to Sunday, as ISO 8601) or month that holds
 * `ms`, in local time for the given offset from UTC.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const t = Date.UTC(2024, 1, 14, 12); // Wednesday 14 February 2024
 * assertEquals(calendarRange("week", t), {
 *   fromMs: Date.UTC(2024, 1, 12), toMs: Date.UTC(2024, 1, 19),
 * });
 * assertEquals(calendarRange("month", t), {
 *   fromMs: Date.UTC(2024, 1, 1), toMs: Date.UTC(2024, 2, 1),
 * });
 * ```
 */
export function calendarRange(
  period: CalendarPeriod,
  ms: number,
  utcOffsetMinutes = 0,
): TimeRange {
  checkUtcOffset(utcOffsetMinutes);
  if (!Number.isFinite(ms)) throw new RangeError(`time must be finite, got ${ms}`);
  const shift = utcOffsetMinutes * MINUTE_MS;
  const day = periodStart("day", ms, utcOffsetMinutes);
  if (period === "day") return { fromMs: day, toMs: day + DAY_MS };
  if (period === "week") {
    const weekday = (new Date(day + shift).getUTCDay() + 6) % 7; // Monday 0
    const fromMs = day - weekday * DAY_MS;
    return { fromMs, toMs: fromMs + 7 * DAY_MS };
  }
  if (period === "month") {
    const local = new Date(day + shift);
    const year = local.getUTCFullYear(), month = local.getUTCMonth();
    return {
      fromMs: Date.UTC(year, month, 1) - shift,
      toMs: Date.UTC(year, month + 1, 1) - shift,
    };
  }
  throw new TypeError(`period must be "day", "week" or "month", got ${JSON.stringify(period)}`);
}
