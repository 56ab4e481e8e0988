import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  checkTimeZone,
  localTime,
  periodEnd,
  periodStart,
  zonedToEpoch,
} from "../../../engine/policy/zoned_time.ts";
import { QUOTA_PERIODS, type QuotaPeriod } from "../../../engine/policy/policy_types.ts";

const H = 3_600_000;
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  Date.UTC(y, mo - 1, d, h, mi, s);

/** [start, end) of the period holding `ms`, as ISO text for readable failures. */
function period(p: QuotaPeriod, ms: number, tz: string): [string, string] {
  return [
    new Date(periodStart(p, ms, tz)).toISOString(),
    new Date(periodEnd(p, ms, tz)).toISOString(),
  ];
}

Deno.test("checkTimeZone() returns Intl's spelling and names an unknown zone", () => {
  assertEquals(checkTimeZone("Europe/Berlin"), "Europe/Berlin");
  assertEquals(checkTimeZone("utc"), "UTC");
  assertThrows(() => checkTimeZone("Mars/Olympus"), RangeError, '"Mars/Olympus"');
  assertThrows(() => checkTimeZone(""), RangeError, "unknown time zone");
  assertThrows(() => checkTimeZone(42 as unknown as string), TypeError, "string");
});

Deno.test("localTime() reads clock, calendar, weekday and offset", () => {
  assertEquals(localTime(utc(2024, 1, 15, 23, 30, 5) + 999, "Europe/Berlin"), {
    year: 2024,
    month: 1,
    day: 16,
    hour: 0,
    minute: 30,
    second: 5,
    weekday: 1, // Tuesday
    offsetMinutes: 60,
  });
  const ny = localTime(utc(2024, 7, 7, 3), "America/New_York");
  assertEquals([ny.day, ny.hour, ny.weekday, ny.offsetMinutes], [6, 23, 5, -240]); // Saturday
  assertEquals(localTime(utc(2024, 7, 7), "Asia/Kolkata").offsetMinutes, 330);
  assertEquals(localTime(utc(2024, 7, 7), "Asia/Kathmandu").offsetMinutes, 345);
  assertEquals(localTime(utc(2024, 7, 7), "UTC").weekday, 6); // Sunday
  assertThrows(() => localTime(NaN, "UTC"), RangeError, "epoch ms");
  assertThrows(() => localTime(0, "Nowhere/City"), RangeError, "Nowhere/City");
});

Deno.test("Europe/Berlin spring forward: a 23-hour day, 02:00 to 03:00 skipped", () => {
  const tz = "Europe/Berlin";
  assertEquals(period("day", utc(2024, 3, 31, 12), tz), [
    "2024-03-30T23:00:00.000Z",
    "2024-03-31T22:00:00.000Z",
  ]);
  // 01:00 CET is followed by 03:00 CEST.
  assertEquals(period("hour", utc(2024, 3, 31, 0, 30), tz)[1], "2024-03-31T01:00:00.000Z");
  assertEquals(period("hour", utc(2024, 3, 31, 1, 30), tz)[0], "2024-03-31T01:00:00.000Z");
  assertEquals(localTime(utc(2024, 3, 31, 1), tz).hour, 3);
  // A skipped time is the first instant after the gap.
  for (const minute of [0, 30, 59]) {
    assertEquals(
      zonedToEpoch({ year: 2024, month: 3, day: 31, hour: 2, minute }, tz),
      utc(2024, 3, 31, 1),
    );
  }
  assertEquals(
    zonedToEpoch({ year: 2024, month: 3, day: 31, hour: 1, minute: 59 }, tz),
    utc(2024, 3, 31, 0, 59),
  );
  assertEquals(zonedToEpoch({ year: 2024, month: 3, day: 31, hour: 3 }, tz), utc(2024, 3, 31, 1));
});

Deno.test("Europe/Berlin fall back: a 25-hour day, the repeated hour counted twice", () => {
  const tz = "Europe/Berlin";
  assertEquals(period("day", utc(2024, 10, 27, 12), tz), [
    "2024-10-26T22:00:00.000Z",
    "2024-10-27T23:00:00.000Z",
  ]);
  // 02:00-03:00 is read in CEST, then again in CET: two hours of the clock.
  assertEquals(period("hour", utc(2024, 10, 27, 0, 30), tz), [
    "2024-10-27T00:00:00.000Z",
    "2024-10-27T01:00:00.000Z",
  ]);
  assertEquals(period("hour", utc(2024, 10, 27, 1, 30), tz), [
    "2024-10-27T01:00:00.000Z",
    "2024-10-27T02:00:00.000Z",
  ]);
  const [first, second] = [
    localTime(utc(2024, 10, 27, 0, 30), tz),
    localTime(utc(2024, 10, 27, 1, 30), tz),
  ];
  assertEquals([first.hour, first.offsetMinutes, second.hour, second.offsetMinutes], [
    2,
    120,
    2,
    60,
  ]);
  // An ambiguous time is the earlier instant; 03:00 is read once.
  assertEquals(
    zonedToEpoch({ year: 2024, month: 10, day: 27, hour: 2, minute: 30 }, tz),
    utc(2024, 10, 27, 0, 30),
  );
  assertEquals(zonedToEpoch({ year: 2024, month: 10, day: 27, hour: 3 }, tz), utc(2024, 10, 27, 2));
});

Deno.test("America/New_York: 23- and 25-hour days, a week holding the fall back", () => {
  const tz = "America/New_York";
  assertEquals(period("day", utc(2024, 3, 10, 12), tz), [
    "2024-03-10T05:00:00.000Z",
    "2024-03-11T04:00:00.000Z",
  ]);
  assertEquals(period("day", utc(2024, 11, 3, 12), tz), [
    "2024-11-03T04:00:00.000Z",
    "2024-11-04T05:00:00.000Z",
  ]);
  // Monday 28 October 00:00 EDT to Monday 4 November 00:00 EST: 169 hours.
  assertEquals(period("week", utc(2024, 11, 3, 12), tz), [
    "2024-10-28T04:00:00.000Z",
    "2024-11-04T05:00:00.000Z",
  ]);
  assertEquals(
    zonedToEpoch({ year: 2024, month: 11, day: 3, hour: 1, minute: 30 }, tz),
    utc(2024, 11, 3, 5, 30),
  );
  assertEquals(
    zonedToEpoch({ year: 2024, month: 3, day: 10, hour: 2, minute: 30 }, tz),
    utc(2024, 3, 10, 7),
  );
});

Deno.test("zones changing at midnight: a day starts at its first existing instant", () => {
  // America/Santiago, 8 September 2024: 00:00 -04 became 01:00 -03.
  const cl = "America/Santiago";
  assertEquals(period("day", utc(2024, 9, 8, 12), cl), [
    "2024-09-08T04:00:00.000Z",
    "2024-09-09T03:00:00.000Z",
  ]);
  assertEquals(period("day", utc(2024, 9, 7, 12), cl)[1], "2024-09-08T04:00:00.000Z");
  assertEquals(localTime(utc(2024, 9, 8, 4), cl).hour, 1);
  assertEquals(zonedToEpoch({ year: 2024, month: 9, day: 8 }, cl), utc(2024, 9, 8, 4));
  assertEquals(period("week", utc(2024, 9, 10), cl)[0], "2024-09-09T03:00:00.000Z");
  // 7 April 2024: at 24:00 -03 the clocks went back to 23:00 -04, so 6 April lasted 25 hours.
  assertEquals(period("day", utc(2024, 4, 6, 12), cl), [
    "2024-04-06T03:00:00.000Z",
    "2024-04-07T04:00:00.000Z",
  ]);
  assertEquals(
    zonedToEpoch({ year: 2024, month: 4, day: 6, hour: 23, minute: 30 }, cl),
    utc(2024, 4, 7, 2, 30),
  );
  // Asia/Beirut, 26 March 2023: 00:00 +02 became 01:00 +03.
  assertEquals(period("day", utc(2023, 3, 26, 12), "Asia/Beirut"), [
    "2023-03-25T22:00:00.000Z",
    "2023-03-26T21:00:00.000Z",
  ]);
});

Deno.test("a skipped calendar day and a 30-minute shift are followed", () => {
  // Pacific/Apia skipped 30 December 2011: 29 December ends as 31 December starts.
  const ws = "Pacific/Apia";
  const jump = utc(2011, 12, 30, 10);
  assertEquals(periodEnd("day", utc(2011, 12, 29, 20), ws), jump);
  assertEquals(periodStart("day", jump, ws), jump);
  assertEquals([localTime(jump, ws).day, localTime(jump - 1, ws).day], [31, 29]);
  assertEquals(zonedToEpoch({ year: 2011, month: 12, day: 30, hour: 12 }, ws), jump);
  // Australia/Lord_Howe, 6 October 2024: 02:00 +10:30 became 02:30 +11; that hour has 30 minutes.
  const lh = "Australia/Lord_Howe";
  assertEquals(period("hour", utc(2024, 10, 5, 15, 45), lh), [
    "2024-10-05T15:30:00.000Z",
    "2024-10-05T16:00:00.000Z",
  ]);
  assertEquals(period("hour", utc(2024, 10, 5, 15), lh), [
    "2024-10-05T14:30:00.000Z",
    "2024-10-05T15:30:00.000Z",
  ]);
  assertEquals(
    period("hour", utc(2024, 1, 1, 12, 40), "Asia/Kathmandu")[0],
    "2024-01-01T12:15:00.000Z",
  );
});

Deno.test("periodStart() weeks start on Monday across month and year ends", () => {
  const tz = "Europe/Berlin";
  // Thursday 1 August 2024: the week began Monday 29 July.
  assertEquals(period("week", utc(2024, 8, 1, 12), tz), [
    "2024-07-28T22:00:00.000Z",
    "2024-08-04T22:00:00.000Z",
  ]);
  assertEquals(periodStart("week", utc(2024, 8, 4, 21, 59, 59), tz), utc(2024, 7, 28, 22));
  assertEquals(periodStart("week", utc(2024, 8, 4, 22), tz), utc(2024, 8, 4, 22));
  assertEquals(period("week", utc(2025, 1, 1, 12), "UTC"), [
    "2024-12-30T00:00:00.000Z",
    "2025-01-06T00:00:00.000Z",
  ]);
  assertEquals(periodStart("week", utc(2024, 7, 29), "UTC"), utc(2024, 7, 29)); // a Monday
});

Deno.test("periodStart() months follow the calendar and the zone", () => {
  assertEquals(period("month", utc(2024, 3, 15), "Europe/Berlin"), [
    "2024-02-29T23:00:00.000Z",
    "2024-03-31T22:00:00.000Z",
  ]);
  assertEquals(period("month", utc(2024, 2, 10), "UTC"), [
    "2024-02-01T00:00:00.000Z",
    "2024-03-01T00:00:00.000Z",
  ]);
  assertEquals(period("month", utc(2024, 12, 31, 23, 59), "UTC")[1], "2025-01-01T00:00:00.000Z");
  // 1 January 00:30 in Berlin is still December in UTC.
  assertEquals(
    periodStart("month", utc(2024, 12, 31, 23, 30), "Europe/Berlin"),
    utc(2024, 12, 31, 23),
  );
  assertEquals(
    period("month", utc(2024, 9, 15), "America/Santiago")[0],
    "2024-09-01T04:00:00.000Z",
  );
});

Deno.test("periodStart() in UTC is plain arithmetic", () => {
  const t = utc(2024, 5, 8, 13, 45, 12) + 345; // a Wednesday
  assertEquals(periodStart("hour", t, "UTC"), utc(2024, 5, 8, 13));
  assertEquals(periodEnd("hour", t, "UTC"), utc(2024, 5, 8, 14));
  assertEquals(periodStart("day", t, "UTC"), utc(2024, 5, 8));
  assertEquals(periodEnd("day", t, "UTC"), utc(2024, 5, 9));
  assertEquals(periodStart("week", t, "UTC"), utc(2024, 5, 6));
  assertEquals(periodStart("month", t, "UTC"), utc(2024, 5, 1));
  assertEquals(periodEnd("hour", utc(2024, 5, 8, 13), "UTC"), utc(2024, 5, 8, 14)); // a start is inside
});

Deno.test("zonedToEpoch() carries over fields and checks them", () => {
  assertEquals(zonedToEpoch({ year: 2024, month: 1, day: 32 }, "UTC"), utc(2024, 2, 1));
  assertEquals(zonedToEpoch({ year: 2024, month: 13, day: 1, hour: 24 }, "UTC"), utc(2025, 1, 2));
  assertEquals(
    zonedToEpoch(
      { year: 2024, month: 7, day: 1, hour: 14, minute: 5, second: 6, millisecond: 7 },
      "Europe/Berlin",
    ),
    utc(2024, 7, 1, 12, 5, 6) + 7,
  );
  assertThrows(() => zonedToEpoch({ year: 2024, month: 1, day: 1.5 }, "UTC"), RangeError, "day");
  assertThrows(
    () => zonedToEpoch({ year: 2024, month: 1, day: 1 }, "Not/AZone"),
    RangeError,
    "Not/AZone",
  );
  assertThrows(
    () => zonedToEpoch({ year: 20_000, month: 1, day: 1 }, "UTC"),
    RangeError,
    "years 1 to 9999",
  );
  assertThrows(() => periodStart("fortnight" as QuotaPeriod, 0, "UTC"), TypeError, "fortnight");
});

Deno.test("periods tile time in every zone: start <= t < end, end starts the next", () => {
  const zones = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "America/Santiago",
    "Asia/Beirut",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Apia",
  ];
  let seed = 12345; // a seeded LCG: the same instants every run
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const from = utc(2011, 1, 1), span = utc(2026, 1, 1) - from;
  for (let i = 0; i < 400; i++) {
    const tz = zones[i % zones.length];
    const t = from + Math.floor(random() * span / 1000) * 1000;
    for (const p of QUOTA_PERIODS) {
      const start = periodStart(p, t, tz), end = periodEnd(p, t, tz);
      const at = `${p} of ${new Date(t).toISOString()} in ${tz}`;
      assert(start <= t && t < end, `${at}: ${start} <= ${t} < ${end}`);
      assertEquals(periodStart(p, start, tz), start, at);
      assertEquals(periodEnd(p, start, tz), end, at);
      assertEquals(periodStart(p, end, tz), end, at);
      assert(
        end - start <= (p === "hour" ? 2 : p === "day" ? 25 : p === "week" ? 169 : 745) * H,
        at,
      );
    }
    // Reading an instant's local time back gives an instant the clock reads so.
    const local = localTime(t, tz);
    const back = zonedToEpoch(local, tz);
    assert(back <= t, `${new Date(t).toISOString()} in ${tz}`);
    const again = localTime(back, tz);
    assertEquals({ ...again, offsetMinutes: 0 }, { ...local, offsetMinutes: 0 });
  }
});

Deno.test("periods tile time through each transition, 20 minutes at a time", () => {
  const transitions: [string, number][] = [
    ["Europe/Berlin", utc(2024, 3, 31, 1)],
    ["Europe/Berlin", utc(2024, 10, 27, 1)],
    ["America/Santiago", utc(2024, 9, 8, 4)],
    ["America/Santiago", utc(2024, 4, 7, 3)],
    ["Australia/Lord_Howe", utc(2024, 10, 5, 15, 30)],
    ["Pacific/Apia", utc(2011, 12, 30, 10)],
  ];
  for (const [tz, jump] of transitions) {
    for (const p of ["hour", "day"] as const) {
      let [previousStart, previousEnd] = [NaN, periodStart(p, jump - 26 * H, tz)];
      for (let t = jump - 26 * H; t < jump + 26 * H; t += H / 3) {
        const start = periodStart(p, t, tz), end = periodEnd(p, t, tz);
        const at = `${p} of ${new Date(t).toISOString()} in ${tz}`;
        assert(start <= t && t < end, at);
        // Still the period before, or the next one, starting where that one ended.
        assertEquals(start, t < previousEnd ? previousStart : previousEnd, at);
        assertEquals(periodStart(p, end, tz), end, at);
        [previousStart, previousEnd] = [start, end];
      }
    }
  }
});
