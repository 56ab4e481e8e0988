/**
 * Forecasts from a device's hourly history (pure): how much it is expected
 * to use in each hour of the day, and when it will reach a quota at that
 * pace. Usage here is internet bytes, `up + down`.
 *
 * The expectation for an hour of the day is the mean of that hour over the
 * last weeks, each day weighted by its age (halving every `halfLifeDays`), so
 * the evening peak stays an evening peak and last week counts more than a
 * month ago; a flat 24-hour moving average would smear both away.
 *
 * @module
 */
import {
  type CalendarPeriod,
  calendarRange,
  checkUtcOffset,
  DAY_MS,
  HOUR_MS,
  hourOfDay,
  periodStart,
} from "./periods.ts";
import type { UsagePoint } from "./usage_record.ts";

/** Options for {@linkcode hourlyProfile}. */
export interface ProfileOptions {
  /** Now, in epoch ms: days before today's are history. */
  nowMs: number;
  /** Weeks of history looked at (default 4). */
  weeks?: number;
  /** Age in days at which a day counts half as much as yesterday (default 7). */
  halfLifeDays?: number;
  /** Hours of the day are local at this offset from UTC, in whole hours (default 0). */
  utcOffsetMinutes?: number;
  /**
   * Since when the device has been watched, if known (its first-seen time):
   * days before it are not counted as idle. By default, the day of its first point.
   */
  sinceMs?: number;
}

/** Expected bytes per local hour of the day. */
export interface HourlyProfile {
  /** 24 entries, local hour 0 first: expected `up + down` bytes in that hour. */
  bytes: number[];
  /** Whole days of history used; 0 when only today's hours (or nothing) were. */
  days: number;
}

/**
 * The expected bytes in each local hour of the day, from hourly points (as
 * `UsageHistory.series(id, "hour", ...)` returns; hours missing from the
 * series used nothing). A device with no whole day of history yet gets the
 * mean of today's finished hours in every hour.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const day = Date.UTC(2024, 0, 10);
 * const point = (start: number, bytes: number) =>
 *   ({ start, up: 0, down: bytes, local: 0, apps: {} });
 * // Evenings at 20:00 used 1 GB yesterday and 0.5 GB the day before.
 * const points = [
 *   point(day - 2 * 86_400_000 + 20 * 3_600_000, 0.5e9),
 *   point(day - 86_400_000 + 20 * 3_600_000, 1e9),
 * ];
 * const profile = hourlyProfile(points, { nowMs: day + 3_600_000, halfLifeDays: 1 });
 * assertEquals(profile.days, 2);
 * assertEquals(Math.round(profile.bytes[20]), Math.round((1e9 + 0.5 * 0.5e9) / 1.5));
 * assertEquals(profile.bytes[3], 0);
 * ```
 */
export function hourlyProfile(
  points: readonly UsagePoint[],
  options: ProfileOptions,
): HourlyProfile {
  const { nowMs, weeks = 4, halfLifeDays = 7, utcOffsetMinutes = 0 } = options;
  checkUtcOffset(utcOffsetMinutes);
  if (!Number.isFinite(nowMs)) throw new RangeError(`nowMs must be finite, got ${nowMs}`);
  if (!Number.isInteger(weeks) || weeks < 1) {
    throw new RangeError(`weeks must be a positive integer, got ${weeks}`);
  }
  if (!(halfLifeDays > 0)) {
    throw new RangeError(`halfLifeDays must be positive, got ${halfLifeDays}`);
  }
  const today = periodStart("day", nowMs, utcOffsetMinutes);
  const since = options.sinceMs ??
    points.reduce((min, p) => Math.min(min, p.start), Infinity);
  if (!Number.isFinite(since)) return { bytes: new Array<number>(24).fill(0), days: 0 };
  const first = Math.max(today - weeks * 7 * DAY_MS, periodStart("day", since, utcOffsetMinutes));
  const sums = new Array<number>(24).fill(0);
  let weights = 0, days = 0;
  for (let day = first; day < today; day += DAY_MS) {
    weights += 0.5 ** ((today - day - DAY_MS) / DAY_MS / halfLifeDays);
    days++;
  }
  if (days > 0) {
    for (const p of points) {
      if (p.start < first || p.start >= today) continue;
      const age = Math.floor((today - periodStart("day", p.start, utcOffsetMinutes)) / DAY_MS) - 1;
      sums[hourOfDay(p.start, utcOffsetMinutes)] += (p.up + p.down) * 0.5 ** (age / halfLifeDays);
    }
    return { bytes: sums.map((s) => s / weights), days };
  }
  // Nothing older than today: today's finished hours, spread evenly.
  const hour = periodStart("hour", nowMs);
  const hours = Math.max(0, (hour - Math.max(since, today)) / HOUR_MS);
  let bytes = 0;
  for (const p of points) if (p.start >= today && p.start < hour) bytes += p.up + p.down;
  return { bytes: new Array<number>(24).fill(hours > 0 ? bytes / Math.ceil(hours) : 0), days: 0 };
}

/** A cap on internet bytes (`up + down`) per calendar day, week or month. */
export interface Quota {
  bytes: number;
  period: CalendarPeriod;
}

/** Where a device stands against a quota. */
export interface QuotaForecast {
  /** The calendar period holding now. */
  fromMs: number;
  toMs: number;
  /** Used so far in the period. */
  usedBytes: number;
  /** Used plus expected by the period's end. */
  projectedBytes: number;
  /** When the quota is (or was) reached; null if not within the period at this pace. */
  etaMs: number | null;
}

/**
 * When a device reaches `quota` at its expected pace: what it used so far in
 * the calendar period (from its hourly points, the unfinished hour's included)
 * plus its {@linkcode hourlyProfile} hour by hour from now to the period's end.
 * Points starting after `nowMs` are ignored.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const now = Date.UTC(2024, 0, 10, 12);
 * const flat = { bytes: new Array(24).fill(1e9), days: 7 }; // 1 GB every hour
 * const used = [{ start: Date.UTC(2024, 0, 10, 0), up: 0, down: 5e9, local: 0, apps: {} }];
 * const f = quotaForecast(used, flat, { bytes: 10e9, period: "day" }, { nowMs: now });
 * assertEquals(f.usedBytes, 5e9);
 * assertEquals(f.etaMs, now + 5 * 3_600_000); // 5 GB to go at 1 GB an hour
 * assertEquals(quotaForecast(used, flat, { bytes: 50e9, period: "day" }, { nowMs: now }).etaMs, null);
 * ```
 */
export function quotaForecast(
  points: readonly UsagePoint[],
  profile: HourlyProfile,
  quota: Quota,
  options: { nowMs: number; utcOffsetMinutes?: number },
): QuotaForecast {
  const { nowMs, utcOffsetMinutes = 0 } = options;
  if (!(quota.bytes > 0)) throw new RangeError(`quota.bytes must be positive, got ${quota.bytes}`);
  if (profile.bytes.length !== 24) throw new RangeError("profile.bytes must have 24 hours");
  const { fromMs, toMs } = calendarRange(quota.period, nowMs, utcOffsetMinutes);
  // Used so far, and when the quota was crossed if it already was.
  const used = points.filter((p) => p.start >= fromMs && p.start < Math.min(toMs, nowMs))
    .sort((a, b) => a.start - b.start);
  let usedBytes = 0, etaMs: number | null = null;
  for (const p of used) {
    const bytes = p.up + p.down;
    if (etaMs === null && usedBytes + bytes >= quota.bytes) {
      // Spread evenly over the hour (or the part of it that has passed).
      const span = Math.min(HOUR_MS, Math.max(1, nowMs - p.start));
      etaMs = Math.round(p.start + span * (quota.bytes - usedBytes) / bytes);
    }
    usedBytes += bytes;
  }
  // Then hour by hour at the expected pace; the current hour only for what is left of it.
  let projected = usedBytes;
  for (let t = Math.max(nowMs, fromMs); t < toMs;) {
    const hourEnd = Math.min(periodStart("hour", t) + HOUR_MS, toMs);
    const rate = profile.bytes[hourOfDay(t, utcOffsetMinutes)] / HOUR_MS;
    const expected = rate * (hourEnd - t);
    if (etaMs === null && rate > 0 && projected + expected >= quota.bytes) {
      etaMs = Math.round(t + (quota.bytes - projected) / rate);
    }
    projected += expected;
    t = hourEnd;
  }
  return { fromMs, toMs, usedBytes, projectedBytes: Math.round(projected), etaMs };
}

/** A device's forecast: its hourly profile and, when a quota is given, where it stands. */
export interface DeviceForecast {
  profile: HourlyProfile;
  quota: QuotaForecast | null;
}

/**
 * {@linkcode hourlyProfile} and {@linkcode quotaForecast} for each device's
 * hourly series.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const f = forecastDevices({ "mac:a": [] }, { nowMs: 0 }, { bytes: 1, period: "day" });
 * assertEquals(f["mac:a"].quota?.etaMs, null);
 * ```
 */
export function forecastDevices(
  series: Readonly<Record<string, readonly UsagePoint[]>>,
  options: ProfileOptions,
  quota?: Quota,
): Record<string, DeviceForecast> {
  const out: Record<string, DeviceForecast> = {};
  for (const [deviceId, points] of Object.entries(series)) {
    const profile = hourlyProfile(points, options);
    out[deviceId] = {
      profile,
      quota: quota ? quotaForecast(points, profile, quota, options) : null,
    };
  }
  return out;
}
