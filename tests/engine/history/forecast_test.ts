// Forecasts: hourly profile shape and weighting, quota ETA.
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  forecastDevices,
  hourlyProfile,
  quotaForecast,
  type UsagePoint,
} from "../../../engine/history/mod.ts";
import { DAY, HOUR, T0 } from "./_helpers.ts";

const point = (start: number, bytes: number): UsagePoint => ({
  start,
  up: bytes / 4,
  down: (bytes * 3) / 4,
  local: 7,
  apps: {},
});

/** Every day for `days` days before `today`: `bytes(day, hour)` per hour. */
function history(today: number, days: number, bytes: (day: number, hour: number) => number) {
  const out: UsagePoint[] = [];
  for (let d = days; d >= 1; d--) {
    for (let h = 0; h < 24; h++) {
      const b = bytes(d, h);
      if (b > 0) out.push(point(today - d * DAY + h * HOUR, b));
    }
  }
  return out;
}

const TODAY = T0 + 30 * DAY;

Deno.test("hourlyProfile() keeps the shape of the day, not a flat average", () => {
  // Evenings 20:00-22:59 at 3 MB an hour, 100 kB otherwise, for four weeks.
  const points = history(TODAY, 28, (_, h) => (h >= 20 && h < 23 ? 3e6 : 1e5));
  const profile = hourlyProfile(points, { nowMs: TODAY + 9 * HOUR });
  assertEquals(profile.days, 28);
  assertEquals(profile.bytes.length, 24);
  for (let h = 0; h < 24; h++) {
    assertEquals(Math.round(profile.bytes[h]), h >= 20 && h < 23 ? 3e6 : 1e5, `hour ${h}`);
  }
});

Deno.test("hourlyProfile() weights recent days more", () => {
  // Three weeks at 1 MB/hour, then the last week at 5 MB/hour.
  const points = history(TODAY, 28, (d) => (d <= 7 ? 5e6 : 1e6));
  const profile = hourlyProfile(points, { nowMs: TODAY });
  const flatMean = (7 * 5e6 + 21 * 1e6) / 28;
  assert(profile.bytes[12] > flatMean, `${profile.bytes[12]} above the flat mean ${flatMean}`);
  assert(profile.bytes[12] < 5e6);
  // A shorter half-life follows the change more closely.
  const quick = hourlyProfile(points, { nowMs: TODAY, halfLifeDays: 1 });
  assert(quick.bytes[12] > profile.bytes[12]);
});

Deno.test("hourlyProfile() counts days from a device's first point, and idle hours as zero", () => {
  // Seen for two days only; on one, hour 9 used 2 MB.
  const points = [point(TODAY - 2 * DAY + 5 * HOUR, 1), point(TODAY - DAY + 9 * HOUR, 2e6)];
  const profile = hourlyProfile(points, { nowMs: TODAY + HOUR, halfLifeDays: 1e9 });
  assertEquals(profile.days, 2);
  assertEquals(Math.round(profile.bytes[9]), 1e6);
  assertEquals(profile.bytes[10], 0);
  // Told it has been watched longer, the same points mean less per day.
  const longer = hourlyProfile(points, {
    nowMs: TODAY + HOUR,
    halfLifeDays: 1e9,
    sinceMs: TODAY - 4 * DAY,
  });
  assertEquals(longer.days, 4);
  assertEquals(Math.round(longer.bytes[9]), 5e5);
});

Deno.test("hourlyProfile() of a device first seen today spreads today's finished hours", () => {
  const points = [
    point(TODAY + HOUR, 4e6),
    point(TODAY + 2 * HOUR, 2e6),
    point(TODAY + 3 * HOUR, 9e9),
  ];
  const profile = hourlyProfile(points, { nowMs: TODAY + 3 * HOUR + 10 * 60_000 });
  assertEquals(profile, { bytes: new Array(24).fill(3e6), days: 0 });
  assertEquals(hourlyProfile([], { nowMs: TODAY }), { bytes: new Array(24).fill(0), days: 0 });
});

Deno.test("hourlyProfile() follows local hours at a UTC offset", () => {
  const points = history(TODAY, 7, (_, h) => (h === 18 ? 1e6 : 0)); // 18:00 UTC
  const profile = hourlyProfile(points, { nowMs: TODAY, utcOffsetMinutes: 120 });
  assertEquals(profile.bytes.findIndex((b) => b > 0), 20); // 20:00 at UTC+2
});

Deno.test("quotaForecast(): when a quota is reached at the expected pace", () => {
  const now = TODAY + 10 * HOUR + 30 * 60_000; // 10:30
  const profile = { bytes: new Array(24).fill(0).map((_, h) => (h >= 18 ? 4e9 : 1e9)), days: 7 };
  const used = [point(TODAY + 9 * HOUR, 6e9), point(TODAY + 10 * HOUR, 1e9)];
  // Rest of 10:00 (0.5 GB), 11-17 (7 GB): 14.5 GB by 18:00, then 4 GB an hour.
  const f = quotaForecast(used, profile, { bytes: 16.5e9, period: "day" }, { nowMs: now });
  assertEquals(f.usedBytes, 7e9);
  assertEquals(f.etaMs, TODAY + 18 * HOUR + 30 * 60_000);
  assertEquals(f.projectedBytes, 7e9 + 0.5e9 + 7e9 + 6 * 4e9);
  assertEquals([f.fromMs, f.toMs], [TODAY, TODAY + DAY]);
  // Out of reach within the day: null.
  assertEquals(
    quotaForecast(used, profile, { bytes: 100e9, period: "day" }, { nowMs: now }).etaMs,
    null,
  );
  // Already reached: when it was crossed.
  const crossed = quotaForecast(used, profile, { bytes: 3e9, period: "day" }, { nowMs: now });
  assertEquals(crossed.etaMs, TODAY + 9 * HOUR + 30 * 60_000);
});

Deno.test("quotaForecast() by week and by month counts from the calendar period's start", () => {
  const now = TODAY + 12 * HOUR; // Wednesday 31 January 2024, 12:00
  const points = history(TODAY + DAY, 10, () => 1e6);
  const profile = { bytes: new Array(24).fill(1e6), days: 10 };
  const week = quotaForecast(points, profile, { bytes: 1e12, period: "week" }, { nowMs: now });
  assertEquals(week.fromMs, Date.UTC(2024, 0, 29));
  assertEquals(week.usedBytes, (2 * 24 + 12) * 1e6); // Monday, Tuesday, and the 31st until now
  const month = quotaForecast(points, profile, { bytes: 235e6, period: "month" }, { nowMs: now });
  assertEquals([month.fromMs, month.toMs], [Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1)]);
  assertEquals(month.usedBytes, (9 * 24 + 12) * 1e6);
  assertEquals(month.etaMs, now + 7 * HOUR);
  assertEquals(month.projectedBytes, 240e6);
  assertThrows(
    () => quotaForecast(points, profile, { bytes: 0, period: "day" }, { nowMs: now }),
    RangeError,
  );
});

Deno.test("forecastDevices() gives every device its profile and quota", () => {
  const out = forecastDevices(
    { "mac:a": history(TODAY, 3, () => 1e6), "mac:b": [] },
    { nowMs: TODAY },
    { bytes: 12e6, period: "day" },
  );
  assertEquals(Object.keys(out), ["mac:a", "mac:b"]);
  assertEquals(out["mac:a"].quota?.etaMs, TODAY + 12 * HOUR);
  assertEquals(out["mac:b"].quota?.etaMs, null);
  assertEquals(forecastDevices({ "mac:a": [] }, { nowMs: TODAY })["mac:a"].quota, null);
});
