import { assertEquals, assertThrows } from "@std/assert";
import {
  checkSchedule,
  describeSchedule,
  nextScheduleChange,
  scheduleActive,
} from "../../../engine/policy/schedule.ts";
import type { ScheduleWindow, Weekday } from "../../../engine/policy/policy_types.ts";

const BERLIN = "Europe/Berlin";
const utc = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h, mi);
/** Berlin in July 2024 (CEST, UTC+2): Monday the 1st ... Sunday the 7th, Monday the 8th. */
const july = (d: number, h: number, mi = 0) => utc(2024, 7, d, h - 2, mi);
const win = (days: Weekday[], from: string, to: string): ScheduleWindow => ({ days, from, to });
const WORKDAYS: Weekday[] = ["mon", "tue", "wed", "thu", "fri"];
const EVERY_DAY: Weekday[] = [...WORKDAYS, "sat", "sun"];

/** Whether each instant is in force, for one readable comparison. */
function activity(windows: ScheduleWindow[], times: number[], tz = BERLIN): boolean[] {
  return times.map((t) => scheduleActive(windows, t, tz));
}

function next(windows: ScheduleWindow[], t: number, tz = BERLIN): string | null {
  const change = nextScheduleChange(windows, t, tz);
  return change === null ? null : new Date(change).toISOString();
}

Deno.test("scheduleActive() runs a window past midnight on the day it starts", () => {
  const fridayNight = [win(["fri"], "22:00", "07:00")];
  assertEquals(
    activity(fridayNight, [
      july(5, 21, 59), // Friday 21:59
      july(5, 22), // Friday 22:00
      july(6, 3), // Saturday 03:00
      july(6, 6, 59),
      july(6, 7), // Saturday 07:00: over
      july(5, 3), // Friday 03:00: that would be Thursday night's
      july(6, 22, 30), // Saturday night: no window
    ]),
    [false, true, true, true, false, false, false],
  );
});

Deno.test("scheduleActive() wraps the week: Sunday night runs into Monday", () => {
  const sundayNight = [win(["sun"], "22:00", "07:00")];
  assertEquals(
    activity(sundayNight, [july(7, 23), july(8, 3), july(8, 7), july(7, 3), july(2, 3)]),
    [true, true, false, false, false],
  );
  assertEquals(next(sundayNight, july(7, 12)), "2024-07-07T20:00:00.000Z");
  assertEquals(next(sundayNight, july(8, 3)), "2024-07-08T05:00:00.000Z");
});

Deno.test("scheduleActive() reads 00:00-00:00 as whole days", () => {
  assertEquals(
    activity([win(EVERY_DAY, "00:00", "00:00")], [july(1, 0), july(3, 12), july(7, 23, 59)]),
    [
      true,
      true,
      true,
    ],
  );
  const weekend = [win(["sat", "sun"], "00:00", "00:00")];
  assertEquals(
    activity(weekend, [july(5, 23, 59), july(6, 0), july(7, 23, 59), july(8, 0)]),
    [false, true, true, false],
  );
  // The same time twice is a whole day from then.
  const day = [win(["mon"], "22:00", "22:00")];
  assertEquals(activity(day, [july(1, 21, 59), july(1, 22), july(2, 21, 59), july(2, 22)]), [
    false,
    true,
    true,
    false,
  ]);
  assertEquals(scheduleActive([], july(1, 12), BERLIN), false);
});

Deno.test("scheduleActive() in Berlin's spring forward skips a window in the gap", () => {
  // Sunday 31 March 2024: 02:00 CET became 03:00 CEST at 01:00 UTC.
  const gap = [win(["sun"], "02:00", "03:00")];
  assertEquals(activity(gap, [utc(2024, 3, 31, 0, 59), utc(2024, 3, 31, 1)]), [false, false]);
  // So it is next in force a week later, 7 April 02:00 CEST.
  assertEquals(next(gap, utc(2024, 3, 30, 12)), "2024-04-07T00:00:00.000Z");
  // A window through the gap ends at the jump; one starting in it begins there.
  const intoGap = [win(["sun"], "01:00", "02:30")];
  assertEquals(activity(intoGap, [utc(2024, 3, 31, 0, 30), utc(2024, 3, 31, 1)]), [true, false]);
  assertEquals(next(intoGap, utc(2024, 3, 31, 0, 30)), "2024-03-31T01:00:00.000Z");
  const fromGap = [win(["sun"], "02:30", "04:00")];
  assertEquals(activity(fromGap, [utc(2024, 3, 31, 0, 59), utc(2024, 3, 31, 1)]), [false, true]);
  assertEquals(next(fromGap, utc(2024, 3, 31, 0, 30)), "2024-03-31T01:00:00.000Z");
  assertEquals(next(fromGap, utc(2024, 3, 31, 1)), "2024-03-31T02:00:00.000Z");
});

Deno.test("scheduleActive() in Berlin's fall back covers both readings of the hour", () => {
  // Sunday 27 October 2024: 02:00-03:00 is read in CEST (00:00-01:00 UTC), then in CET.
  const repeated = [win(["sun"], "02:00", "03:00")];
  assertEquals(
    activity(repeated, [
      utc(2024, 10, 26, 23, 59),
      utc(2024, 10, 27, 0),
      utc(2024, 10, 27, 1, 30),
      utc(2024, 10, 27, 2),
    ]),
    [false, true, true, false],
  );
  assertEquals(next(repeated, utc(2024, 10, 26, 23)), "2024-10-27T00:00:00.000Z");
  assertEquals(next(repeated, utc(2024, 10, 27, 0, 30)), "2024-10-27T02:00:00.000Z");
  // One ending inside the repeated hour is in force again for its second reading.
  const toHalfPast = [win(["sun"], "00:00", "02:30")];
  assertEquals(next(toHalfPast, utc(2024, 10, 26, 21)), "2024-10-26T22:00:00.000Z");
  assertEquals(next(toHalfPast, utc(2024, 10, 27, 0, 10)), "2024-10-27T00:30:00.000Z");
  assertEquals(next(toHalfPast, utc(2024, 10, 27, 0, 40)), "2024-10-27T01:00:00.000Z"); // the jump back
  assertEquals(next(toHalfPast, utc(2024, 10, 27, 1, 10)), "2024-10-27T01:30:00.000Z");
  // New York, 3 November 2024: 01:00-02:00 is read from 05:00 to 07:00 UTC.
  const ny = [win(["sun"], "01:00", "02:00")];
  assertEquals(
    activity(ny, [
      utc(2024, 11, 3, 4, 59),
      utc(2024, 11, 3, 5),
      utc(2024, 11, 3, 6, 59),
      utc(2024, 11, 3, 7),
    ], "America/New_York"),
    [false, true, true, false],
  );
  assertEquals(next(ny, utc(2024, 11, 3, 5, 30), "America/New_York"), "2024-11-03T07:00:00.000Z");
});

Deno.test("nextScheduleChange() finds when the answer changes, merging touching windows", () => {
  const office = [win(WORKDAYS, "08:00", "12:00"), win(WORKDAYS, "12:00", "13:00")];
  assertEquals(next(office, july(1, 9)), "2024-07-01T11:00:00.000Z"); // Monday 13:00
  assertEquals(next(office, july(1, 13)), "2024-07-02T06:00:00.000Z"); // Tuesday 08:00
  assertEquals(next(office, july(5, 14)), "2024-07-08T06:00:00.000Z"); // Friday to Monday
  // Strictly after: at a change, the one after it.
  assertEquals(next(office, july(1, 8)), "2024-07-01T11:00:00.000Z");
  const nights = [win(WORKDAYS, "22:00", "07:00")];
  assertEquals(next(nights, july(5, 23)), "2024-07-06T05:00:00.000Z"); // Saturday 07:00
  assertEquals(next(nights, july(6, 12)), "2024-07-08T20:00:00.000Z"); // no Sunday night: Monday 22:00
});

Deno.test("nextScheduleChange() is null when the answer never changes", () => {
  assertEquals(next([win(EVERY_DAY, "00:00", "00:00")], july(3, 12)), null);
  assertEquals(next([], july(3, 12)), null);
  assertEquals(
    nextScheduleChange([win(["mon"], "18:00", "22:00")], utc(2024, 7, 1, 19), "UTC"),
    utc(2024, 7, 1, 22),
  );
});

Deno.test("checkSchedule() lists each field's problem with its path", () => {
  const at = "rules[2].schedule";
  assertEquals(
    checkSchedule([win(WORKDAYS, "22:00", "07:00"), win(["sun"], "00:00", "00:00")], at),
    [],
  );
  assertEquals(checkSchedule([win(["mon"], "25:00", "07:00")], at), [
    { path: "rules[2].schedule[0].from", message: 'must be HH:MM (00:00 to 23:59), got "25:00"' },
  ]);
  assertEquals(
    checkSchedule(
      [win(["mon"], "07:00", "08:00"), win(["monday" as Weekday], "7:00", "24:00")],
      at,
    ),
    [
      {
        path: "rules[2].schedule[1].days[0]",
        message: 'must be one of mon, tue, wed, thu, fri, sat, sun, got "monday"',
      },
      { path: "rules[2].schedule[1].from", message: 'must be HH:MM (00:00 to 23:59), got "7:00"' },
      { path: "rules[2].schedule[1].to", message: 'must be HH:MM (00:00 to 23:59), got "24:00"' },
    ],
  );
  assertEquals(checkSchedule([win([], "07:00", "08:00")], at), [
    { path: "rules[2].schedule[0].days", message: "needs at least one day" },
  ]);
  assertEquals(
    checkSchedule([{ days: ["mon"], from: 7, to: "08:60" } as unknown as ScheduleWindow], at),
    [
      { path: "rules[2].schedule[0].from", message: "must be HH:MM (00:00 to 23:59), got 7" },
      { path: "rules[2].schedule[0].to", message: 'must be HH:MM (00:00 to 23:59), got "08:60"' },
    ],
  );
  assertEquals(checkSchedule([], at), [{ path: at, message: "needs at least one window" }]);
  assertEquals(
    checkSchedule([null as unknown as ScheduleWindow], at)[0].path,
    "rules[2].schedule[0]",
  );
  assertEquals(checkSchedule("22:00" as unknown as ScheduleWindow[], at), [
    { path: at, message: "must be a list of windows" },
  ]);
});

Deno.test("scheduleActive() and friends refuse a malformed window or zone", () => {
  assertThrows(
    () => scheduleActive([win(["mon"], "07:00", "7pm")], 0, "UTC"),
    RangeError,
    'schedule[0].to: must be HH:MM (00:00 to 23:59), got "7pm"',
  );
  assertThrows(
    () => nextScheduleChange([win(["xyz" as Weekday], "07:00", "08:00")], 0, "UTC"),
    RangeError,
    "xyz",
  );
  assertThrows(
    () => scheduleActive([win(["mon"], "07:00", "08:00")], 0, "Moon/Base"),
    RangeError,
    "Moon/Base",
  );
  assertThrows(
    () => scheduleActive([win(["mon"], "07:00", "08:00")], NaN, "UTC"),
    RangeError,
    "epoch ms",
  );
});

Deno.test("describeSchedule() names day runs and times", () => {
  assertEquals(describeSchedule([win(WORKDAYS, "22:00", "07:00")]), "Mon–Fri 22:00–07:00");
  assertEquals(
    describeSchedule([win(["fri", "thu", "mon", "wed", "tue"], "08:00", "09:00")]),
    "Mon–Fri 08:00–09:00",
  );
  assertEquals(describeSchedule([win(["sat", "sun"], "00:00", "00:00")]), "Sat, Sun all day");
  assertEquals(describeSchedule([win(EVERY_DAY, "08:00", "09:00")]), "every day 08:00–09:00");
  assertEquals(
    describeSchedule([win(["fri", "sat", "sun", "mon"], "20:00", "23:00")]),
    "Fri–Mon 20:00–23:00",
  );
  assertEquals(
    describeSchedule([win(["mon", "wed", "fri"], "18:00", "19:00")]),
    "Mon, Wed, Fri 18:00–19:00",
  );
  assertEquals(
    describeSchedule([win(["tue"], "10:00", "11:00"), win(["sat", "sun"], "09:00", "12:00")]),
    "Tue 10:00–11:00; Sat, Sun 09:00–12:00",
  );
  assertEquals(describeSchedule([]), "never");
});

Deno.test("nextScheduleChange() agrees with reading the clock minute by minute", () => {
  const windows = [
    win(["sat"], "23:30", "02:30"),
    win(["sun"], "01:45", "02:15"),
    win(["sun"], "03:00", "00:00"),
    win(["mon", "sat"], "00:00", "00:30"),
  ];
  const cases: [string, number][] = [
    [BERLIN, utc(2024, 3, 30, 12)],
    [BERLIN, utc(2024, 10, 26, 12)],
    ["America/Santiago", utc(2024, 9, 6, 12)], // 00:00 Sunday 8 September skipped
    ["America/Santiago", utc(2024, 4, 5, 12)], // 23:00-24:00 Saturday 6 April read twice
  ];
  const MINUTE = 60_000;
  for (const [tz, from] of cases) {
    const minutes = 3 * 24 * 60;
    const active = Array.from(
      { length: minutes },
      (_, i) => scheduleActive(windows, from + i * MINUTE, tz),
    );
    for (let i = 0; i < minutes - 1; i += 11) {
      let j = i + 1;
      while (j < minutes && active[j] === active[i]) j++;
      if (j === minutes) continue; // the change is past the scanned range
      const at = `${new Date(from + i * MINUTE).toISOString()} in ${tz}`;
      assertEquals(nextScheduleChange(windows, from + i * MINUTE, tz), from + j * MINUTE, at);
    }
  }
});
