// The primitives under zoned_time.ts: what a zone's wall clock reads at an
// instant, and which instants read a given wall time. "Wall" times are local
// calendar times encoded as if they were UTC epoch ms (so that Date.UTC
// arithmetic works on them); an instant's offset is its wall time minus itself.
// Everything is read from Intl.DateTimeFormat, whose tz database is data, not
// the clock.

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** 0001-01-02 and 9999-12-30 UTC: a day of slack either way for any offset. */
export const MIN_MS = -62_135_510_400_000;
export const MAX_MS = 253_402_128_000_000;

// Creating a DateTimeFormat costs far more than using one: one per zone, kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The cached formatter for `tz`: RangeError naming the zone if Intl does not know it. */
export function formatterFor(tz: string): Intl.DateTimeFormat {
  let formatter = formatters.get(tz);
  if (formatter !== undefined) return formatter;
  if (typeof tz !== "string") {
    throw new TypeError(`time zone must be a string, got ${typeof tz}`);
  }
  try {
    formatter = new Intl.DateTimeFormat("en-US-u-ca-gregory-nu-latn", {
      timeZone: tz,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      hourCycle: "h23",
    });
  } catch {
    throw new RangeError(
      `unknown time zone ${JSON.stringify(tz)}: use an IANA name such as ` +
        `"Europe/Berlin", "America/New_York" or "UTC"`,
    );
  }
  formatters.set(tz, formatter);
  return formatter;
}

/** Checks an instant: finite epoch ms in years 1 to 9999 (RangeError otherwise). */
export function checkInstant(ms: number, what = "time"): void {
  if (typeof ms !== "number" || !(ms >= MIN_MS && ms <= MAX_MS)) {
    throw new RangeError(`${what} must be epoch ms in years 1 to 9999, got ${ms}`);
  }
}

/** A wall time from calendar fields, normalised like Date.UTC (month 13 is next January). */
export function wallFrom(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  // Date.UTC reads years 0 to 99 as 1900 to 1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  return date.getTime();
}

/** The wall time of instant `ms` in `tz` (to the millisecond). */
export function wallAt(ms: number, tz: string): number {
  let year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  for (const part of formatterFor(tz).formatToParts(ms)) {
    switch (part.type) {
      case "year":
        year = Number(part.value);
        break;
      case "month":
        month = Number(part.value);
        break;
      case "day":
        day = Number(part.value);
        break;
      case "hour":
        hour = Number(part.value);
        break;
      case "minute":
        minute = Number(part.value);
        break;
      case "second":
        second = Number(part.value);
        break;
    }
  }
  // Intl drops the milliseconds; put them back.
  const subSecond = ms - Math.floor(ms / 1000) * 1000;
  return wallFrom(year, month, day, hour, minute, second) + subSecond;
}

/** The offset from UTC of `tz` at instant `ms`, in ms (wall minus instant). */
export function offsetAt(ms: number, tz: string): number {
  return wallAt(ms, tz) - ms;
}

/**
 * The first whole second in (lo, hi] whose offset differs from lo's, given
 * that hi's does: the instant of the zone transition between them.
 */
export function findTransition(lo: number, hi: number, tz: string): number {
  const before = offsetAt(lo, tz);
  // Offsets change on whole seconds (Intl works in seconds): search those.
  let loS = Math.floor(lo / 1000), hiS = Math.ceil(hi / 1000);
  while (hiS - loS > 1) {
    const mid = Math.floor((loS + hiS) / 2);
    if (offsetAt(mid * 1000, tz) === before) loS = mid;
    else hiS = mid;
  }
  return Math.max(hiS * 1000, Math.floor(lo) + 1);
}

/**
 * The instants at which `tz`'s wall clock reads `wall`: `earlier` and `later`
 * are equal when it reads it once; they differ in a fall-back overlap; in a
 * spring-forward gap (`gap` true) both are the first instant after the gap.
 */
export function resolveWall(
  wall: number,
  tz: string,
): { earlier: number; later: number; gap: boolean } {
  // No zone shifts by more than a day, so the offsets a day either side bound the candidates.
  const before = offsetAt(wall - DAY_MS, tz);
  const after = offsetAt(wall + DAY_MS, tz);
  const a = wall - before, b = wall - after;
  const aReads = offsetAt(a, tz) === before;
  const bReads = b !== a && offsetAt(b, tz) === after;
  if (aReads && bReads) return { earlier: Math.min(a, b), later: Math.max(a, b), gap: false };
  if (aReads) return { earlier: a, later: a, gap: false };
  if (bReads) return { earlier: b, later: b, gap: false };
  // In a gap (after > before): the wall time was skipped between b and a.
  const lo = Math.min(a, b), hi = Math.max(a, b);
  const first = offsetAt(lo, tz) === offsetAt(hi, tz) ? hi : findTransition(lo, hi, tz);
  return { earlier: first, later: first, gap: true };
}

/** Whole days since 1970-01-01 of a wall time, and its weekday (0 = Monday). */
export function wallWeekday(wall: number): number {
  const days = Math.floor(wall / DAY_MS);
  return (((days + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export { DAY_MS, MINUTE_MS };
