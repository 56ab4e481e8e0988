// Periods: starts at each level, UTC offsets, calendar days, weeks and months.
import { assertEquals, assertThrows } from "@std/assert";
import { calendarRange, hourOfDay, periodCeil, periodStart } from "../../../engine/history/mod.ts";

Deno.test("periodStart() and periodCeil() at each level, days at an offset", () => {
  const t = Date.UTC(2024, 2, 10, 1, 30, 45, 500);
  assertEquals(periodStart("minute", t), Date.UTC(2024, 2, 10, 1, 30));
  assertEquals(periodCeil("minute", t), Date.UTC(2024, 2, 10, 1, 31));
  assertEquals(periodCeil("hour", Date.UTC(2024, 2, 10, 1)), Date.UTC(2024, 2, 10, 1));
  assertEquals(periodStart("day", t, -300), Date.UTC(2024, 2, 9, 5)); // 20:30 on the 9th at UTC-5
  assertEquals(periodStart("day", t, 540), Date.UTC(2024, 2, 9, 15)); // 10:30 on the 10th at UTC+9
  assertEquals(periodStart("hour", -1), -3_600_000);
  assertEquals(hourOfDay(t, -300), 20);
});

Deno.test("calendarRange() days, ISO weeks and months, also across years and at offsets", () => {
  const sunday = Date.UTC(2023, 11, 31, 23); // Sunday 31 December 2023, 23:00 UTC
  assertEquals(calendarRange("week", sunday), {
    fromMs: Date.UTC(2023, 11, 25),
    toMs: Date.UTC(2024, 0, 1),
  });
  // At UTC+2 it is already Monday 1 January 2024.
  assertEquals(calendarRange("week", sunday, 120), {
    fromMs: Date.UTC(2024, 0, 1) - 7_200_000,
    toMs: Date.UTC(2024, 0, 8) - 7_200_000,
  });
  assertEquals(calendarRange("month", sunday, 120), {
    fromMs: Date.UTC(2024, 0, 1) - 7_200_000,
    toMs: Date.UTC(2024, 1, 1) - 7_200_000,
  });
  assertEquals(calendarRange("month", Date.UTC(2024, 1, 29, 12)), {
    fromMs: Date.UTC(2024, 1, 1),
    toMs: Date.UTC(2024, 2, 1),
  });
  assertEquals(calendarRange("day", sunday, -60), {
    fromMs: Date.UTC(2023, 11, 31, 1),
    toMs: Date.UTC(2024, 0, 1, 1),
  });
  assertThrows(() => calendarRange("year" as "day", sunday), TypeError, "period");
  assertThrows(() => calendarRange("day", NaN), RangeError, "finite");
  assertThrows(() => calendarRange("day", 0, 900), RangeError, "utcOffsetMinutes");
});
