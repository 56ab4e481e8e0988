/**
 * The range a report covers, from its query: a calendar day, week or month
 * holding `at` (default now, days as the history rolls them up), or an
 * explicit from/to (`period=range`, or from and to alone), to whole minutes.
 *
 * @module
 */
import { z } from "zod/v4";
import { calendarRange, DAY_MS, MINUTE_MS, type TimeRange } from "../../engine/history/mod.ts";
import { HttpError } from "./http_error.ts";
import { queryTime } from "./_schemas.ts";

/** The longest explicit range: a little over the days' default retention. */
export const MAX_REPORT_MS = 800 * DAY_MS;

/** The query fields of a report's range. */
export const reportRangeQuery = {
  period: z.enum(["day", "week", "month", "range"], {
    error: 'period must be "day", "week", "month" or "range"',
  }).optional(),
  at: queryTime("at"),
  from: queryTime("from"),
  to: queryTime("to"),
};

/** What {@linkcode reportRange} reads. */
export interface RangeQuery {
  period?: "day" | "week" | "month" | "range";
  at?: number;
  from?: number;
  to?: number;
}

/**
 * The range of a report query; a 400 naming the field when it makes none.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const now = Date.UTC(2024, 1, 14, 12, 30);
 * assertEquals(reportRange({}, now, 0), { fromMs: Date.UTC(2024, 1, 14), toMs: Date.UTC(2024, 1, 15) });
 * assertEquals(reportRange({ from: 90_000, to: 150_000 }, now, 0), { fromMs: 60_000, toMs: 180_000 });
 * ```
 */
export function reportRange(query: RangeQuery, now: number, utcOffsetMinutes: number): TimeRange {
  const explicit = query.from !== undefined || query.to !== undefined;
  const period = query.period ?? (explicit ? "range" : "day");
  if (period !== "range") {
    if (explicit) throw fieldError("from", `from and to go with period=range, not ${period}`);
    return calendarRange(period, query.at ?? now, utcOffsetMinutes);
  }
  if (query.at !== undefined) throw fieldError("at", "at goes with period=day, week or month");
  if (query.from === undefined) throw fieldError("from", "from is needed with period=range");
  if (query.to === undefined) throw fieldError("to", "to is needed with period=range");
  if (query.to <= query.from) throw fieldError("to", "to must be after from");
  // History answers in whole minutes: the range grows to the minutes it touches.
  const fromMs = Math.floor(query.from / MINUTE_MS) * MINUTE_MS;
  const toMs = Math.ceil(query.to / MINUTE_MS) * MINUTE_MS;
  if (toMs - fromMs > MAX_REPORT_MS) {
    throw fieldError("to", `a range is at most ${MAX_REPORT_MS / DAY_MS} days`);
  }
  return { fromMs, toMs };
}

function fieldError(field: string, message: string): HttpError {
  return new HttpError(400, `invalid query: ${field}: ${message}`, { [field]: message });
}

/**
 * A range's first day as "YYYY-MM-DD", local at the offset (for file names).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(dayText(Date.UTC(2024, 1, 13, 23), 60), "2024-02-14");
 * ```
 */
export function dayText(ms: number, utcOffsetMinutes: number): string {
  return new Date(ms + utcOffsetMinutes * MINUTE_MS).toISOString().slice(0, 10);
}
