/**
 * Figures as people write them in a policy and read them in reasons: rates
 * ("25Mbit", "3 MB/s"), sizes ("50GB", "2 GiB") and durations ("1h30m").
 * Decimal prefixes are 1000-based (as links are sold and quotas billed),
 * binary ones (Ki, Mi, Gi, Ti, Pi) 1024-based. Rates are kept in bytes per
 * second, sizes in bytes, durations in seconds; rates are shown in bits per
 * second, as links are sold.
 *
 * @module
 */

/** A number, then a unit; spaces around and between are fine. */
const FIGURE = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(.*?)\s*$/;
/** A prefix (k, M, G, T, P, any case; "i" for binary) and a base unit. */
const PREFIXED = /^(?:([kmgtpKMGTP])([iI]?))?([A-Za-z]*)$/;
const EXPONENTS: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, t: 4, p: 5 };

const RATE_FORMS = 'bits as "25Mbit", "25 Mbit/s" or "25Mbps", bytes as "3MB/s" or ' +
  '"3 MiB/s", or a plain number of bytes per second';
const SIZE_FORMS = '"500MB", "50GB", "1.5TB", "2 GiB", "10 KiB", or a plain number of bytes';
const DURATION_FORMS = '"90s", "15m", "1h", "1h30m", "2d", or a plain number of seconds';

/** `number × prefix` exactly: decimal prefixes through the number's text, so 1.1M is 1100000. */
function scaledBy(number: string, prefix: string | undefined, binary: boolean): number {
  if (prefix === undefined) return Number(number);
  const exponent = EXPONENTS[prefix.toLowerCase()];
  return binary ? Number(number) * 1024 ** exponent : Number(`${number}e${exponent * 3}`);
}

function checkInput(value: unknown, what: string, forms: string): void {
  if (typeof value !== "string" && typeof value !== "number") {
    throw new TypeError(`${what} must be text (${forms}), got ${typeof value}`);
  }
}

function shown(value: string | number): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * Reads a rate into bytes per second. A number is bytes per second. Text is a
 * number and a unit: bits with "b", "bit" or "bps" ("25Mbit", "25 Mbit/s",
 * "25Mbps", "512kbit", "100 bit/s"), bytes with "B" or "Bps" ("3MB/s",
 * "3 MiB/s", "500KB/s"); "/s", "/sec" and "ps" are optional. Only b and B
 * are case-sensitive. TypeError for text that is not a rate; RangeError for a
 * rate that is not positive (a zero limit is a block: use the block action).
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(parseRate("25Mbit"), 3_125_000);
 * assertEquals(parseRate("3 MB/s"), 3_000_000);
 * assertEquals(parseRate("1 MiB/s"), 1_048_576);
 * assertEquals(parseRate(1500), 1500);
 * assertThrows(() => parseRate("0Mbit"), RangeError, "block");
 * ```
 */
export function parseRate(text: string | number): number {
  checkInput(text, "rate", RATE_FORMS);
  const value = typeof text === "number" ? text : readRate(text);
  if (!Number.isFinite(value)) throw new RangeError(`rate ${shown(text)} is not a finite number`);
  if (value < 0) throw new RangeError(`rate ${shown(text)} is negative`);
  if (value === 0) {
    throw new RangeError(`rate ${shown(text)} is zero: to stop traffic, use the block action`);
  }
  return value;
}

function readRate(text: string): number {
  const bad = () => new TypeError(`rate ${shown(text)} not understood: write ${RATE_FORMS}`);
  const figure = FIGURE.exec(text);
  if (!figure) throw bad();
  const unit = figure[2].replace(/\s*\/\s*s(?:ec)?$|ps$/, "");
  const parts = PREFIXED.exec(unit);
  if (!parts) throw bad();
  const [, prefix, binary, base] = parts;
  const amount = scaledBy(figure[1], prefix, binary !== "");
  if (base === "b" || /^bits?$/i.test(base)) return amount / 8;
  if (base === "B" || /^bytes?$/i.test(base)) return amount;
  if (base === "" && prefix === undefined) return amount;
  if (base === "") {
    const n = `${figure[1]}${prefix}${binary}`;
    throw new TypeError(`rate ${shown(text)} has no unit: "${n}bit" is bits, "${n}B/s" bytes`);
  }
  throw bad();
}

/**
 * Reads a size into bytes (rounded to a whole byte). A number is bytes; text
 * is a number and B with an optional prefix, in any case ("50GB", "500mb",
 * "1.5TB", "2 GiB", "10 KiB"). TypeError for text that is not a size,
 * RangeError for a negative one or one past 2^53 bytes.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseSize("50GB"), 50_000_000_000);
 * assertEquals(parseSize("2 GiB"), 2_147_483_648);
 * assertEquals(parseSize(1024), 1024);
 * ```
 */
export function parseSize(text: string | number): number {
  checkInput(text, "size", SIZE_FORMS);
  const value = typeof text === "number" ? text : readSize(text);
  if (!Number.isFinite(value)) throw new RangeError(`size ${shown(text)} is not a finite number`);
  if (value < 0) throw new RangeError(`size ${shown(text)} is negative`);
  const bytes = Math.round(value);
  if (!Number.isSafeInteger(bytes)) {
    throw new RangeError(`size ${shown(text)} is too large (at most 2^53 - 1 bytes, about 9 PB)`);
  }
  return bytes;
}

function readSize(text: string): number {
  const bad = () => new TypeError(`size ${shown(text)} not understood: write ${SIZE_FORMS}`);
  const figure = FIGURE.exec(text);
  if (!figure) throw bad();
  const parts = PREFIXED.exec(figure[2]);
  if (!parts) throw bad();
  const [, prefix, binary, base] = parts;
  const amount = scaledBy(figure[1], prefix, binary !== "");
  if (/^(?:b|bytes?)$/i.test(base)) return amount;
  if (base === "" && prefix === undefined) return amount;
  if (base === "") {
    const n = `${figure[1]}${prefix}`;
    throw new TypeError(`size ${shown(text)} has no unit: write "${n}B" or "${n}iB"`);
  }
  if (/^bits?$/i.test(base)) {
    throw new TypeError(`size ${shown(text)} is in bits: sizes are bytes, e.g. ${SIZE_FORMS}`);
  }
  throw bad();
}

const DURATION_UNITS: readonly [RegExp, number][] = [
  [/^(?:w|weeks?)$/i, 604_800],
  [/^(?:d|days?)$/i, 86_400],
  [/^(?:h|hrs?|hours?)$/i, 3_600],
  [/^(?:m|mins?|minutes?)$/, 60], // "M" could be months: lower case only
  [/^(?:s|secs?|seconds?)$/i, 1],
  [/^ms$/i, 0.001],
];

/**
 * Reads a duration into seconds. A number is seconds; text is a number
 * ("45") or parts from the largest unit down ("90s", "15m", "1h30m",
 * "1h 30m", "2d", "1.5h"; w, d, h, m, s, ms, or words like "min" and
 * "hours"). Rounded to the millisecond. TypeError for text that is not a
 * duration, RangeError for a negative one.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseDuration("1h30m"), 5400);
 * assertEquals(parseDuration("45"), 45);
 * assertEquals(parseDuration(90), 90);
 * ```
 */
export function parseDuration(text: string | number): number {
  checkInput(text, "duration", DURATION_FORMS);
  const value = typeof text === "number" ? text : readDuration(text);
  if (!Number.isFinite(value)) {
    throw new RangeError(`duration ${shown(text)} is not a finite number`);
  }
  if (value < 0) throw new RangeError(`duration ${shown(text)} is negative`);
  return Math.round(value * 1000) / 1000;
}

function readDuration(text: string): number {
  const bad = (why = "") =>
    new TypeError(`duration ${shown(text)} not understood${why}: write ${DURATION_FORMS}`);
  const plain = FIGURE.exec(text);
  if (plain && plain[2] === "") return Number(plain[1]);
  const trimmed = text.trim();
  const negative = trimmed.startsWith("-");
  const body = trimmed.replace(/^[+-]/, "");
  const part = /\s*(\d+(?:\.\d*)?|\.\d+)\s*([A-Za-z]+)\s*/y;
  let total = 0, last = -1, end = 0;
  for (let m = part.exec(body); m !== null; m = part.exec(body)) {
    const name = m[2];
    const unit = DURATION_UNITS.findIndex(([pattern]) => pattern.test(name));
    if (unit < 0) throw bad(` (unknown unit "${name}")`);
    if (unit <= last) throw bad(" (units must go from largest to smallest, once each)");
    last = unit;
    total += Number(m[1]) * DURATION_UNITS[unit][1];
    end = part.lastIndex;
  }
  if (last < 0 || end !== body.length) throw bad();
  return negative ? -total : total;
}

/** Three significant digits without trailing zeros, scaled by 1000s: "38.2 Mbit/s". */
function scaled(value: number, units: readonly string[], what: string): string {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${what} must be a finite number not below 0, got ${value}`);
  }
  let i = 0;
  // Scale on the rounded figure, so 999,999 shows as "1 M", not "1000 k".
  while (i < units.length - 1 && Number(value.toPrecision(3)) >= 1000) {
    value /= 1000;
    i++;
  }
  const digits = value >= 1000 ? value.toFixed(0) : value.toPrecision(3);
  const figure = digits.includes(".") && !digits.includes("e")
    ? digits.replace(/\.?0+$/, "")
    : digits;
  return `${value === 0 ? "0" : figure} ${units[i]}`;
}

/**
 * A rate given in bytes per second, in bits per second to three significant
 * digits: "38.2 Mbit/s", "512 kbit/s", "1.5 Gbit/s".
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatRate(4_775_000), "38.2 Mbit/s");
 * assertEquals(formatRate(3_125_000), "25 Mbit/s");
 * ```
 */
export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) {
    throw new RangeError(`a rate must be a finite number not below 0, got ${bytesPerSecond}`);
  }
  return scaled(bytesPerSecond * 8, ["bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"], "a rate");
}

/**
 * A size in bytes, in decimal units to three significant digits: "1.25 GB",
 * "512 B", "40 MB".
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatSize(1_250_000_000), "1.25 GB");
 * ```
 */
export function formatSize(bytes: number): string {
  return scaled(bytes, ["B", "kB", "MB", "GB", "TB", "PB"], "a size");
}

/**
 * A duration in seconds, rounded to the second, in its two largest units
 * (the second left out when zero): "45s", "1h 30m", "2d 3h", "1h".
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatDuration(5400), "1h 30m");
 * assertEquals(formatDuration(86_400 + 3_600 + 59), "1d 1h");
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`a duration must be a finite number not below 0, got ${seconds}`);
  }
  const s = Math.round(seconds);
  const parts: [number, string][] = [
    [Math.floor(s / 86_400), "d"],
    [Math.floor(s / 3_600) % 24, "h"],
    [Math.floor(s / 60) % 60, "m"],
    [s % 60, "s"],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first < 0) return "0s";
  const [n1, u1] = parts[first];
  const [n2, u2] = parts[first + 1] ?? [0, ""];
  return n2 > 0 ? `${n1}${u1} ${n2}${u2}` : `${n1}${u1}`;
}
