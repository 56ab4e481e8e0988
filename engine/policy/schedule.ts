/**
 * Schedule windows ({@linkcode ScheduleWindow}): when a rule is in force, in
 * local time of the configured zone. A window is in force whenever the local
 * clock reads a time from `from` (included) to `to` (excluded) on one of its
 * days; one whose `to` is not after its `from` runs past midnight and belongs
 * to the day it starts ("fri" 22:00–07:00 is in force early on Saturday, not
 * early on Friday), and "00:00"–"00:00" is the whole day.
 *
 * Daylight saving time follows from reading the clock: a window inside a
 * spring-forward gap (02:00–03:00 in Berlin on the last Sunday of March) is
 * never read, so it is skipped that day; a window over a fall-back overlap
 * (02:00–03:00 on the last Sunday of October) is read twice, so it is in force
 * for both readings, two hours. A window that ends inside the repeated hour
 * (00:00–02:30) is in force again for the second reading of 02:00–02:30.
 *
 * @module
 */

import { type ScheduleWindow, WEEKDAYS } from "./policy_types.ts";
import {
  checkInstant,
  DAY_MS,
  findTransition,
  MINUTE_MS,
  resolveWall,
  wallAt,
  wallFrom,
  wallWeekday,
} from "./_zone_offsets.ts";

/** A field-level problem in a schedule, for the configuration validator. */
export interface ScheduleProblem {
  /** Where, e.g. `rules[2].schedule[0].from`. */
  path: string;
  message: string;
}

/** A window as numbers: a bit per day (bit 0 = Monday), minutes since midnight. */
interface Compiled {
  days: number;
  from: number;
  to: number;
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/**
 * The problems in a list of schedule windows, each with its field path under
 * `path` (empty when the windows are fine). Does not throw.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(checkSchedule([{ days: ["mon"], from: "22:00", to: "07:00" }], "schedule"), []);
 * assertEquals(checkSchedule([{ days: ["mon"], from: "25:00", to: "07:00" }], "rules[2].schedule"), [
 *   { path: "rules[2].schedule[0].from", message: 'must be HH:MM (00:00 to 23:59), got "25:00"' },
 * ]);
 * ```
 */
export function checkSchedule(
  windows: readonly ScheduleWindow[],
  path: string,
): ScheduleProblem[] {
  if (!Array.isArray(windows)) return [{ path, message: "must be a list of windows" }];
  if (windows.length === 0) return [{ path, message: "needs at least one window" }];
  const problems: ScheduleProblem[] = [];
  windows.forEach((window, i) => problems.push(...windowProblems(window, `${path}[${i}]`)));
  return problems;
}

function windowProblems(window: ScheduleWindow, at: string): ScheduleProblem[] {
  if (typeof window !== "object" || window === null) {
    return [{ path: at, message: 'must be {"days": [...], "from": "HH:MM", "to": "HH:MM"}' }];
  }
  const problems: ScheduleProblem[] = [];
  const { days } = window;
  if (!Array.isArray(days) || days.length === 0) {
    problems.push({ path: `${at}.days`, message: "needs at least one day" });
  } else {
    days.forEach((day, j) => {
      if (!(WEEKDAYS as readonly unknown[]).includes(day)) {
        problems.push({
          path: `${at}.days[${j}]`,
          message: `must be one of ${WEEKDAYS.join(", ")}, got ${JSON.stringify(day)}`,
        });
      }
    });
  }
  for (const field of ["from", "to"] as const) {
    if (clockMinutes(window[field]) === null) {
      problems.push({
        path: `${at}.${field}`,
        message: `must be HH:MM (00:00 to 23:59), got ${JSON.stringify(window[field])}`,
      });
    }
  }
  return problems;
}

function clockMinutes(text: unknown): number | null {
  const match = typeof text === "string" ? CLOCK.exec(text) : null;
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** Windows as numbers; RangeError with the first problem if one is malformed. */
function compile(windows: readonly ScheduleWindow[]): Compiled[] {
  if (!Array.isArray(windows)) throw new TypeError("schedule must be a list of windows");
  return windows.map((window, i) => {
    const problem = windowProblems(window, `schedule[${i}]`)[0];
    if (problem) throw new RangeError(`${problem.path}: ${problem.message}`);
    let days = 0;
    for (const day of window.days) days |= 1 << WEEKDAYS.indexOf(day);
    return { days, from: clockMinutes(window.from)!, to: clockMinutes(window.to)! };
  });
}

/** Whether a wall time (local time as UTC ms) is inside any window. */
function readsActive(windows: Compiled[], wall: number): boolean {
  const today = 1 << wallWeekday(wall);
  const yesterday = today === 1 ? 1 << 6 : today >> 1;
  const minute = Math.floor((wall - Math.floor(wall / DAY_MS) * DAY_MS) / MINUTE_MS);
  for (const { days, from, to } of windows) {
    if (from < to) {
      if ((days & today) !== 0 && minute >= from && minute < to) return true;
    } else if (
      ((days & today) !== 0 && minute >= from) || ((days & yesterday) !== 0 && minute < to)
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Whether instant `ms` is inside any of the windows, read on the clock of
 * `tz`. No windows: never.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const nights = [{ days: ["fri" as const], from: "22:00", to: "07:00" }];
 * // Saturday 6 July 2024, 03:00 in Berlin: Friday night's window.
 * assertEquals(scheduleActive(nights, Date.UTC(2024, 6, 6, 1), "Europe/Berlin"), true);
 * // Friday 5 July, 03:00: Thursday night has no window.
 * assertEquals(scheduleActive(nights, Date.UTC(2024, 6, 5, 1), "Europe/Berlin"), false);
 * ```
 */
export function scheduleActive(
  windows: readonly ScheduleWindow[],
  ms: number,
  tz: string,
): boolean {
  const compiled = compile(windows);
  checkInstant(ms);
  return readsActive(compiled, wallAt(ms, tz));
}

/**
 * The next instant after `ms` at which {@linkcode scheduleActive} changes its
 * answer, within 8 days (epoch ms), or null if it does not (a schedule that
 * is always or never in force).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const evenings = [{ days: ["mon" as const], from: "18:00", to: "22:00" }];
 * // Monday 1 July 2024, 19:00 UTC: in force until 22:00 UTC.
 * assertEquals(nextScheduleChange(evenings, Date.UTC(2024, 6, 1, 19), "UTC"), Date.UTC(2024, 6, 1, 22));
 * ```
 */
export function nextScheduleChange(
  windows: readonly ScheduleWindow[],
  ms: number,
  tz: string,
): number | null {
  const compiled = compile(windows);
  checkInstant(ms);
  const wall = wallAt(ms, tz);
  if (compiled.length === 0) return null;
  const active = readsActive(compiled, wall);
  const horizon = ms + 8 * DAY_MS;
  const boundaries = [...new Set(compiled.flatMap((w) => [w.from, w.to]))];
  const date = new Date(wall);
  const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];

  // The answer only changes where the clock reads a window's edge, or jumps
  // back over one (a fall-back): those instants, a local day at a time.
  let pending: number[] = [];
  for (let i = 0; i <= 10; i++) {
    const today: number[] = [];
    if (i < 10) {
      for (const minute of boundaries) {
        const at = resolveWall(wallFrom(year, month, day + i, 0, minute), tz);
        today.push(at.earlier);
        if (at.later !== at.earlier) {
          today.push(at.later, findTransition(at.earlier, at.later, tz));
        }
      }
    }
    // Instants before today's first are from earlier days: all of them are known.
    const settled = i < 10 ? Math.min(...today) : Infinity;
    pending.push(...today);
    pending.sort((a, b) => a - b);
    let k = 0;
    for (; k < pending.length && pending[k] < settled; k++) {
      const t = pending[k];
      if (t <= ms) continue;
      if (t > horizon) return null;
      if (readsActive(compiled, wallAt(t, tz)) !== active) return t;
    }
    pending = pending.slice(k);
  }
  return null;
}

/**
 * The windows in words, for reasons: "Mon–Fri 22:00–07:00",
 * "Sat, Sun all day", "every day 08:00–09:00"; several are joined with "; ".
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(
 *   describeSchedule([
 *     { days: ["mon", "tue", "wed", "thu", "fri"], from: "22:00", to: "07:00" },
 *     { days: ["sat", "sun"], from: "00:00", to: "00:00" },
 *   ]),
 *   "Mon–Fri 22:00–07:00; Sat, Sun all day",
 * );
 * ```
 */
export function describeSchedule(windows: readonly ScheduleWindow[]): string {
  const compiled = compile(windows);
  if (compiled.length === 0) return "never";
  return compiled.map((w, i) => {
    const times = w.from === 0 && w.to === 0 ? "all day" : `${windows[i].from}–${windows[i].to}`;
    return `${describeDays(w.days)} ${times}`;
  }).join("; ");
}

/** Days as runs: "Mon–Fri", "Sat, Sun", "Fri–Mon" (a run over the week's end stays whole). */
function describeDays(days: number): string {
  if (days === 0x7f) return "every day";
  const has = (d: number) => (days & (1 << (d % 7))) !== 0;
  // Start on Monday, or where a run through Sunday into Monday begins.
  let start = 0;
  while (has(start + 6) && has(start)) start = (start + 6) % 7;
  const runs: string[] = [];
  for (let d = start; d < start + 7;) {
    if (!has(d)) {
      d++;
      continue;
    }
    let end = d;
    while (end + 1 < start + 7 && has(end + 1)) end++;
    const first = DAY_NAMES[d % 7], last = DAY_NAMES[end % 7];
    if (end - d >= 2) runs.push(`${first}–${last}`);
    else runs.push(end === d ? first : `${first}, ${last}`);
    d = end + 1;
  }
  return runs.join(", ");
}
